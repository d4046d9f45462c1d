import { Button, Card, Form, Input, InputNumber, Select, Space, Switch, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useList, useSave } from "./admin-api";
import { EditModal } from "./EditModal";
import { toTree } from "./tree";

type Category = { id: number; name: string; parentId: number | null; departmentId: number | null; position: number; active: boolean };
type Named = { id: number; name: string };

/** The category tree (what requests are about) with each category's handling department; and skills. */
export function CategoriesAdmin() {
  const { t } = useTranslation();
  const categories = useList<Category>("/categories");
  const departments = useList<Named>("/departments");
  const skills = useList<Named>("/skills");
  const [editing, setEditing] = useState<Category | "new" | null>(null);
  const [form] = Form.useForm();
  const [skillForm] = Form.useForm();
  const save = useSave<Category>("/categories", { form, onDone: () => setEditing(null) });
  const addSkill = useSave<Named>("/skills", { form: skillForm, onDone: () => skillForm.resetFields() });
  const sorted = [...(categories.data ?? [])].sort((a, b) => a.position - b.position || a.id - b.id);
  return (
    <>
      <Card
        size="small"
        title={t("admin.categories.title")}
        extra={
          <Button
            onClick={() => {
              setEditing("new");
              form.resetFields();
            }}
          >
            {t("admin.categories.add")}
          </Button>
        }
      >
        <Table<Category>
          rowKey="id"
          size="small"
          pagination={false}
          loading={categories.isLoading}
          dataSource={toTree(sorted)}
          expandable={{ defaultExpandAllRows: true }}
          scroll={{ x: 560 }}
          columns={[
            { title: t("admin.categories.name"), dataIndex: "name" },
            {
              title: t("admin.categories.department"),
              dataIndex: "departmentId",
              render: (id: number | null) => departments.data?.find((d) => d.id === id)?.name ?? "—",
            },
            { title: t("admin.categories.position"), dataIndex: "position", width: 80 },
            {
              title: t("admin.categories.active"),
              dataIndex: "active",
              width: 90,
              render: (a: boolean) => (a ? t("common.yes") : <Tag>{t("admin.categories.inactive")}</Tag>),
            },
            {
              title: t("common.actions"),
              key: "edit",
              width: 100,
              render: (_: unknown, c) => (
                <Button
                  onClick={() => {
                    setEditing(c);
                    form.setFieldsValue(c);
                  }}
                >
                  {t("common.edit")}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t("admin.skills.title")} style={{ marginTop: 16 }}>
        <Space wrap style={{ marginBottom: 8 }}>
          {(skills.data ?? []).map((s) => (
            <Tag key={s.id}>{s.name}</Tag>
          ))}
        </Space>
        <Form name="skill" form={skillForm} layout="inline" onFinish={(v) => addSkill.mutate({ body: v })}>
          <Form.Item name="name" rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}>
            <Input placeholder={t("admin.skills.name")} maxLength={100} />
          </Form.Item>
          <Button htmlType="submit" loading={addSkill.isPending}>
            {t("admin.skills.add")}
          </Button>
        </Form>
      </Card>
      <EditModal
        open={editing !== null}
        title={editing === "new" ? t("admin.categories.add") : t("common.edit")}
        form={form}
        saving={save.isPending}
        onClose={() => setEditing(null)}
      >
        <Form
          name="category"
          form={form}
          layout="vertical"
          initialValues={{ position: 0, active: true }}
          onFinish={(v) =>
            save.mutate({
              id: editing === "new" ? undefined : editing?.id,
              body: { ...v, parentId: v.parentId ?? null, departmentId: v.departmentId ?? null },
            })
          }
        >
          <Form.Item
            name="name"
            label={t("admin.categories.name")}
            rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="parentId" label={t("admin.categories.parent")}>
            <Select
              allowClear
              options={sorted.filter((c) => editing === "new" || c.id !== editing?.id).map((c) => ({ value: c.id, label: c.name }))}
            />
          </Form.Item>
          <Form.Item name="departmentId" label={t("admin.categories.department")} extra={t("admin.categories.departmentHelp")}>
            <Select allowClear options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
          <Form.Item name="position" label={t("admin.categories.position")}>
            <InputNumber min={0} max={100000} />
          </Form.Item>
          <Form.Item name="active" label={t("admin.categories.active")} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </EditModal>
    </>
  );
}
