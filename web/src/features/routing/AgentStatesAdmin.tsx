import type { AgentState } from "@loopdesk/contracts/routing";
import { channels } from "@loopdesk/contracts/tickets";
import { Badge, Button, Card, DatePicker, Form, InputNumber, Select, Switch, Table, Tag, TimePicker } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { EditModal } from "../admin/EditModal";
import { FormRows } from "../admin/FormRows";
import { useList, useSave } from "../admin/admin-api";

const badge = { online: "success", away: "warning", offline: "default" } as const;
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
const hhmm = (d: Dayjs | null | undefined) => (d ? d.format("HH:mm") : undefined);
const time = (s: string | undefined) => (s ? dayjs(`2000-01-01T${s === "24:00" ? "23:59" : s}`) : undefined);

/** 坐席: capacity (also per channel), weekly shifts and dated exceptions; presence and load at a glance. */
export function AgentStatesAdmin() {
  const { t } = useTranslation();
  const agents = useList<AgentState>("/routing/agents");
  const [editing, setEditing] = useState<AgentState | null>(null);
  const [form] = Form.useForm();
  const save = useSave("/routing/agents", { form, onDone: () => setEditing(null), listDetails: true, also: ["routing"] });
  const open = (a: AgentState) => {
    setEditing(a);
    form.resetFields();
    form.setFieldsValue({
      capacity: a.capacity,
      channelCapacity: Object.entries(a.channelCapacity).map(([channel, max]) => ({ channel, max })),
      shifts: a.shifts.map((s) => ({ weekday: s.weekday, start: time(s.start), end: time(s.end) })),
      shiftExceptions: a.shiftExceptions.map((e) => ({ date: dayjs(e.date), off: e.off, start: time(e.start), end: time(e.end) })),
    });
  };
  type FormValues = {
    capacity: number;
    channelCapacity?: { channel: string; max: number }[];
    shifts?: { weekday: number; start: Dayjs; end: Dayjs }[];
    shiftExceptions?: { date: Dayjs; off?: boolean; start?: Dayjs; end?: Dayjs }[];
  };
  const onFinish = (v: FormValues) =>
    save.mutate({
      id: editing?.staffId,
      body: {
        capacity: v.capacity,
        channelCapacity: Object.fromEntries((v.channelCapacity ?? []).map((c) => [c.channel, c.max])),
        shifts: (v.shifts ?? []).map((s) => ({ weekday: s.weekday, start: hhmm(s.start), end: hhmm(s.end) })),
        shiftExceptions: (v.shiftExceptions ?? []).map((e) => ({
          date: e.date.format("YYYY-MM-DD"),
          off: e.off ?? false,
          ...(e.off ? {} : { start: hhmm(e.start), end: hhmm(e.end) }),
        })),
      },
    });
  const shiftText = (a: AgentState) =>
    a.shifts.length === 0
      ? t("routing.alwaysOnShift")
      : a.shifts.map((s) => `${t(`routing.weekdays.${s.weekday}`)} ${s.start}–${s.end}`).join("，");
  return (
    <Card title={t("routing.agentsTitle")}>
      <Table<AgentState>
        rowKey="staffId"
        size="small"
        pagination={false}
        data-testid="agent-states"
        dataSource={agents.data ?? []}
        scroll={{ x: 720 }}
        columns={[
          { title: t("routing.agent"), dataIndex: "name" },
          {
            title: t("routing.presenceTitle"),
            dataIndex: "presence",
            render: (p: AgentState["presence"]) => <Badge status={badge[p]} text={t(`routing.presence.${p}`)} />,
          },
          { title: t("routing.load"), key: "load", render: (_: unknown, a) => `${a.load}/${a.capacity}` },
          {
            title: t("routing.shifts"),
            key: "shifts",
            render: (_: unknown, a) => (
              <>
                {shiftText(a)}
                {!a.onShift && <Tag style={{ marginInlineStart: 6 }}>{t("routing.offShift")}</Tag>}
              </>
            ),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_: unknown, a) => (
              <Button size="small" onClick={() => open(a)}>
                {t("common.edit")}
              </Button>
            ),
          },
        ]}
      />
      <EditModal
        open={editing !== null}
        title={editing?.name ?? ""}
        form={form}
        saving={save.isPending}
        onClose={() => setEditing(null)}
        width={640}
      >
        <Form<FormValues> name="agent-state" form={form} layout="vertical" onFinish={onFinish}>
          <Form.Item name="capacity" label={t("routing.capacity")} extra={t("routing.capacityHelp")}>
            <InputNumber min={0} max={1000} />
          </Form.Item>
          <FormRows
            name="channelCapacity"
            label={t("routing.channelCapacity")}
            addLabel={t("routing.addChannelCapacity")}
            initial={{ channel: "phone", max: 5 }}
          >
            {(row) => (
              <>
                <Form.Item name={[row, "channel"]} rules={[{ required: true, message: t("form.invalid") }]}>
                  <Select style={{ width: 130 }} options={channels.map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
                </Form.Item>
                <Form.Item name={[row, "max"]} rules={[{ required: true, message: t("form.invalid") }]}>
                  <InputNumber min={0} max={1000} />
                </Form.Item>
              </>
            )}
          </FormRows>
          <FormRows
            name="shifts"
            label={t("routing.shifts")}
            extra={t("routing.shiftsHelp")}
            addLabel={t("routing.addShift")}
            addTestId="add-shift"
            initial={() => ({ weekday: 1, start: time("09:00"), end: time("18:00") })}
          >
            {(row) => (
              <>
                <Form.Item name={[row, "weekday"]} rules={[{ required: true, message: t("form.invalid") }]}>
                  <Select style={{ width: 90 }} options={WEEKDAYS.map((d) => ({ value: d, label: t(`routing.weekdays.${d}`) }))} />
                </Form.Item>
                <Form.Item name={[row, "start"]} rules={[{ required: true, message: t("form.invalid") }]}>
                  <TimePicker format="HH:mm" minuteStep={15} />
                </Form.Item>
                <Form.Item name={[row, "end"]} rules={[{ required: true, message: t("form.invalid") }]}>
                  <TimePicker format="HH:mm" minuteStep={15} />
                </Form.Item>
              </>
            )}
          </FormRows>
          <FormRows
            name="shiftExceptions"
            label={t("routing.exceptions")}
            addLabel={t("routing.addException")}
            initial={() => ({ date: dayjs(), off: true })}
          >
            {(row) => (
              <>
                <Form.Item name={[row, "date"]} rules={[{ required: true, message: t("form.invalid") }]}>
                  <DatePicker />
                </Form.Item>
                <Form.Item name={[row, "off"]} valuePropName="checked" label={t("routing.dayOff")}>
                  <Switch size="small" />
                </Form.Item>
                <Form.Item name={[row, "start"]}>
                  <TimePicker format="HH:mm" minuteStep={15} />
                </Form.Item>
                <Form.Item name={[row, "end"]}>
                  <TimePicker format="HH:mm" minuteStep={15} />
                </Form.Item>
              </>
            )}
          </FormRows>
        </Form>
      </EditModal>
    </Card>
  );
}
