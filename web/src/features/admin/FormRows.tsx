import { Button, Form, Space } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * An editable list of rows inside a form (shifts, per-channel limits, field conditions…): each
 * row's fields side by side with a delete button, and an add button below.
 */
export function FormRows({
  name,
  label,
  extra,
  addLabel,
  initial,
  addTestId,
  children,
}: {
  name: string;
  label?: string;
  extra?: string;
  addLabel: string;
  /** The new row's values (a function: computed at the click). */
  initial: Record<string, unknown> | (() => Record<string, unknown>);
  addTestId?: string;
  children: (row: number) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <Form.Item label={label} extra={extra}>
          {fields.map((f) => (
            <Space key={f.key} align="baseline" wrap>
              {children(f.name)}
              <Button size="small" onClick={() => remove(f.name)}>
                {t("common.delete")}
              </Button>
            </Space>
          ))}
          <Button size="small" data-testid={addTestId} onClick={() => add(typeof initial === "function" ? initial() : initial)}>
            {addLabel}
          </Button>
        </Form.Item>
      )}
    </Form.List>
  );
}
