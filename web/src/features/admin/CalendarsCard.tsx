import type { BusinessCalendar } from "@loopdesk/contracts/sla";
import { Button, Card, Form, Input, Select, Switch, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useList, useSave } from "./admin-api";
import { EditModal } from "./EditModal";

type Values = { name: string; timeZone: string; days: string[]; chinaOfficial: boolean; holidays: string[]; workdays: string[] };
const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6];
const ZONES = [
  "Asia/Shanghai",
  "Asia/Hong_Kong",
  "Asia/Taipei",
  "Asia/Tokyo",
  "Asia/Singapore",
  "Europe/London",
  "Europe/Berlin",
  "America/New_York",
  "America/Los_Angeles",
  "UTC",
];

/** "09:00-12:00, 13:00-18:00" ⇄ intervals. */
const toText = (day: { start: string; end: string }[]) => day.map((i) => `${i.start}-${i.end}`).join(", ");
const fromText = (text: string) =>
  text
    .split(/[,，\s]+/)
    .filter(Boolean)
    .map((part) => {
      const [start = "", end = ""] = part.split("-");
      return { start: start.trim(), end: end.trim() };
    });

/** Business calendars: weekly working hours per weekday, time zone, China's official days, extra days. */
export function CalendarsCard() {
  const { t } = useTranslation();
  const calendars = useList<BusinessCalendar>("/calendars");
  const [editing, setEditing] = useState<BusinessCalendar | "new" | null>(null);
  const [form] = Form.useForm<Values>();
  const save = useSave<BusinessCalendar>("/calendars", {
    form,
    onDone: () => setEditing(null),
    fieldOf: (path) => (path.startsWith("weekly.") ? ["days", Number(path.split(".")[1])] : path.split(".")),
  });
  const open = (c: BusinessCalendar | "new") => {
    setEditing(c);
    form.resetFields();
    form.setFieldsValue(
      c === "new"
        ? {
            name: "",
            timeZone: "Asia/Shanghai",
            chinaOfficial: true,
            holidays: [],
            workdays: [],
            days: WEEKDAYS.map((d) => (d === 0 || d === 6 ? "" : "09:00-12:00, 13:00-18:00")),
          }
        : { ...c, days: c.weekly.map(toText) },
    );
  };
  const onFinish = (v: Values) =>
    save.mutate({
      id: editing === "new" ? undefined : editing?.id,
      body: {
        name: v.name,
        timeZone: v.timeZone,
        chinaOfficial: v.chinaOfficial,
        holidays: v.holidays,
        workdays: v.workdays,
        weekly: v.days.map((d) => fromText(d ?? "")),
      },
    });
  return (
    <Card
      size="small"
      data-testid="calendars"
      title={t("admin.sla.calendars")}
      extra={<Button onClick={() => open("new")}>{t("admin.sla.addCalendar")}</Button>}
    >
      <Table<BusinessCalendar>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={calendars.data ?? []}
        scroll={{ x: 600 }}
        columns={[
          { title: t("admin.sla.name"), dataIndex: "name" },
          { title: t("admin.sla.timeZone"), dataIndex: "timeZone" },
          { title: t("admin.sla.weekday.1"), key: "mon", render: (_: unknown, c) => toText(c.weekly[1] ?? []) || "—" },
          {
            title: t("admin.sla.chinaOfficial"),
            dataIndex: "chinaOfficial",
            render: (x: boolean) => (x ? <Tag color="red">{t("common.yes")}</Tag> : t("common.no")),
          },
          {
            title: t("common.actions"),
            key: "edit",
            render: (_: unknown, c) => <Button onClick={() => open(c)}>{t("common.edit")}</Button>,
          },
        ]}
      />
      <EditModal
        open={editing !== null}
        title={editing === "new" ? t("admin.sla.addCalendar") : t("common.edit")}
        form={form}
        saving={save.isPending}
        onClose={() => setEditing(null)}
        width={560}
      >
        <Form name="calendar" form={form} layout="vertical" onFinish={onFinish}>
          <Form.Item name="name" label={t("admin.sla.name")} rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="timeZone" label={t("admin.sla.timeZone")}>
            <Select optionFilterProp="label" showSearch options={ZONES.map((z) => ({ value: z, label: z }))} />
          </Form.Item>
          {WEEKDAYS.map((d) => (
            <Form.Item
              key={d}
              name={["days", d]}
              label={t(`admin.sla.weekday.${d}`)}
              extra={d === 1 ? t("admin.sla.hoursHelp") : undefined}
            >
              <Input placeholder={t("admin.sla.dayOff")} />
            </Form.Item>
          ))}
          <Form.Item
            name="chinaOfficial"
            label={t("admin.sla.chinaOfficial")}
            valuePropName="checked"
            extra={t("admin.sla.chinaOfficialHelp")}
          >
            <Switch />
          </Form.Item>
          <Form.Item name="holidays" label={t("admin.sla.holidays")} extra={t("admin.sla.datesHelp")}>
            <Select mode="tags" tokenSeparators={[",", " "]} />
          </Form.Item>
          <Form.Item name="workdays" label={t("admin.sla.workdays")} extra={t("admin.sla.datesHelp")}>
            <Select mode="tags" tokenSeparators={[",", " "]} />
          </Form.Item>
        </Form>
      </EditModal>
    </Card>
  );
}
