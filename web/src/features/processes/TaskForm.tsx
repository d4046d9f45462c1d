import type { ProcessTask } from "@loopdesk/contracts/processes";
import { App, Button, Form, Input, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { errorText } from "../../app/error-text";
import { showFieldErrors } from "../../app/form-errors";
import { StepFormFields } from "./StepFormFields";
import { useTaskActions } from "./process-api";

/**
 * Finishing a task: its instructions, its form, and for an approval approve / reject (a rejection
 * needs the reason). A wrong answer stays on the form with the server's words; nothing entered is lost.
 */
export function TaskForm({ task, onDone }: { task: ProcessTask; onDone?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const { complete } = useTaskActions();
  const approval = task.kind === "approval";
  const submit = (decision?: "approve" | "reject") => {
    const fields = decision === "reject" ? ["comment"] : undefined;
    form
      .validateFields(fields)
      .then(() => {
        const all = form.getFieldsValue(true) as { values?: Record<string, unknown>; comment?: string };
        if (decision === "reject" && !all.comment?.trim()) {
          form.setFields([{ name: "comment", errors: [t("process.rejectReason")] }]);
          return;
        }
        const values = Object.fromEntries(Object.entries(all.values ?? {}).filter(([, v]) => v !== undefined && v !== null && v !== ""));
        complete.mutate(
          { id: task.id, body: { values, comment: all.comment?.trim() || undefined, decision } },
          {
            onSuccess: () => {
              void message.success(t(decision === "reject" ? "process.rejected" : decision ? "process.approved" : "process.completed"));
              onDone?.();
            },
            onError: (e) => {
              if (!showFieldErrors(form, t, e)) void message.error(errorText(t, e));
            },
          },
        );
      })
      .catch(() => undefined);
  };
  return (
    <Form form={form} layout="vertical" initialValues={{ values: task.values }} data-testid="task-form">
      {task.instructions && <Typography.Paragraph type="secondary">{task.instructions}</Typography.Paragraph>}
      <StepFormFields form={task.form} />
      <Form.Item name="comment" label={approval ? t("process.opinion") : t("process.comment")}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Space>
        {approval ? (
          <>
            <Button type="primary" loading={complete.isPending} onClick={() => submit("approve")} data-testid="task-approve">
              {t("process.approve")}
            </Button>
            <Button danger loading={complete.isPending} onClick={() => submit("reject")} data-testid="task-reject">
              {t("process.reject")}
            </Button>
          </>
        ) : (
          <Button type="primary" loading={complete.isPending} onClick={() => submit()} data-testid="task-complete">
            {t("process.complete")}
          </Button>
        )}
      </Space>
    </Form>
  );
}
