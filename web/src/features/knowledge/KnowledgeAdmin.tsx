import type { KbCategory, SynonymGroup } from "@loopdesk/contracts/knowledge";
import { Button, Card, Form, Input, InputNumber, Popconfirm, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useList, useRemove, useSave } from "../admin/admin-api";
import { EditModal } from "../admin/EditModal";

/** The knowledge base's categories (as the help center shows them) and the search synonyms. */
export function KnowledgeAdmin() {
  const { t } = useTranslation();
  const categories = useList<KbCategory>("/kb/categories");
  const synonyms = useList<SynonymGroup>("/kb/synonyms");
  const [editing, setEditing] = useState<KbCategory | "new" | null>(null);
  const [form] = Form.useForm();
  const [synonymForm] = Form.useForm();
  const save = useSave<KbCategory>("/kb/categories", { form, onDone: () => setEditing(null) });
  const removeCategory = useRemove("/kb/categories");
  const addSynonyms = useSave<SynonymGroup>("/kb/synonyms", { form: synonymForm, onDone: () => synonymForm.resetFields() });
  const removeSynonyms = useRemove("/kb/synonyms");
  return (
    <>
      <Card
        size="small"
        title={t("knowledge.admin.categories")}
        extra={
          <Button
            onClick={() => {
              setEditing("new");
              form.resetFields();
            }}
          >
            {t("knowledge.admin.addCategory")}
          </Button>
        }
      >
        <Table<KbCategory>
          rowKey="id"
          size="small"
          pagination={false}
          loading={categories.isLoading}
          dataSource={categories.data ?? []}
          scroll={{ x: 560 }}
          columns={[
            { title: t("knowledge.admin.name"), dataIndex: "name" },
            { title: t("knowledge.admin.nameEn"), dataIndex: "nameEn", render: (v: string | null) => v ?? "—" },
            { title: t("knowledge.admin.description"), dataIndex: "description", ellipsis: true },
            { title: t("knowledge.admin.articles"), dataIndex: "articles", width: 90 },
            { title: t("knowledge.admin.position"), dataIndex: "position", width: 80 },
            {
              title: t("common.actions"),
              key: "edit",
              width: 160,
              render: (_: unknown, c) => (
                <Space>
                  <Button
                    onClick={() => {
                      setEditing(c);
                      form.setFieldsValue(c);
                    }}
                  >
                    {t("common.edit")}
                  </Button>
                  <Popconfirm title={t("knowledge.admin.removeCategory")} onConfirm={() => removeCategory.mutate(c.id)}>
                    <Button danger>{t("common.delete")}</Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t("knowledge.admin.synonyms")} style={{ marginTop: 16 }}>
        <Typography.Paragraph type="secondary">{t("knowledge.admin.synonymsHelp")}</Typography.Paragraph>
        <Space direction="vertical" style={{ marginBottom: 12 }}>
          {(synonyms.data ?? []).map((g) => (
            <Space key={g.id} data-testid="synonym-group">
              {g.words.map((w) => (
                <Tag key={w}>{w}</Tag>
              ))}
              <Button size="small" type="link" danger onClick={() => removeSynonyms.mutate(g.id)}>
                {t("common.delete")}
              </Button>
            </Space>
          ))}
        </Space>
        <Form name="synonyms" form={synonymForm} layout="inline" onFinish={(v: { words: string[] }) => addSynonyms.mutate({ body: v })}>
          <Form.Item name="words" rules={[{ required: true, type: "array", min: 2, message: t("knowledge.admin.synonymsMin") }]}>
            <Select
              mode="tags"
              open={false}
              style={{ minWidth: 320 }}
              aria-label={t("knowledge.admin.synonymWords")}
              placeholder={t("knowledge.admin.synonymWords")}
              tokenSeparators={[",", "，", " ", "/"]}
            />
          </Form.Item>
          <Button htmlType="submit" loading={addSynonyms.isPending}>
            {t("knowledge.admin.addSynonyms")}
          </Button>
        </Form>
      </Card>
      <EditModal
        open={editing !== null}
        title={editing === "new" ? t("knowledge.admin.addCategory") : t("common.edit")}
        form={form}
        saving={save.isPending}
        onClose={() => setEditing(null)}
      >
        <Form
          name="kb-category"
          form={form}
          layout="vertical"
          initialValues={{ position: 0 }}
          onFinish={(v) => save.mutate({ id: editing === "new" ? undefined : editing?.id, body: { ...v, nameEn: v.nameEn || null } })}
        >
          <Form.Item
            name="name"
            label={t("knowledge.admin.name")}
            rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}
          >
            <Input maxLength={80} />
          </Form.Item>
          <Form.Item name="nameEn" label={t("knowledge.admin.nameEn")}>
            <Input maxLength={80} />
          </Form.Item>
          <Form.Item name="description" label={t("knowledge.admin.description")}>
            <Input.TextArea maxLength={500} autoSize={{ minRows: 2 }} />
          </Form.Item>
          <Form.Item name="position" label={t("knowledge.admin.position")}>
            <InputNumber min={0} max={10_000} />
          </Form.Item>
        </Form>
      </EditModal>
    </>
  );
}
