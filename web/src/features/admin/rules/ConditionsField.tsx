import { conditionFields, conditionOps } from "@loopdesk/contracts/rules";
import { Button, Form, Input, InputNumber, Select, Space } from "antd";
import { useTranslation } from "react-i18next";
import { type RuleOptions, listOps, noValueOps, numericFields, valueChoices } from "./rule-options";

/** Edits one condition group (`conditions.all` or `conditions.any`): field, operator, value per row. */
export function ConditionsField({ group, options }: { group: "all" | "any"; options: RuleOptions }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const fieldOptions = [
    ...conditionFields.map((f) => ({ value: f, label: t(`admin.rules.fields.${f}`) })),
    ...options.ticketFields.map((f) => ({ value: `customFields.${f.key}`, label: t("admin.rules.custom", { label: f.label }) })),
  ];
  return (
    <Form.List name={["conditions", group]}>
      {(rows, { add, remove }) => (
        <div data-testid={`conditions-${group}`}>
          {rows.map((row) => (
            <Form.Item key={row.key} noStyle shouldUpdate>
              {() => {
                const field = form.getFieldValue(["conditions", group, row.name, "field"]) as string | undefined;
                const op = form.getFieldValue(["conditions", group, row.name, "op"]) as string | undefined;
                const choices = field ? valueChoices(field, t, options) : null;
                const list = op !== undefined && listOps.has(op);
                return (
                  <Space wrap align="start" style={{ display: "flex", marginBottom: 8 }}>
                    <Form.Item name={[row.name, "field"]} noStyle rules={[{ required: true }]}>
                      <Select
                        placeholder={t("admin.rules.field")}
                        options={fieldOptions}
                        style={{ width: 170 }}
                        showSearch
                        optionFilterProp="label"
                      />
                    </Form.Item>
                    <Form.Item name={[row.name, "op"]} noStyle rules={[{ required: true }]}>
                      <Select
                        showSearch
                        optionFilterProp="label"
                        placeholder={t("admin.rules.op")}
                        style={{ width: 130 }}
                        options={conditionOps.map((o) => ({ value: o, label: t(`admin.rules.ops.${o}`) }))}
                      />
                    </Form.Item>
                    {op && !noValueOps.has(op) && (
                      <Form.Item name={[row.name, "value"]} noStyle>
                        {field === "tags" ? (
                          <Select mode="tags" style={{ width: 200 }} placeholder={t("admin.rules.value")} maxCount={list ? undefined : 1} />
                        ) : choices ? (
                          <Select
                            mode={list ? "multiple" : undefined}
                            style={{ width: 200 }}
                            placeholder={t("admin.rules.value")}
                            options={choices}
                            optionFilterProp="label"
                          />
                        ) : field && numericFields.has(field) ? (
                          <InputNumber placeholder={t("admin.rules.value")} />
                        ) : (
                          <Input placeholder={t("admin.rules.value")} style={{ width: 200 }} />
                        )}
                      </Form.Item>
                    )}
                    <Button onClick={() => remove(row.name)} aria-label={t("admin.rules.removeRow")}>
                      ×
                    </Button>
                  </Space>
                );
              }}
            </Form.Item>
          ))}
          <Button size="small" onClick={() => add({ op: "is" })}>
            {t("admin.rules.addCondition")}
          </Button>
        </div>
      )}
    </Form.List>
  );
}

/** Form values → API conditions: a tags "is" holds one value, list operators hold arrays. */
export function toConditions(v: { all?: RawCondition[]; any?: RawCondition[] } | undefined) {
  const clean = (rows: RawCondition[] = []) =>
    rows.map((c) => {
      if (noValueOps.has(c.op)) return { field: c.field, op: c.op };
      let value = c.value;
      if (Array.isArray(value) && !listOps.has(c.op)) value = value[0];
      if (!Array.isArray(value) && listOps.has(c.op)) value = value === undefined || value === null ? [] : [value];
      return { field: c.field, op: c.op, value: value ?? null };
    });
  return { all: clean(v?.all), any: clean(v?.any) };
}
type RawCondition = { field: string; op: string; value?: unknown };
