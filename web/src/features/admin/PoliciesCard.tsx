import { channels, priorities } from "@loopdesk/contracts/tickets";
import { tiers } from "@loopdesk/contracts/customers";
import type { BusinessCalendar, SlaPolicy } from "@loopdesk/contracts/sla";
import { Button, Card, Form, Input, InputNumber, Select, Space, Switch, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useList, useSave } from "./admin-api";
import { EditModal } from "./EditModal";
import { EscalationStepsField, toEscalation } from "./EscalationStepsField";

type Named = { id: number; name: string };
const hours = (m: number | null) => (m === null ? null : Math.round((m / 60) * 100) / 100);
const minutes = (h: number | null | undefined) => (h === null || h === undefined ? null : Math.round(h * 60));

/** SLA policies in order: conditions pick the policy, targets set the clocks. */
export function PoliciesCard() {
  const { t } = useTranslation();
  const policies = useList<SlaPolicy>("/sla-policies");
  const calendars = useList<BusinessCalendar>("/calendars");
  const categories = useList<Named>("/categories");
  const departments = useList<Named>("/departments");
  const staff = useList<Named & { active: boolean }>("/staff");
  const [editing, setEditing] = useState<SlaPolicy | "new" | null>(null);
  const [form] = Form.useForm();
  const save = useSave<SlaPolicy>("/sla-policies", {
    form,
    onDone: () => setEditing(null),
    fieldOf: (p) => p.replace(/Minutes$/, "Hours").split("."),
  });
  const move = useSave<SlaPolicy>("/sla-policies");
  const list = [...(policies.data ?? [])].sort((a, b) => a.position - b.position || a.id - b.id);
  const businessHours = Form.useWatch("businessHours", form) as boolean | undefined;

  const reorder = (index: number, step: -1 | 1) => {
    const order = [...list];
    const [p] = order.splice(index, 1);
    order.splice(index + step, 0, p as SlaPolicy);
    order.forEach((x, i) => {
      if (x.position !== (i + 1) * 10) move.mutate({ id: x.id, body: { position: (i + 1) * 10 } });
    });
  };
  const open = (p: SlaPolicy | "new") => {
    setEditing(p);
    form.resetFields();
    const base =
      p === "new"
        ? {
            name: "",
            active: true,
            businessHours: true,
            pauseOnPending: true,
            pauseOnHold: true,
            conditions: {},
            firstResponseMinutes: 240,
            nextResponseMinutes: null,
            resolutionMinutes: 1440,
            warnPercent: 75,
            warnMinutesBefore: 15,
            calendarId: calendars.data?.[0]?.id ?? null,
            escalation: [],
          }
        : p;
    form.setFieldsValue({
      ...base,
      firstResponseHours: hours(base.firstResponseMinutes),
      nextResponseHours: hours(base.nextResponseMinutes),
      resolutionHours: hours(base.resolutionMinutes),
    });
  };
  const onFinish = (v: Record<string, unknown> & { conditions?: Record<string, unknown[]> }) => {
    const conditions = Object.fromEntries(Object.entries(v.conditions ?? {}).filter(([, x]) => Array.isArray(x) && x.length));
    save.mutate({
      id: editing === "new" ? undefined : (editing as SlaPolicy).id,
      body: {
        name: v.name,
        active: v.active,
        conditions,
        firstResponseMinutes: minutes(v.firstResponseHours as number | null),
        nextResponseMinutes: minutes(v.nextResponseHours as number | null),
        resolutionMinutes: minutes(v.resolutionHours as number | null),
        businessHours: v.businessHours,
        calendarId: v.businessHours ? (v.calendarId ?? null) : null,
        pauseOnPending: v.pauseOnPending,
        pauseOnHold: v.pauseOnHold,
        warnPercent: v.warnPercent ?? null,
        warnMinutesBefore: v.warnMinutesBefore ?? null,
        escalation: toEscalation(v.escalation as Parameters<typeof toEscalation>[0]),
        ...(editing === "new" ? { position: ((list.at(-1)?.position ?? 0) as number) + 10 } : {}),
      },
    });
  };
  const target = (m: number | null) => (m === null ? "—" : t("admin.sla.hoursValue", { count: hours(m) ?? 0 }));
  return (
    <Card
      size="small"
      title={t("admin.sla.policies")}
      style={{ marginTop: 16 }}
      data-testid="sla-policies"
      extra={<Button onClick={() => open("new")}>{t("admin.sla.addPolicy")}</Button>}
    >
      <Table<SlaPolicy>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={list}
        scroll={{ x: 760 }}
        columns={[
          { title: t("admin.sla.name"), dataIndex: "name", render: (n: string, p) => (p.active ? n : <Tag>{n}</Tag>) },
          { title: t("field.first_response"), dataIndex: "firstResponseMinutes", render: target },
          { title: t("field.next_response"), dataIndex: "nextResponseMinutes", render: target },
          { title: t("field.resolution"), dataIndex: "resolutionMinutes", render: target },
          {
            title: t("admin.sla.clock"),
            dataIndex: "businessHours",
            render: (b: boolean) => (b ? t("admin.sla.workingTime") : t("admin.sla.calendarTime")),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_: unknown, p, i) => (
              <Space>
                <Button size="small" aria-label={t("admin.fields.up")} disabled={i === 0} onClick={() => reorder(i, -1)}>
                  ↑
                </Button>
                <Button size="small" aria-label={t("admin.fields.down")} disabled={i === list.length - 1} onClick={() => reorder(i, 1)}>
                  ↓
                </Button>
                <Button size="small" onClick={() => open(p)}>
                  {t("common.edit")}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <EditModal
        open={editing !== null}
        title={editing === "new" ? t("admin.sla.addPolicy") : t("common.edit")}
        form={form}
        saving={save.isPending}
        onClose={() => setEditing(null)}
        width={640}
      >
        <Form name="policy" form={form} layout="vertical" onFinish={onFinish}>
          <Form.Item name="name" label={t("admin.sla.name")} rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item label={t("admin.sla.conditions")} extra={t("admin.sla.conditionsHelp")}>
            <Space direction="vertical" style={{ width: "100%" }}>
              <Form.Item name={["conditions", "priorities"]} noStyle>
                <Select
                  optionFilterProp="label"
                  mode="multiple"
                  allowClear
                  placeholder={t("tickets.priority")}
                  options={priorities.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
                />
              </Form.Item>
              <Form.Item name={["conditions", "tiers"]} noStyle>
                <Select
                  optionFilterProp="label"
                  mode="multiple"
                  allowClear
                  placeholder={t("admin.sla.tier")}
                  options={tiers.map((x) => ({ value: x, label: t(`tier.${x}`) }))}
                />
              </Form.Item>
              <Form.Item name={["conditions", "categoryIds"]} noStyle>
                <Select
                  mode="multiple"
                  allowClear
                  placeholder={t("ticket.category")}
                  optionFilterProp="label"
                  options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
                />
              </Form.Item>
              <Form.Item name={["conditions", "channels"]} noStyle>
                <Select
                  optionFilterProp="label"
                  mode="multiple"
                  allowClear
                  placeholder={t("tickets.channel")}
                  options={channels.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
                />
              </Form.Item>
              <Form.Item name={["conditions", "departmentIds"]} noStyle>
                <Select
                  mode="multiple"
                  allowClear
                  placeholder={t("ticket.department")}
                  optionFilterProp="label"
                  options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
                />
              </Form.Item>
            </Space>
          </Form.Item>
          <Space wrap>
            <Form.Item name="firstResponseHours" label={t("admin.sla.targetHours", { target: t("field.first_response") })}>
              <InputNumber min={0.1} step={0.5} />
            </Form.Item>
            <Form.Item name="nextResponseHours" label={t("admin.sla.targetHours", { target: t("field.next_response") })}>
              <InputNumber min={0.1} step={0.5} />
            </Form.Item>
            <Form.Item name="resolutionHours" label={t("admin.sla.targetHours", { target: t("field.resolution") })}>
              <InputNumber min={0.1} step={0.5} />
            </Form.Item>
          </Space>
          <Form.Item name="businessHours" label={t("admin.sla.workingTime")} valuePropName="checked" extra={t("admin.sla.workingTimeHelp")}>
            <Switch />
          </Form.Item>
          {businessHours && (
            <Form.Item name="calendarId" label={t("admin.sla.calendar")}>
              <Select options={(calendars.data ?? []).map((c) => ({ value: c.id, label: c.name }))} />
            </Form.Item>
          )}
          <Space wrap>
            <Form.Item name="warnPercent" label={t("admin.sla.warnPercent")}>
              <InputNumber min={1} max={99} />
            </Form.Item>
            <Form.Item name="warnMinutesBefore" label={t("admin.sla.warnMinutesBefore")}>
              <InputNumber min={1} max={10080} />
            </Form.Item>
          </Space>
          <EscalationStepsField
            staff={(staff.data ?? []).filter((x) => x.active).map((x) => ({ value: x.id, label: x.name }))}
            departments={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
          />
          <Space wrap>
            <Form.Item name="pauseOnPending" label={t("admin.sla.pauseOnPending")} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="pauseOnHold" label={t("admin.sla.pauseOnHold")} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="active" label={t("admin.fields.active")} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
        </Form>
      </EditModal>
    </Card>
  );
}
