import type { RuleConditions } from "@loopdesk/contracts/routing";
import { channels, priorities } from "@loopdesk/contracts/tickets";
import { Button, Card, Form, Input, InputNumber, Select, Space, Switch, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { EditModal } from "../admin/EditModal";
import { FormRows } from "../admin/FormRows";
import { RowActions } from "../admin/RowActions";
import { useList, useRemove, useSave } from "../admin/admin-api";

type Named = { id: number; name: string };
type Rule = {
  id: number;
  name: string;
  position: number;
  active: boolean;
  conditions: RuleConditions;
  teamId: number | null;
  agentIds: number[];
  problem: string | null;
};
const TIERS = ["normal", "silver", "gold", "vip"] as const;

/** 分配规则: conditions → a team (or named agents: green channel), tried in order. */
export function RoutingRulesAdmin() {
  const { t } = useTranslation();
  const rules = useList<Rule>("/routing/rules");
  const teams = useList<Named>("/teams");
  const staff = useList<Named & { active: boolean }>("/staff");
  const categories = useList<Named>("/categories");
  const [editing, setEditing] = useState<Rule | "new" | null>(null);
  const [form] = Form.useForm();
  const save = useSave<Rule>("/routing/rules", { form, onDone: () => setEditing(null), listDetails: true });
  const remove = useRemove("/routing/rules");
  const name = (list: Named[] | undefined, id: number) => list?.find((x) => x.id === id)?.name ?? `#${id}`;
  const open = (r: Rule | "new") => {
    setEditing(r);
    form.resetFields();
    form.setFieldsValue(
      r === "new" ? { name: "", position: (rules.data?.length ?? 0) * 10, active: true, agentIds: [] } : { ...r, ...r.conditions },
    );
  };
  const onFinish = (v: Record<string, unknown>) => {
    const { name: n, position, active, teamId, agentIds, ...c } = v;
    const conditions = Object.fromEntries(Object.entries(c).filter(([, x]) => Array.isArray(x) && x.length > 0));
    save.mutate({
      id: editing === "new" ? undefined : (editing as Rule).id,
      body: { name: n, position, active, teamId: teamId ?? null, agentIds: agentIds ?? [], conditions },
    });
  };
  const summary = (c: RuleConditions) =>
    [
      c.categoryIds?.map((id) => name(categories.data, id)).join("/"),
      c.channels?.map((x) => t(`channel.${x}`)).join("/"),
      c.tiers?.map((x) => t(`tier.${x}`)).join("/"),
      c.priorities?.map((x) => t(`priority.${x}`)).join("/"),
      c.languages?.join("/"),
      ...(c.customerFields ?? []).map((f) => `${f.key}=${f.values.join("/")}`),
      ...(c.ticketFields ?? []).map((f) => `${f.key}=${f.values.join("/")}`),
    ]
      .filter(Boolean)
      .join(" · ") || t("routing.rules.everything");
  return (
    <Card title={t("routing.rules.title")} extra={<Button onClick={() => open("new")}>{t("routing.rules.add")}</Button>}>
      <Table<Rule>
        rowKey="id"
        size="small"
        pagination={false}
        data-testid="routing-rules"
        dataSource={rules.data ?? []}
        scroll={{ x: 720 }}
        columns={[
          { title: t("routing.rules.position"), dataIndex: "position", width: 70 },
          { title: t("routing.rules.name"), dataIndex: "name", render: (n: string, r) => (r.active ? n : <Tag>{n}</Tag>) },
          { title: t("routing.rules.when"), dataIndex: "conditions", render: summary },
          {
            title: t("routing.rules.then"),
            key: "target",
            render: (_: unknown, r) => (
              <>
                {r.agentIds.length > 0 && <Tag color="gold">{r.agentIds.map((id) => name(staff.data, id)).join("、")}</Tag>}
                {r.teamId !== null && name(teams.data, r.teamId)}
                {r.problem && <Tag color="red">{t(`routing.rules.problems.${r.problem}`)}</Tag>}
              </>
            ),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_: unknown, r) => (
              <RowActions confirm={t("routing.rules.deleteConfirm")} onEdit={() => open(r)} onDelete={() => remove.mutate(r.id)} />
            ),
          },
        ]}
      />
      <EditModal
        open={editing !== null}
        title={editing === "new" ? t("routing.rules.add") : t("common.edit")}
        form={form}
        saving={save.isPending}
        onClose={() => setEditing(null)}
        width={680}
      >
        <Form name="routing-rule" form={form} layout="vertical" onFinish={onFinish}>
          <Space wrap>
            <Form.Item
              name="name"
              label={t("routing.rules.name")}
              rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}
            >
              <Input maxLength={100} style={{ width: 260 }} />
            </Form.Item>
            <Form.Item name="position" label={t("routing.rules.position")}>
              <InputNumber min={0} max={100000} />
            </Form.Item>
            <Form.Item name="active" label={t("admin.webhooks.active")} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
          <Space wrap>
            <Form.Item name="categoryIds" label={t("analytics.category")}>
              <Select
                optionFilterProp="label"
                mode="multiple"
                style={{ width: 200 }}
                options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
              />
            </Form.Item>
            <Form.Item name="channels" label={t("analytics.channel")}>
              <Select
                optionFilterProp="label"
                mode="multiple"
                style={{ width: 200 }}
                options={channels.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
              />
            </Form.Item>
            <Form.Item name="tiers" label={t("routing.rules.tiers")}>
              <Select
                optionFilterProp="label"
                mode="multiple"
                style={{ width: 200 }}
                options={TIERS.map((x) => ({ value: x, label: t(`tier.${x}`) }))}
              />
            </Form.Item>
            <Form.Item name="priorities" label={t("tickets.priority")}>
              <Select
                optionFilterProp="label"
                mode="multiple"
                style={{ width: 200 }}
                options={priorities.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
              />
            </Form.Item>
            <Form.Item name="languages" label={t("routing.rules.languages")}>
              <Select
                optionFilterProp="label"
                mode="multiple"
                style={{ width: 200 }}
                options={[
                  { value: "zh-CN", label: "中文" },
                  { value: "en", label: "English" },
                ]}
              />
            </Form.Item>
          </Space>
          <FieldConditions name="customerFields" label={t("routing.rules.customerFields")} />
          <FieldConditions name="ticketFields" label={t("routing.rules.ticketFields")} />
          <Space wrap>
            <Form.Item name="teamId" label={t("routing.team")} extra={t("routing.rules.teamHelp")}>
              <Select allowClear style={{ width: 220 }} options={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))} />
            </Form.Item>
            <Form.Item name="agentIds" label={t("routing.rules.agents")} extra={t("routing.rules.agentsHelp")}>
              <Select
                mode="multiple"
                style={{ width: 260 }}
                optionFilterProp="label"
                options={(staff.data ?? []).filter((s) => s.active).map((s) => ({ value: s.id, label: s.name }))}
              />
            </Form.Item>
          </Space>
        </Form>
      </EditModal>
    </Card>
  );
}

/** Custom-field conditions: a field key and the values that match. */
function FieldConditions({ name, label }: { name: string; label: string }) {
  const { t } = useTranslation();
  return (
    <FormRows name={name} label={label} addLabel={t("routing.rules.addField")} initial={{ key: "", values: [] }}>
      {(row) => (
        <>
          <Form.Item name={[row, "key"]} rules={[{ required: true, message: t("form.invalid") }]}>
            <Input placeholder={t("routing.rules.fieldKey")} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name={[row, "values"]} rules={[{ required: true, type: "array", min: 1, message: t("form.invalid") }]}>
            <Select mode="tags" open={false} placeholder={t("routing.rules.fieldValues")} style={{ width: 260 }} />
          </Form.Item>
        </>
      )}
    </FormRows>
  );
}
