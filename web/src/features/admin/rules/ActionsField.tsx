import { ruleAction } from "@loopdesk/contracts/rules";
import { priorities, ticketStatuses } from "@loopdesk/contracts/tickets";
import { Button, Form, Input, InputNumber, Select, Space, Switch, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { type RuleOptions, TEMPLATE_PLACEHOLDERS } from "./rule-options";

const actionTypes = ruleAction.options.map((o) => o.shape.type.value);

/** Edits a rule's actions, in order: each row a type and the inputs that type needs. */
export function ActionsField({ options }: { options: RuleOptions }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const text = (name: (string | number)[], rows = 1) => (
    <Form.Item name={name} noStyle rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}>
      {rows > 1 ? (
        <Input.TextArea rows={rows} style={{ width: 360 }} placeholder={t("admin.rules.body")} />
      ) : (
        <Input style={{ width: 360 }} />
      )}
    </Form.Item>
  );
  const select = (name: (string | number)[], choices: { value: string | number; label: string }[], extra: object = {}) => (
    <Form.Item name={name} noStyle rules={[{ required: true }]}>
      <Select style={{ width: 220 }} options={choices} optionFilterProp="label" showSearch {...extra} />
    </Form.Item>
  );
  return (
    <Form.List name="actions">
      {(rows, { add, remove }) => (
        <div data-testid="rule-actions">
          {rows.map((row) => (
            <Form.Item key={row.key} noStyle shouldUpdate>
              {() => {
                const type = form.getFieldValue(["actions", row.name, "type"]) as string | undefined;
                const n = row.name;
                return (
                  <Space wrap align="start" style={{ display: "flex", marginBottom: 8 }}>
                    <Form.Item name={[n, "type"]} noStyle rules={[{ required: true }]}>
                      <Select
                        showSearch
                        optionFilterProp="label"
                        style={{ width: 170 }}
                        options={actionTypes.map((a) => ({ value: a, label: t(`admin.rules.actionTypes.${a}`) }))}
                      />
                    </Form.Item>
                    {type === "set_status" &&
                      select(
                        [n, "value"],
                        ticketStatuses.filter((s) => s !== "new").map((s) => ({ value: s, label: t(`status.${s}`) })),
                      )}
                    {type === "set_priority" &&
                      select(
                        [n, "value"],
                        priorities.map((p) => ({ value: p, label: t(`priority.${p}`) })),
                      )}
                    {type === "set_category" && select([n, "value"], options.categories)}
                    {type === "set_department" && (
                      <>
                        {select([n, "value"], options.departments)}
                        <Form.Item name={[n, "keepAssignee"]} valuePropName="checked" noStyle>
                          <Switch checkedChildren={t("admin.rules.keepAssignee")} unCheckedChildren={t("admin.rules.keepAssignee")} />
                        </Form.Item>
                      </>
                    )}
                    {type === "set_assignee" && select([n, "value"], [{ value: 0, label: t("admin.rules.nobody") }, ...options.staff])}
                    {type === "set_custom_field" && (
                      <>
                        {select(
                          [n, "key"],
                          options.ticketFields.map((f) => ({ value: f.key, label: f.label })),
                        )}
                        <Form.Item name={[n, "value"]} noStyle>
                          <Input style={{ width: 160 }} placeholder={t("admin.rules.value")} />
                        </Form.Item>
                      </>
                    )}
                    {(type === "add_tags" || type === "remove_tags") &&
                      select([n, "tags"], [], { mode: "tags", placeholder: t("admin.rules.tags") })}
                    {(type === "add_note" || type === "reply_customer") && text([n, "body"], 3)}
                    {type === "email_customer" && (
                      <Space direction="vertical">
                        {text([n, "subject"])}
                        {text([n, "body"], 4)}
                      </Space>
                    )}
                    {type === "notify_staff" && (
                      <Space direction="vertical">
                        {select(
                          [n, "to"],
                          [
                            { value: "assignee", label: t("admin.rules.toAssignee") },
                            { value: "supervisors", label: t("admin.rules.toSupervisors") },
                            ...options.staff,
                          ],
                          { mode: "multiple", placeholder: t("admin.rules.to"), style: { width: 360 } },
                        )}
                        {text([n, "message"])}
                      </Space>
                    )}
                    {type === "call_webhook" && select([n, "webhookId"], options.webhooks)}
                    {type === "create_visit" && (
                      <Space direction="vertical">
                        {text([n, "reason"])}
                        <Space>
                          <Form.Item name={[n, "dueHours"]} noStyle initialValue={24}>
                            <InputNumber min={1} max={8760} addonAfter={t("admin.rules.dueHours")} />
                          </Form.Item>
                          <Form.Item name={[n, "departmentId"]} noStyle>
                            <Select
                              allowClear
                              style={{ width: 200 }}
                              placeholder={t("admin.rules.visitDepartment")}
                              options={options.departments}
                            />
                          </Form.Item>
                        </Space>
                      </Space>
                    )}
                    <Button onClick={() => remove(n)} aria-label={t("admin.rules.removeRow")}>
                      ×
                    </Button>
                  </Space>
                );
              }}
            </Form.Item>
          ))}
          <div>
            <Button size="small" onClick={() => add({ type: "add_tags" })}>
              {t("admin.rules.addAction")}
            </Button>
          </div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t("admin.rules.placeholders", { list: TEMPLATE_PLACEHOLDERS.join(" ") })}
          </Typography.Text>
        </div>
      )}
    </Form.List>
  );
}

/** Form values → API actions (the "nobody" choice is 0 in the form, null in the API). */
export function toActions(rows: Record<string, unknown>[] = []) {
  return rows.map((a) => {
    if (a.type === "set_assignee") return { type: a.type, value: a.value === 0 ? null : a.value };
    if (a.type === "set_department") return { type: a.type, value: a.value, keepAssignee: !!a.keepAssignee };
    if (a.type === "raise_priority") return { type: a.type };
    if (a.type === "create_visit")
      return { type: a.type, reason: a.reason, dueHours: a.dueHours ?? 24, departmentId: a.departmentId ?? null };
    return a;
  });
}
