import type { OfficialCalendar } from "@loopdesk/contracts/sla";
import { UploadOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, DatePicker, Form, Input, Select, Space, Table, Tag, Typography, Upload } from "antd";
import type { Dayjs } from "dayjs";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { useSession } from "../auth/session";

const KEY = ["calendars", "official"];

/**
 * 法定节假日: which years China's official calendar covers (the bundled data and the years entered
 * here), a warning when this year or — from December — next year is missing, and entering a
 * year's holidays and make-up working days by hand or from an .ics holiday calendar.
 */
export function OfficialCalendarCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { user } = useSession();
  const admin = user?.kind === "staff" && user.role === "admin";
  const qc = useQueryClient();
  const [form] = Form.useForm<{ date: Dayjs; kind: "holiday" | "workday"; name?: string }>();
  const data = useQuery({ queryKey: KEY, queryFn: () => api<OfficialCalendar>("/calendars/official") });
  const done = (result: OfficialCalendar) => {
    qc.setQueryData(KEY, result);
    void qc.invalidateQueries({ queryKey: ["calendars"] });
  };
  const save = useMutation({
    mutationFn: (v: { date: Dayjs; kind: "holiday" | "workday"; name?: string }) =>
      api<OfficialCalendar>("/calendars/official/days", {
        method: "PUT",
        body: { days: [{ date: v.date.format("YYYY-MM-DD"), kind: v.kind, name: v.name ?? "" }] },
      }),
    onSuccess: (r) => {
      done(r);
      form.resetFields();
      void message.success(t("official.saved"));
    },
    onError: (e) => void message.error(errorText(t, e)),
  });
  const importIcs = useMutation({
    mutationFn: async (file: File) =>
      api<{ imported: number; calendar: OfficialCalendar }>("/calendars/official/import", {
        method: "POST",
        body: { ics: await file.text() },
      }),
    onSuccess: (r) => {
      done(r.calendar);
      void message.success(t("official.imported", { count: r.imported }));
    },
    onError: (e) => void message.error(errorText(t, e)),
  });
  const remove = useMutation({
    mutationFn: (date: string) => api(`/calendars/official/days/${date}`, { method: "DELETE" }),
    onSettled: () => void qc.invalidateQueries({ queryKey: KEY }),
  });
  const o = data.data;
  const years = o ? [...new Set([...o.packageYears.slice(-3), ...o.enteredYears])].sort() : [];
  return (
    <Card title={t("official.title")} style={{ marginTop: 16 }} data-testid="official-calendar">
      {o && o.missingYears.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="official-missing"
          title={t("official.missing", { years: o.missingYears.join(t("common.listSep")) })}
          description={t("official.missingHelp")}
        />
      )}
      <Typography.Paragraph>
        {t("official.covered")}{" "}
        {years.map((y) => (
          <Tag key={y} color={o?.enteredYears.includes(y) && !o.packageYears.includes(y) ? "blue" : "green"}>
            {y} {o?.packageYears.includes(y) ? t("official.bundled") : t("official.entered")}
          </Tag>
        ))}
      </Typography.Paragraph>
      {admin && (
        <Space wrap align="start" style={{ marginBottom: 12 }}>
          <Form form={form} layout="inline" onFinish={(v) => save.mutate(v)}>
            <Form.Item name="date" rules={[{ required: true, message: t("official.date") }]}>
              <DatePicker placeholder={t("official.date")} data-testid="official-date" />
            </Form.Item>
            <Form.Item name="kind" initialValue="holiday">
              <Select
                style={{ width: 130 }}
                options={(["holiday", "workday"] as const).map((k) => ({ value: k, label: t(`official.kinds.${k}`) }))}
              />
            </Form.Item>
            <Form.Item name="name">
              <Input placeholder={t("official.name")} style={{ width: 140 }} />
            </Form.Item>
            <Button htmlType="submit" loading={save.isPending}>
              {t("official.add")}
            </Button>
          </Form>
          <Upload
            accept=".ics,text/calendar"
            showUploadList={false}
            beforeUpload={(file) => {
              importIcs.mutate(file);
              return false;
            }}
            data-testid="official-ics"
          >
            <Button icon={<UploadOutlined />} loading={importIcs.isPending}>
              {t("official.importIcs")}
            </Button>
          </Upload>
        </Space>
      )}
      <Table
        size="small"
        rowKey="date"
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        dataSource={o?.days ?? []}
        locale={{ emptyText: t("official.none") }}
        columns={[
          { title: t("official.date"), dataIndex: "date" },
          { title: t("official.kind"), dataIndex: "kind", render: (k: string) => t(`official.kinds.${k}`) },
          { title: t("official.name"), dataIndex: "name" },
          {
            title: t("official.source"),
            dataIndex: "source",
            render: (s: string, r) => (
              <>
                {t(`official.sources.${s}`)} {r.supersededByPackage && <Tag>{t("official.superseded")}</Tag>}
              </>
            ),
          },
          ...(admin
            ? [
                {
                  title: "",
                  key: "remove",
                  render: (_: unknown, r: { date: string }) => (
                    <Button size="small" type="link" danger onClick={() => remove.mutate(r.date)}>
                      {t("common.delete")}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
