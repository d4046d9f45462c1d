import type { ReportSchedule } from "@loopdesk/contracts/analytics";
import { channels } from "@loopdesk/contracts/tickets";
import { useMutation } from "@tanstack/react-query";
import { Alert, App, Button, Card, Form, Input, Select, Space, Switch, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { useNamed } from "../tickets/ticket-api";
import { EditModal } from "./EditModal";
import { RowActions } from "./RowActions";
import { useList, useRemove, useSave } from "./admin-api";
import { useAuthOptions } from "../auth/auth-options";

/** 报表订阅: weekly or monthly report mails, with a slice of the data, to a list of people. */
export function ReportSchedulesAdmin() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const schedules = useList<ReportSchedule>("/report-schedules");
  const departments = useNamed("/departments");
  const categories = useNamed("/categories");
  // Without outgoing mail (SMTP_URL) nothing can be sent: said once, and 立即发送 is off.
  const options = useAuthOptions();
  const noMail = options.data?.mail === false;
  const [editing, setEditing] = useState<ReportSchedule | "new" | null>(null);
  const [form] = Form.useForm();
  const save = useSave<ReportSchedule>("/report-schedules", { form, onDone: () => setEditing(null), listDetails: true });
  const remove = useRemove("/report-schedules");
  const send = useMutation({
    mutationFn: (id: number) => api<{ from: string; to: string }>(`/report-schedules/${id}/send`, { method: "POST" }),
    onSuccess: (r) => void message.success(t("admin.reports.sent", { from: r.from, to: r.to })),
    onError: (e) => void message.error(errorText(t, e)),
  });
  const open = (s: ReportSchedule | "new") => {
    setEditing(s);
    form.resetFields();
    form.setFieldsValue(
      s === "new"
        ? { name: "", frequency: "weekly", recipients: [], locale: i18n.language === "en" ? "en" : "zh-CN", active: true }
        : { ...s, ...s.filters },
    );
  };
  const onFinish = (v: Record<string, unknown>) => {
    const { departmentId, categoryId, channel, ...rest } = v;
    const filters = Object.fromEntries(
      Object.entries({ departmentId, categoryId, channel }).filter(([, x]) => x !== undefined && x !== null),
    );
    save.mutate({ id: editing === "new" ? undefined : (editing as ReportSchedule).id, body: { ...rest, filters } });
  };
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  return (
    <Card title={t("admin.sections.reports")} extra={<Button onClick={() => open("new")}>{t("admin.reports.add")}</Button>}>
      {noMail && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t("admin.reports.noMail")} data-testid="reports-no-mail" />
      )}
      <Table<ReportSchedule>
        rowKey="id"
        size="small"
        pagination={false}
        data-testid="report-schedules"
        dataSource={schedules.data ?? []}
        scroll={{ x: 720 }}
        columns={[
          { title: t("admin.reports.name"), dataIndex: "name", render: (n: string, s) => (s.active ? n : <Tag>{n}</Tag>) },
          { title: t("admin.reports.frequency"), dataIndex: "frequency", render: (f: string) => t(`admin.reports.frequencies.${f}`) },
          { title: t("admin.reports.recipients"), dataIndex: "recipients", render: (r: string[]) => r.join(", ") },
          { title: t("admin.reports.nextRun"), dataIndex: "nextRunAt", render: (v: string) => fmt.format(new Date(v)) },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_: unknown, s) => (
              <RowActions confirm={t("admin.reports.deleteConfirm")} onEdit={() => open(s)} onDelete={() => remove.mutate(s.id)}>
                <Button
                  size="small"
                  disabled={noMail}
                  onClick={() => send.mutate(s.id)}
                  loading={send.isPending && send.variables === s.id}
                >
                  {t("admin.reports.sendNow")}
                </Button>
              </RowActions>
            ),
          },
        ]}
      />
      <EditModal
        open={editing !== null}
        title={editing === "new" ? t("admin.reports.add") : t("common.edit")}
        form={form}
        saving={save.isPending}
        onClose={() => setEditing(null)}
        width={620}
      >
        <Form name="report-schedule" form={form} layout="vertical" onFinish={onFinish}>
          <Form.Item name="name" label={t("admin.reports.name")} rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="frequency" label={t("admin.reports.frequency")} extra={t("admin.reports.frequencyHelp")}>
            <Select options={(["weekly", "monthly"] as const).map((f) => ({ value: f, label: t(`admin.reports.frequencies.${f}`) }))} />
          </Form.Item>
          <Form.Item
            name="recipients"
            label={t("admin.reports.recipients")}
            extra={t("admin.reports.recipientsHelp")}
            rules={[{ required: true, type: "array", min: 1, message: t("form.invalid") }]}
          >
            <Select mode="tags" tokenSeparators={[",", "，", " ", ";"]} open={false} />
          </Form.Item>
          <Space wrap>
            <Form.Item name="departmentId" label={t("analytics.department")}>
              <Select allowClear style={{ width: 160 }} options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
            </Form.Item>
            <Form.Item name="channel" label={t("analytics.channel")}>
              <Select allowClear style={{ width: 130 }} options={channels.map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
            </Form.Item>
            <Form.Item name="categoryId" label={t("analytics.category")}>
              <Select allowClear style={{ width: 160 }} options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))} />
            </Form.Item>
          </Space>
          <Space>
            <Form.Item name="locale" label={t("admin.webhooks.locale")}>
              <Select
                style={{ width: 140 }}
                options={[
                  { value: "zh-CN", label: "中文" },
                  { value: "en", label: "English" },
                ]}
              />
            </Form.Item>
            <Form.Item name="active" label={t("admin.webhooks.active")} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
        </Form>
      </EditModal>
    </Card>
  );
}
