import type { CustomFieldDefinition } from "@loopdesk/contracts/custom-fields";
import { Checkbox, Form, Input, InputNumber, Select } from "antd";
import { useTranslation } from "react-i18next";

/** One custom field, rendered from its definition and checked as the server checks it. */
export function CustomFieldInput({ def }: { def: CustomFieldDefinition }) {
  const { t } = useTranslation();
  const name = ["customFields", def.key];
  const rules = [
    ...(def.required ? [{ required: true, message: t("form.required", { field: def.label }) }] : []),
    ...(def.pattern && def.type === "text"
      ? [{ pattern: new RegExp(def.pattern, "u"), message: t("form.pattern", { field: def.label }) }]
      : []),
  ];
  const options = def.options.map((o) => ({ value: o.value, label: o.label }));
  switch (def.type) {
    case "number":
      return (
        <Form.Item name={name} label={def.label} rules={rules}>
          <InputNumber style={{ width: "100%" }} />
        </Form.Item>
      );
    case "date":
      return (
        <Form.Item name={name} label={def.label} rules={rules}>
          {/* The native picker yields YYYY-MM-DD, the format the server expects. */}
          <Input type="date" />
        </Form.Item>
      );
    case "checkbox":
      return (
        <Form.Item name={name} label={def.label} valuePropName="checked" rules={rules}>
          <Checkbox />
        </Form.Item>
      );
    case "select":
      return (
        <Form.Item name={name} label={def.label} rules={rules}>
          <Select allowClear options={options} />
        </Form.Item>
      );
    case "multi_select":
      return (
        <Form.Item name={name} label={def.label} rules={rules}>
          <Select mode="multiple" allowClear options={options} />
        </Form.Item>
      );
    default:
      return (
        <Form.Item name={name} label={def.label} rules={rules}>
          <Input />
        </Form.Item>
      );
  }
}
