import { type CustomFieldDefinition, fieldEntities, fieldTypes } from "@loopdesk/contracts/custom-fields";
import { Button, Form, Input, Segmented, Select, Space, Switch, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useList, useSave } from "./admin-api";
import { EditModal } from "./EditModal";

type Entity = (typeof fieldEntities)[number];

/** Custom fields per entity: create, reorder, required, pattern, options, deactivate. */
export function CustomFieldsAdmin() {
  const { t } = useTranslation();
  const [entity, setEntity] = useState<Entity>("ticket");
  const fields = useList<CustomFieldDefinition>("/custom-fields");
  const categories = useList<{ id: number; name: string }>("/categories");
  const [editing, setEditing] = useState<CustomFieldDefinition | "new" | null>(null);
  const [form] = Form.useForm();
  const save = useSave<CustomFieldDefinition>("/custom-fields", { form, onDone: () => setEditing(null) });
  const move = useSave<CustomFieldDefinition>("/custom-fields");
  const list = (fields.data ?? []).filter((f) => f.entity === entity).sort((a, b) => a.position - b.position || a.id - b.id);
  const type = Form.useWatch("type", form) as CustomFieldDefinition["type"] | undefined;
  const hasOptions = type === "select" || type === "multi_select";
  const required = Form.useWatch("required", form) as boolean | undefined;

  /** Swaps a field with its neighbour by renumbering the whole list (positions 10, 20, …). */
  const reorder = (index: number, step: -1 | 1) => {
    const order = [...list];
    const [f] = order.splice(index, 1);
    order.splice(index + step, 0, f as CustomFieldDefinition);
    order.forEach((x, i) => {
      if (x.position !== (i + 1) * 10) move.mutate({ id: x.id, body: { position: (i + 1) * 10 } });
    });
  };
  const onFinish = (v: Record<string, unknown>) => {
    const common = {
      label: v.label,
      required: !!v.required,
      pattern: v.pattern || null,
      options: hasOptions ? (v.options ?? []) : [],
      active: v.active,
      helpText: typeof v.helpText === "string" && v.helpText.trim() ? v.helpText.trim() : null,
      requiredWhen: v.required && v.whenField ? { field: v.whenField, values: (v.whenValues as string[] | undefined) ?? [] } : null,
    };
    if (editing === "new")
      save.mutate({ body: { ...common, entity, key: v.key, type: v.type, position: ((list.at(-1)?.position ?? 0) as number) + 10 } });
    else if (editing) save.mutate({ id: editing.id, body: common });
  };
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Segmented
          value={entity}
          onChange={(v) => setEntity(v as Entity)}
          options={fieldEntities.map((e) => ({ value: e, label: t(`admin.fields.entity.${e}`) }))}
        />
        <Button
          type="primary"
          onClick={() => {
            setEditing("new");
            form.resetFields();
          }}
        >
          {t("admin.fields.add")}
        </Button>
      </Space>
      <Table<CustomFieldDefinition>
        rowKey="id"
        size="small"
        pagination={false}
        loading={fields.isLoading}
        dataSource={list}
        scroll={{ x: 700 }}
        columns={[
          { title: t("admin.fields.label"), dataIndex: "label" },
          { title: t("admin.fields.key"), dataIndex: "key" },
          { title: t("admin.fields.type"), dataIndex: "type", render: (x: string) => t(`admin.fields.types.${x}`) },
          {
            title: t("admin.fields.required"),
            dataIndex: "required",
            render: (r: boolean) => (r ? <Tag color="red">{t("common.yes")}</Tag> : t("common.no")),
          },
          {
            title: t("admin.fields.active"),
            dataIndex: "active",
            render: (a: boolean) => (a ? t("common.yes") : <Tag>{t("common.no")}</Tag>),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_: unknown, f, i) => (
              <Space>
                <Button size="small" aria-label={t("admin.fields.up")} disabled={i === 0} onClick={() => reorder(i, -1)}>
                  ↑
                </Button>
                <Button size="small" aria-label={t("admin.fields.down")} disabled={i === list.length - 1} onClick={() => reorder(i, 1)}>
                  ↓
                </Button>
                <Button
                  size="small"
                  onClick={() => {
                    setEditing(f);
                    form.resetFields();
                    form.setFieldsValue({ ...f, whenField: f.requiredWhen?.field, whenValues: f.requiredWhen?.values ?? [] });
                  }}
                >
                  {t("common.edit")}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <EditModal
        open={editing !== null}
        title={editing === "new" ? t("admin.fields.add") : t("common.edit")}
        form={form}
        saving={save.isPending}
        onClose={() => setEditing(null)}
      >
        <Form
          name="field"
          form={form}
          layout="vertical"
          initialValues={{ type: "text", required: false, active: true, options: [], categoryIds: [] }}
          onFinish={onFinish}
        >
          <Form.Item
            name="label"
            label={t("admin.fields.label")}
            rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item
            name="key"
            label={t("admin.fields.key")}
            extra={t("admin.fields.keyHelp")}
            rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{0,62}$/, message: t("admin.fields.keyHelp") }]}
          >
            <Input disabled={editing !== "new"} />
          </Form.Item>
          <Form.Item name="type" label={t("admin.fields.type")}>
            <Select disabled={editing !== "new"} options={fieldTypes.map((x) => ({ value: x, label: t(`admin.fields.types.${x}`) }))} />
          </Form.Item>
          {(type === "text" || type === undefined) && (
            <Form.Item name="pattern" label={t("admin.fields.pattern")} extra={t("admin.fields.patternHelp")}>
              <Input placeholder="^DD\d{10}$" />
            </Form.Item>
          )}
          {hasOptions && (
            <Form.List name="options">
              {(rows, { add, remove }) => (
                <Form.Item label={t("admin.fields.options")}>
                  {rows.map((r) => (
                    <Space key={r.key} style={{ display: "flex", marginBottom: 4 }}>
                      <Form.Item name={[r.name, "value"]} noStyle rules={[{ required: true, whitespace: true }]}>
                        <Input placeholder={t("admin.fields.optionValue")} />
                      </Form.Item>
                      <Form.Item name={[r.name, "label"]} noStyle rules={[{ required: true, whitespace: true }]}>
                        <Input placeholder={t("admin.fields.optionLabel")} />
                      </Form.Item>
                      <Button onClick={() => remove(r.name)}>{t("common.delete")}</Button>
                    </Space>
                  ))}
                  <Button onClick={() => add()}>{t("admin.fields.addOption")}</Button>
                </Form.Item>
              )}
            </Form.List>
          )}
          {entity === "ticket" && (
            <Form.Item name="categoryIds" label={t("admin.fields.categories")} extra={t("admin.fields.categoriesHelp")}>
              <Select
                mode="multiple"
                optionFilterProp="label"
                options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
              />
            </Form.Item>
          )}
          <Form.Item name="helpText" label={t("admin.fields.helpText")} extra={t("admin.fields.helpTextHelp")}>
            <Input maxLength={500} />
          </Form.Item>
          <Form.Item name="required" label={t("admin.fields.required")} valuePropName="checked">
            <Switch />
          </Form.Item>
          {required && (
            <Space wrap align="start">
              <Form.Item name="whenField" label={t("admin.fields.requiredWhen")}>
                <Select
                  allowClear
                  style={{ width: 200 }}
                  placeholder={t("admin.fields.requiredWhenField")}
                  options={list.filter((f) => editing === "new" || f.id !== editing?.id).map((f) => ({ value: f.key, label: f.label }))}
                />
              </Form.Item>
              <Form.Item name="whenValues" label={t("admin.fields.requiredWhenValues")}>
                <Select mode="tags" style={{ width: 240 }} />
              </Form.Item>
            </Space>
          )}
          <Form.Item name="active" label={t("admin.fields.active")} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </EditModal>
    </>
  );
}
