import { escalationActions } from "@loopdesk/contracts/sla";
import { Button, Form, InputNumber, Select, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";

type Option = { value: number; label: string };

/** A policy's escalation steps after a breach: minutes after the due time → action (reassign: to whom). */
export function EscalationStepsField({ staff, departments }: { staff: Option[]; departments: Option[] }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  return (
    <Form.Item label={t("admin.escalation.title")} extra={t("admin.escalation.help")}>
      <Form.List name="escalation">
        {(rows, { add, remove }) => (
          <div data-testid="escalation-steps">
            {rows.map((row) => (
              <Form.Item key={row.key} noStyle shouldUpdate>
                {() => (
                  <Space wrap style={{ display: "flex", marginBottom: 8 }}>
                    <Form.Item name={[row.name, "afterMinutes"]} noStyle rules={[{ required: true }]}>
                      <InputNumber min={0} max={43200} addonAfter={t("admin.escalation.afterMinutes")} style={{ width: 200 }} />
                    </Form.Item>
                    <Form.Item name={[row.name, "action"]} noStyle rules={[{ required: true }]}>
                      <Select
                        style={{ width: 150 }}
                        options={escalationActions.map((a) => ({ value: a, label: t(`admin.escalation.actions.${a}`) }))}
                      />
                    </Form.Item>
                    {form.getFieldValue(["escalation", row.name, "action"]) === "reassign" && (
                      <>
                        <Form.Item name={[row.name, "departmentId"]} noStyle>
                          <Select
                            allowClear
                            style={{ width: 150 }}
                            placeholder={t("admin.escalation.department")}
                            options={departments}
                            optionFilterProp="label"
                          />
                        </Form.Item>
                        <Form.Item name={[row.name, "staffId"]} noStyle>
                          <Select
                            allowClear
                            style={{ width: 150 }}
                            placeholder={t("admin.escalation.staff")}
                            options={staff}
                            optionFilterProp="label"
                            showSearch
                          />
                        </Form.Item>
                      </>
                    )}
                    <Button onClick={() => remove(row.name)} aria-label={t("admin.rules.removeRow")}>
                      ×
                    </Button>
                  </Space>
                )}
              </Form.Item>
            ))}
            <Button
              size="small"
              onClick={() =>
                add({ afterMinutes: rows.length ? 30 * rows.length : 0, action: rows.length ? "notify_supervisors" : "notify_assignee" })
              }
            >
              {t("admin.escalation.add")}
            </Button>
            {rows.length === 0 && (
              <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
                {t("admin.escalation.none")}
              </Typography.Text>
            )}
          </div>
        )}
      </Form.List>
    </Form.Item>
  );
}

/** Form rows → API steps (empty targets are null). */
export const toEscalation = (
  rows: { afterMinutes: number; action: string; staffId?: number | null; departmentId?: number | null }[] = [],
) =>
  rows.map((s) => ({ afterMinutes: s.afterMinutes, action: s.action, staffId: s.staffId ?? null, departmentId: s.departmentId ?? null }));
