import { type CustomFieldDefinition, fieldRequiredNow } from "@loopdesk/contracts/custom-fields";
import { Checkbox, Form, type FormRule, Input, InputNumber, Select } from "antd";
import { useTranslation } from "react-i18next";

/**
 * One custom field, rendered from its definition (with its help text) and checked as the server
 * checks it — also a requirement that depends on another answer. Callers list only the fields of
 * the ticket's template.
 */
export function CustomFieldInput({ def }: { def: CustomFieldDefinition }) {
  const { t } = useTranslation();
  const name = ["customFields", def.key];
  const inTemplate = { ...def, categoryIds: [] };
  const rules: FormRule[] = [
    ({ getFieldValue }) => ({
      required: fieldRequiredNow(inTemplate, (getFieldValue("customFields") as Record<string, unknown> | undefined) ?? {}, null),
      message: t("form.required", { field: def.label }),
    }),
    ...(def.pattern && def.type === "text"
      ? [{ pattern: new RegExp(def.pattern, "u"), message: t("form.pattern", { field: def.label }) }]
      : []),
  ];
  const options = def.options.map((o) => ({ value: o.value, label: o.label }));
  const item = {
    name,
    label: def.label,
    rules,
    extra: def.helpText ?? undefined,
    dependencies: def.requiredWhen ? [["customFields", def.requiredWhen.field]] : undefined,
  };
  switch (def.type) {
    case "number":
      return (
        <Form.Item {...item}>
          <InputNumber style={{ width: "100%" }} />
        </Form.Item>
      );
    case "date":
      return (
        <Form.Item {...item}>
          {/* The native picker yields YYYY-MM-DD, the format the server expects. */}
          <Input type="date" />
        </Form.Item>
      );
    case "checkbox":
      return (
        <Form.Item {...item} valuePropName="checked">
          <Checkbox />
        </Form.Item>
      );
    case "select":
      return (
        <Form.Item {...item}>
          <Select allowClear options={options} />
        </Form.Item>
      );
    case "multi_select":
      return (
        <Form.Item {...item}>
          <Select optionFilterProp="label" mode="multiple" allowClear options={options} />
        </Form.Item>
      );
    default:
      return (
        <Form.Item {...item}>
          <Input />
        </Form.Item>
      );
  }
}
