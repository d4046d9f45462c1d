import { Button, Card, Form, InputNumber, Select, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { EditModal } from "../admin/EditModal";
import { FormRows } from "../admin/FormRows";
import { useList } from "../admin/admin-api";
import { useQueryClient, useMutation } from "@tanstack/react-query";
import { App } from "antd";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";

type Named = { id: number; name: string };
type Required = { categoryId: number; skills: { skillId: number; minLevel: number }[] };

/** 技能要求: which skills (at which level) each category needs; skill-based teams route by them. */
export function CategorySkillsAdmin({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const categories = useList<Named>("/categories");
  const skills = useList<Named>("/skills");
  const required = useList<Required>("/routing/category-skills");
  const [editing, setEditing] = useState<Named | null>(null);
  const [form] = Form.useForm();
  const save = useMutation({
    mutationFn: (v: { skills?: { skillId: number; minLevel: number }[] }) =>
      api(`/routing/category-skills/${editing?.id}`, { method: "PUT", body: { skills: v.skills ?? [] } }),
    onSuccess: () => {
      void message.success(t("common.saved"));
      setEditing(null);
    },
    onError: (e) => void message.error(errorText(t, e)),
    onSettled: () => void qc.invalidateQueries({ queryKey: ["routing/category-skills"] }),
  });
  const of = (id: number) => required.data?.find((r) => r.categoryId === id)?.skills ?? [];
  const skillName = (id: number) => skills.data?.find((s) => s.id === id)?.name ?? `#${id}`;
  return (
    <Card title={t("routing.skillsTitle")}>
      <Table<Named>
        rowKey="id"
        size="small"
        pagination={false}
        data-testid="category-skills"
        dataSource={categories.data ?? []}
        columns={[
          { title: t("analytics.category"), dataIndex: "name" },
          {
            title: t("routing.requiredSkills"),
            key: "skills",
            render: (_: unknown, c) =>
              of(c.id).map((s) => (
                <Tag key={s.skillId}>{t("routing.skillAtLevel", { name: skillName(s.skillId), level: s.minLevel })}</Tag>
              )),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_: unknown, c) =>
              readOnly ? null : (
                <Button
                  size="small"
                  onClick={() => {
                    setEditing(c);
                    form.setFieldsValue({ skills: of(c.id) });
                  }}
                >
                  {t("common.edit")}
                </Button>
              ),
          },
        ]}
      />
      <EditModal open={editing !== null} title={editing?.name ?? ""} form={form} saving={save.isPending} onClose={() => setEditing(null)}>
        <Form name="category-skills" form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <FormRows name="skills" addLabel={t("routing.addSkill")} initial={{ minLevel: 1 }}>
            {(row) => (
              <>
                <Form.Item name={[row, "skillId"]} rules={[{ required: true, message: t("form.invalid") }]}>
                  <Select style={{ width: 180 }} options={(skills.data ?? []).map((s) => ({ value: s.id, label: s.name }))} />
                </Form.Item>
                <Form.Item name={[row, "minLevel"]} label={t("routing.minLevel")}>
                  <InputNumber min={1} max={5} />
                </Form.Item>
              </>
            )}
          </FormRows>
        </Form>
      </EditModal>
    </Card>
  );
}
