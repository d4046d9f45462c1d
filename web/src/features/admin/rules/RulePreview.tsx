import type { PreviewResult, TriggerEvent } from "@loopdesk/contracts/rules";
import { useMutation } from "@tanstack/react-query";
import { Alert, Button, Form, InputNumber, List, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { errorText } from "../../../app/error-text";

/**
 * "Test this rule against ticket #N": sends the rule as it stands in the form (saved or not) and
 * shows each condition with the ticket's actual value, then what each action would do.
 */
export function RulePreview({
  rule,
}: {
  rule: () => { conditions: unknown; actions: unknown; status?: string; hoursInStatus?: number; event?: TriggerEvent };
}) {
  const { t } = useTranslation();
  const [number, setNumber] = useState<number | null>(null);
  const preview = useMutation({
    mutationFn: () => {
      const { event, ...r } = rule();
      return api<PreviewResult>("/rules/preview", { method: "POST", body: { ticketNumber: number, ...(event ? { event } : {}), rule: r } });
    },
  });
  const show = (v: unknown) => (v === null || v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));
  return (
    <div data-testid="rule-preview" style={{ borderTop: "1px solid #f0f0f0", paddingTop: 12, marginTop: 8 }}>
      <Typography.Text strong>{t("admin.rules.preview")}</Typography.Text>
      <Space style={{ display: "flex", margin: "8px 0" }}>
        <Form.Item label={t("admin.rules.previewTicket")} style={{ marginBottom: 0 }}>
          <InputNumber aria-label={t("admin.rules.previewTicket")} min={1} value={number} onChange={(v) => setNumber(v)} />
        </Form.Item>
        <Button onClick={() => preview.mutate()} disabled={!number} loading={preview.isPending}>
          {t("admin.rules.previewRun")}
        </Button>
      </Space>
      {preview.isError && <Alert type="error" title={errorText(t, preview.error)} />}
      {preview.data && (
        <>
          <Alert
            type={preview.data.matched ? "success" : "info"}
            title={preview.data.matched ? t("admin.rules.previewMatched") : t("admin.rules.previewNotMatched")}
            style={{ marginBottom: 8 }}
          />
          <Table
            size="small"
            pagination={false}
            rowKey={(_, i) => String(i)}
            dataSource={preview.data.conditions}
            columns={[
              { title: "", dataIndex: "group", render: (g: string) => t(`admin.rules.group.${g}`) },
              {
                title: t("admin.rules.field"),
                dataIndex: "field",
                render: (f: string) =>
                  t(`admin.rules.fields.${f}`, { defaultValue: f === "hoursInStatus" ? t("admin.rules.hoursInStatus") : f }),
              },
              { title: t("admin.rules.op"), dataIndex: "op", render: (o: string) => t(`admin.rules.ops.${o}`) },
              { title: t("admin.rules.value"), dataIndex: "expected", render: show },
              { title: t("admin.rules.actual"), dataIndex: "actual", render: show },
              {
                title: "",
                dataIndex: "passed",
                render: (p: boolean) => <Tag color={p ? "green" : "red"}>{p ? t("admin.rules.passed") : t("admin.rules.failed")}</Tag>,
              },
            ]}
          />
          <List
            size="small"
            header={t("admin.rules.wouldDo")}
            dataSource={preview.data.effects}
            renderItem={(e) => (
              <List.Item>
                <Space wrap>
                  <Tag color={e.skipped ? "default" : "blue"}>{t(`admin.rules.actionTypes.${e.action}`)}</Tag>
                  <Typography.Text type="secondary">{show(e.description)}</Typography.Text>
                  {e.skipped && <Tag>{t("admin.rules.skippedReason", { reason: t(`admin.rules.skipped.${e.skipped}`) })}</Tag>}
                </Space>
              </List.Item>
            )}
          />
        </>
      )}
    </div>
  );
}
