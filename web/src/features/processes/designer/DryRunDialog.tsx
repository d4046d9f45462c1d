import type { ProcessGraph } from "@loopdesk/contracts/processes";
import { useMutation } from "@tanstack/react-query";
import { Alert, App, Button, Form, Input, Modal, Select, Space, Steps, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { errorText } from "../../../app/error-text";

type Result = { steps: { nodeId: string; name: string; type: string; note: string | null }[]; outcome: "completed" | "rejected" | "stuck" };

/** "field=value" per line → sample facts (numbers and true/false as such). */
function parseFacts(text: string) {
  const facts: Record<string, unknown> = {};
  for (const line of text.split("\n")) {
    const m = /^\s*([^=]+?)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const raw = m[2] as string;
    facts[m[1] as string] = raw === "true" ? true : raw === "false" ? false : raw !== "" && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
  }
  return facts;
}

/** Walks the saved draft with sample data and chosen approval decisions, showing the path it takes and where it ends. */
export function DryRunDialog({
  open,
  onClose,
  definitionId,
  graph,
  beforeRun,
}: {
  open: boolean;
  onClose: () => void;
  definitionId: number;
  graph: ProcessGraph;
  beforeRun: () => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const run = useMutation({
    mutationFn: async (v: { facts?: string; decisions?: Record<string, "approve" | "reject"> }) => {
      await beforeRun();
      return api<Result>(`/processes/${definitionId}/dry-run`, {
        method: "POST",
        body: { facts: parseFacts(v.facts ?? ""), decisions: Object.fromEntries(Object.entries(v.decisions ?? {}).filter(([, x]) => x)) },
      });
    },
    onError: (e) => void message.error(errorText(t, e)),
  });
  const approvals = graph.nodes.filter((n) => n.type === "approval");
  const fieldHints = graph.nodes.flatMap((n) =>
    n.type === "task" || n.type === "approval" ? n.form.map((f) => `step.${n.id}.${f.key}`) : [],
  );
  return (
    <Modal open={open} onCancel={onClose} footer={null} width={720} title={t("designer.dryRun")} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => run.mutate(v)} data-testid="dry-run-form">
        <Form.Item
          name="facts"
          label={t("designer.sampleFacts")}
          extra={t("designer.sampleFactsHelp", { fields: fieldHints.slice(0, 4).join(", ") || "priority" })}
        >
          <Input.TextArea rows={3} placeholder={"priority=urgent\nstep.review.refund_amount=6800"} />
        </Form.Item>
        {approvals.map((a) => (
          <Form.Item key={a.id} name={["decisions", a.id]} label={a.name || a.id} initialValue="approve">
            <Select
              options={[
                { value: "approve", label: t("process.approve") },
                { value: "reject", label: t("designer.rejectOnce") },
              ]}
            />
          </Form.Item>
        ))}
        <Button type="primary" htmlType="submit" loading={run.isPending} data-testid="dry-run-go">
          {t("designer.runDry")}
        </Button>
      </Form>
      {run.data && (
        <Space direction="vertical" style={{ width: "100%", marginTop: 16 }} data-testid="dry-run-result">
          <Alert type={run.data.outcome === "stuck" ? "error" : "success"} showIcon title={t(`designer.outcome.${run.data.outcome}`)} />
          <Steps
            direction="vertical"
            size="small"
            current={run.data.steps.length}
            items={run.data.steps.map((s) => ({
              title: s.name,
              description: (
                <Typography.Text type="secondary">
                  {t(`process.nodeTypes.${s.type}`, { defaultValue: s.type })}
                  {s.note === "rejected" ? ` · ${t("process.stepState.rejected")}` : s.note && s.type === "exclusive" ? ` → ${s.note}` : ""}
                </Typography.Text>
              ),
            }))}
          />
        </Space>
      )}
    </Modal>
  );
}
