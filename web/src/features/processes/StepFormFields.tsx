import { fieldShown, type StepField } from "@loopdesk/contracts/processes";
import { Checkbox, Form, type FormRule, Input, InputNumber, Select } from "antd";
import { useTranslation } from "react-i18next";

function FieldInput({ f }: { f: StepField }) {
  const { t } = useTranslation();
  const rules: FormRule[] = [
    { required: f.required && f.type !== "checkbox", message: t("form.required", { field: f.label }) },
    ...(f.required && f.type === "checkbox"
      ? [
          {
            validator: (_: unknown, v: unknown) =>
              v ? Promise.resolve() : Promise.reject(new Error(t("form.required", { field: f.label }))),
          },
        ]
      : []),
    ...(f.pattern && f.type === "text" ? [{ pattern: new RegExp(f.pattern, "u"), message: t("form.pattern", { field: f.label }) }] : []),
  ];
  const item = { name: ["values", f.key], label: f.label, rules, extra: f.helpText ?? undefined };
  const options = f.options.map((o) => ({ value: o.value, label: o.label }));
  switch (f.type) {
    case "number":
      return (
        <Form.Item {...item}>
          <InputNumber style={{ width: "100%" }} />
        </Form.Item>
      );
    case "date":
      return (
        <Form.Item {...item}>
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
    case "multi_select":
      return (
        <Form.Item {...item}>
          <Select allowClear optionFilterProp="label" mode={f.type === "multi_select" ? "multiple" : undefined} options={options} />
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

/** A step's form inside an antd Form: each field as its type, a field shown only while its condition holds. */
export function StepFormFields({ form }: { form: StepField[] }) {
  return (
    <Form.Item noStyle shouldUpdate>
      {({ getFieldValue }) => {
        const values = (getFieldValue("values") as Record<string, unknown> | undefined) ?? {};
        return form.filter((f) => fieldShown(f, values)).map((f) => <FieldInput key={f.key} f={f} />);
      }}
    </Form.Item>
  );
}
