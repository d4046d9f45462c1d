import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CustomerProgress } from "@loopdesk/contracts/processes";
import { Alert, App, Button, Form, Steps, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { showFieldErrors } from "../../app/form-errors";
import { StepFormFields } from "../processes/StepFormFields";

/**
 * Where the customer's request stands in its process (售后审核 → 仓库收货 → 财务退款), and a step
 * that waits on them with its form. Nothing about who holds a step inside the company.
 */
export function PortalProgress({ ticketId }: { ticketId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const progress = useQuery({
    queryKey: ["portal", "progress", ticketId],
    queryFn: async () => (await api<{ progress: CustomerProgress | null }>(`/tickets/${ticketId}/progress`)).progress,
  });
  const answer = useMutation({
    mutationFn: ({ taskId, values }: { taskId: number; values: Record<string, unknown> }) =>
      api(`/tickets/${ticketId}/progress/${taskId}`, { method: "POST", body: { values } }),
    onSuccess: () => {
      form.resetFields();
      void message.success(t("portal.progress.sent"));
    },
    onError: (e) => {
      if (!showFieldErrors(form, t, e)) void message.error(errorText(t, e));
    },
    onSettled: () => qc.invalidateQueries({ queryKey: ["portal"] }),
  });
  const p = progress.data;
  if (!p || p.stages.length === 0) return null;
  const current = p.stages.findIndex((s) => s.state === "current");
  return (
    <div style={{ marginTop: 16 }} data-testid="portal-progress">
      <Typography.Text type="secondary">{t("portal.progress.title", { name: p.processName })}</Typography.Text>
      <Steps
        size="small"
        style={{ marginTop: 8 }}
        current={current === -1 ? p.stages.length : current}
        status={p.status === "rejected" ? "error" : p.status === "completed" ? "finish" : "process"}
        items={p.stages.map((s) => ({ title: s.name }))}
      />
      {p.request && (
        <Alert
          style={{ marginTop: 16 }}
          type="warning"
          showIcon
          data-testid="portal-request"
          title={t("portal.progress.asked", { step: p.request.name })}
          description={
            <Form
              form={form}
              layout="vertical"
              onFinish={(v: { values?: Record<string, unknown> }) =>
                p.request &&
                answer.mutate({
                  taskId: p.request.taskId,
                  values: Object.fromEntries(Object.entries(v.values ?? {}).filter(([, x]) => x !== undefined)),
                })
              }
            >
              <StepFormFields form={p.request.form} />
              <Button type="primary" htmlType="submit" loading={answer.isPending} data-testid="portal-request-submit">
                {t("portal.progress.submit")}
              </Button>
            </Form>
          }
        />
      )}
    </div>
  );
}
