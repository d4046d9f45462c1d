import type { StepField } from "@loopdesk/contracts/processes";
import { fieldTypes } from "@loopdesk/contracts/custom-fields";
import { Button, Card, Checkbox, Input, Select, Space } from "antd";
import { useTranslation } from "react-i18next";

/** "value:label" per line ⇄ options. */
const optionsText = (f: StepField) => f.options.map((o) => `${o.value}:${o.label}`).join("\n");
const parseOptions = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [value = "", ...rest] = l.split(/[:：]/);
      return { value: value.trim(), label: (rest.join(":").trim() || value).trim() };
    });

/** The fields a step asks for: key, label, type (the custom-field types), required, options, and shown only when another answer has a value. */
export function FormFieldsEditor({ value, onChange }: { value: StepField[]; onChange: (v: StepField[]) => void }) {
  const { t } = useTranslation();
  const set = (i: number, patch: Partial<StepField>) => onChange(value.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  const add = () => {
    const taken = new Set(value.map((f) => f.key));
    let n = value.length + 1;
    while (taken.has(`field_${n}`)) n++;
    onChange([
      ...value,
      {
        key: `field_${n}`,
        label: t("designer.newField"),
        type: "text",
        required: false,
        options: [],
        pattern: null,
        helpText: null,
        showWhen: null,
      },
    ]);
  };
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      {value.map((f, i) => (
        <Card key={f.key} size="small" data-testid="form-field-editor">
          <Space direction="vertical" style={{ width: "100%" }}>
            <Space.Compact style={{ width: "100%" }}>
              <Input aria-label={t("designer.fieldLabel")} value={f.label} onChange={(e) => set(i, { label: e.target.value })} />
              <Input
                aria-label={t("designer.fieldKey")}
                style={{ width: 120 }}
                value={f.key}
                onChange={(e) => set(i, { key: e.target.value })}
              />
            </Space.Compact>
            <Space wrap>
              <Select
                aria-label={t("designer.fieldType")}
                style={{ width: 110 }}
                value={f.type}
                onChange={(type) => set(i, { type })}
                options={fieldTypes.map((x) => ({ value: x, label: t(`admin.fields.types.${x}`) }))}
              />
              <Checkbox checked={f.required} onChange={(e) => set(i, { required: e.target.checked })}>
                {t("designer.required")}
              </Checkbox>
              <Button size="small" danger onClick={() => onChange(value.filter((_, j) => j !== i))}>
                {t("designer.remove")}
              </Button>
            </Space>
            {(f.type === "select" || f.type === "multi_select") && (
              <Input.TextArea
                aria-label={t("designer.options")}
                placeholder={t("designer.optionsHelp")}
                rows={3}
                defaultValue={optionsText(f)}
                onBlur={(e) => set(i, { options: parseOptions(e.target.value) })}
              />
            )}
            <Space.Compact style={{ width: "100%" }}>
              <Select
                aria-label={t("designer.showWhen")}
                style={{ width: "50%" }}
                allowClear
                placeholder={t("designer.showWhen")}
                value={f.showWhen?.field}
                options={value.filter((o) => o.key !== f.key).map((o) => ({ value: o.key, label: o.label }))}
                onChange={(field?: string) => set(i, { showWhen: field ? { field, values: f.showWhen?.values ?? [] } : null })}
              />
              {f.showWhen && (
                <Input
                  aria-label={t("designer.showWhenValues")}
                  placeholder={t("designer.showWhenValues")}
                  defaultValue={f.showWhen.values.join(",")}
                  onBlur={(e) =>
                    f.showWhen &&
                    set(i, {
                      showWhen: {
                        field: f.showWhen.field,
                        values: e.target.value
                          .split(/[,，]/)
                          .map((x) => x.trim())
                          .filter(Boolean),
                      },
                    })
                  }
                />
              )}
            </Space.Compact>
          </Space>
        </Card>
      ))}
      <Button size="small" onClick={add} data-testid="add-form-field">
        {t("designer.addField")}
      </Button>
    </Space>
  );
}
