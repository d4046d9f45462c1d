import type { Visit } from "@loopdesk/contracts/visits";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Form, Input, InputNumber, List, Modal, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Pending } from "../../app/Pending";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";

/** The ticket's follow-up visits, and planning one by hand (staff who own the ticket). */
export function TicketVisitsCard({ ticketId, editable }: { ticketId: number; editable: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const visits = useQuery({
    queryKey: ["visits", "ticket", ticketId],
    queryFn: async () => (await api<{ items: Visit[] }>(`/visits?ticketId=${ticketId}`)).items,
  });
  const plan = useMutation({
    mutationFn: (body: { reason: string; dueHours: number }) => api(`/tickets/${ticketId}/visits`, { method: "POST", body }),
    onSuccess: () => setOpen(false),
    onError: (e) => void message.error(errorText(t, e)),
    onSettled: () => qc.invalidateQueries({ queryKey: ["visits"] }),
  });
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" });
  const hasOpen = (visits.data ?? []).some((v) => v.status === "open");
  return (
    <Card
      size="small"
      title={t("visits.title")}
      style={{ marginTop: 16 }}
      data-testid="ticket-visits"
      extra={
        !hasOpen &&
        editable && (
          <Button size="small" onClick={() => setOpen(true)}>
            {t("visits.plan")}
          </Button>
        )
      }
    >
      {visits.error ? (
        <Pending error={visits.error} retry={() => void visits.refetch()} />
      ) : (
        <List
          size="small"
          loading={visits.isLoading}
          locale={{ emptyText: t("visits.none") }}
          dataSource={visits.data ?? []}
          renderItem={(v) => (
            <List.Item>
              {v.reason} ·{" "}
              {v.result ? (
                t(`visits.results.${v.result}`)
              ) : v.overdue ? (
                <Tag color="red">{t("visits.overdue", { at: fmt.format(new Date(v.dueAt)) })}</Tag>
              ) : (
                fmt.format(new Date(v.dueAt))
              )}
            </List.Item>
          )}
        />
      )}
      <Modal
        open={open}
        title={t("visits.plan")}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        confirmLoading={plan.isPending}
        forceRender
      >
        <Form form={form} name="plan-visit" layout="vertical" initialValues={{ dueHours: 24 }} onFinish={(v) => plan.mutate(v)}>
          <Form.Item name="reason" label={t("visits.reason")} rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}>
            <Input maxLength={500} />
          </Form.Item>
          <Form.Item name="dueHours" label={t("visits.dueHours")}>
            <InputNumber min={1} max={8760} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
