import type { Customer } from "@loopdesk/contracts/customers";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Modal, Select, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";

/** Merges a duplicate customer (found by name, email or phone) into this one, after a confirmation. */
export function MergeCustomerButton({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState("");
  const [picked, setPicked] = useState<number | undefined>();
  const found = useQuery({
    queryKey: ["customers", "merge-search", q],
    enabled: open && q.trim().length > 0,
    queryFn: async () => (await api<{ items: Customer[] }>(`/customers?q=${encodeURIComponent(q.trim())}&limit=10`)).items,
  });
  const merge = useMutation({
    mutationFn: (duplicateId: number) =>
      api<{ movedTickets: number }>(`/customers/${customer.id}/merge`, { method: "POST", body: { customerId: duplicateId } }),
    onSuccess: (r) => {
      void message.success(t("customer.merged", { count: r.movedTickets }));
      setOpen(false);
      setPicked(undefined);
      void qc.invalidateQueries();
    },
    onError: (e) => void message.error(errorText(t, e)),
  });
  const label = (c: Customer) => `${c.name} · ${c.identities.map((i) => i.value).join(", ") || `#${c.id}`}`;
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} data-testid="merge-customer">
        {t("customer.merge")}
      </Button>
      <Modal
        open={open}
        title={t("customer.mergeTitle", { name: customer.name })}
        okText={t("customer.mergeConfirm")}
        okButtonProps={{ danger: true, disabled: picked === undefined }}
        cancelText={t("common.cancel")}
        confirmLoading={merge.isPending}
        onOk={() => picked !== undefined && merge.mutate(picked)}
        onCancel={() => setOpen(false)}
      >
        <Typography.Paragraph type="secondary">{t("customer.mergeHelp")}</Typography.Paragraph>
        <Select
          showSearch
          style={{ width: "100%" }}
          aria-label={t("customer.mergeSearch")}
          placeholder={t("customer.mergeSearch")}
          filterOption={false}
          onSearch={setQ}
          value={picked}
          onChange={setPicked}
          notFoundContent={null}
          options={(found.data ?? []).filter((c) => c.id !== customer.id).map((c) => ({ value: c.id, label: label(c) }))}
        />
      </Modal>
    </>
  );
}
