import type { Customer } from "@loopdesk/contracts/customers";
import { privacyChannels } from "@loopdesk/contracts/privacy";
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { App, DatePicker, Form, Input, Modal, Radio, Select } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { showFieldErrors } from "../../app/form-errors";

type Values = { kind: "access" | "erasure"; customerId: number; channel: string; receivedAt: Dayjs; note?: string };

/** 登记请求: who asked (found by name, phone or email), for what, how and when it arrived. */
export function NewPrivacyRequest({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [q, setQ] = useState("");
  const found = useQuery({
    queryKey: ["customers", "privacy-search", q],
    enabled: open && q.trim().length > 0,
    queryFn: async () => (await api<{ items: Customer[] }>(`/customers?q=${encodeURIComponent(q.trim())}&limit=10`)).items,
    // The list stays while the next search runs (and after a pick clears the search): the picked name keeps its label.
    placeholderData: keepPreviousData,
  });
  const create = useMutation({
    mutationFn: (v: Values) =>
      api("/privacy-requests", {
        method: "POST",
        body: {
          kind: v.kind,
          customerId: v.customerId,
          channel: v.channel,
          note: v.note ?? "",
          receivedAt: (v.receivedAt.isSame(dayjs(), "day") ? dayjs() : v.receivedAt.startOf("day").add(12, "hour")).toISOString(),
        },
      }),
    onSuccess: () => {
      void message.success(t("common.saved"));
      form.resetFields();
      onCreated();
      onClose();
    },
    onError: (e) => {
      if (!showFieldErrors(form, t, e)) void message.error(errorText(t, e));
    },
  });
  const label = (c: Customer) => `${c.name} · ${c.identities.map((i) => i.value).join(", ") || t("privacy.customerNo", { id: c.id })}`;
  return (
    <Modal
      open={open}
      title={t("privacy.new")}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      okButtonProps={{ id: "privacy-new-ok" }}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: "access", channel: "email", receivedAt: dayjs() }}
        onFinish={(v) => create.mutate(v)}
      >
        <Form.Item name="kind" label={t("privacy.kind")}>
          <Radio.Group
            options={[
              { value: "access", label: t("privacy.kinds.access") },
              { value: "erasure", label: t("privacy.kinds.erasure") },
            ]}
          />
        </Form.Item>
        <Form.Item name="customerId" label={t("privacy.customer")} rules={[{ required: true, message: t("privacy.pickCustomer") }]}>
          <Select
            showSearch
            aria-label={t("privacy.customerSearch")}
            placeholder={t("privacy.customerSearch")}
            filterOption={false}
            onSearch={setQ}
            notFoundContent={null}
            options={(found.data ?? []).map((c) => ({ value: c.id, label: label(c) }))}
            data-testid="privacy-customer"
          />
        </Form.Item>
        <Form.Item name="channel" label={t("privacy.channel")}>
          <Select options={privacyChannels.map((c) => ({ value: c, label: t(`privacy.channels.${c}`) }))} />
        </Form.Item>
        <Form.Item name="receivedAt" label={t("privacy.received")} extra={t("privacy.receivedHelp")}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs(), "day")} allowClear={false} />
        </Form.Item>
        <Form.Item name="note" label={t("privacy.note")}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
