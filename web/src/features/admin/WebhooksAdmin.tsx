import { type Webhook, type WebhookDelivery, webhookEvents, webhookKinds } from "@loopdesk/contracts/webhooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Drawer, Form, Input, Select, Space, Switch, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { EditModal } from "./EditModal";
import { RowActions } from "./RowActions";
import { useList, useRemove, useSave } from "./admin-api";

const statusColor = { pending: "orange", succeeded: "green", failed: "red" } as const;

/** Outbound webhooks and WeCom/DingTalk/Feishu group robots, each with its delivery log. */
export function WebhooksAdmin() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const hooks = useList<Webhook>("/webhooks");
  const [editing, setEditing] = useState<Webhook | "new" | null>(null);
  const [log, setLog] = useState<Webhook | null>(null);
  const [form] = Form.useForm();
  const save = useSave<Webhook>("/webhooks", { form, onDone: () => setEditing(null) });
  const remove = useRemove("/webhooks");
  const test = useMutation({
    mutationFn: (id: number) => api(`/webhooks/${id}/test`, { method: "POST" }),
    onSuccess: () => void message.success(t("admin.webhooks.testSent")),
    onError: (e) => void message.error(errorText(t, e)),
  });
  const open = (h: Webhook | "new") => {
    setEditing(h);
    form.resetFields();
    form.setFieldsValue(
      h === "new"
        ? { name: "", kind: "generic", url: "", events: ["ticket.sla_breached"], active: true, locale: "zh-CN" }
        : { ...h, secret: "" },
    );
  };
  const onFinish = (v: Record<string, unknown>) => {
    const { secret, ...rest } = v;
    // An empty secret field on an existing webhook keeps the stored secret.
    const secretPart = secret ? { secret } : editing === "new" ? { secret: null } : {};
    save.mutate({ id: editing === "new" ? undefined : (editing as Webhook).id, body: { ...rest, ...secretPart } });
  };
  return (
    <Card title={t("admin.sections.webhooks")} extra={<Button onClick={() => open("new")}>{t("admin.webhooks.add")}</Button>}>
      <Table<Webhook>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={hooks.data ?? []}
        scroll={{ x: 720 }}
        columns={[
          { title: t("admin.webhooks.name"), dataIndex: "name", render: (n: string, h) => (h.active ? n : <Tag>{n}</Tag>) },
          { title: t("admin.webhooks.kind"), dataIndex: "kind", render: (k: string) => t(`admin.webhooks.kinds.${k}`) },
          {
            title: t("admin.webhooks.events"),
            dataIndex: "events",
            render: (events: string[]) => events.map((e) => <Tag key={e}>{t(`admin.webhooks.eventTypes.${e}`)}</Tag>),
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_: unknown, h) => (
              <RowActions confirm={t("admin.webhooks.deleteConfirm")} onEdit={() => open(h)} onDelete={() => remove.mutate(h.id)}>
                <Button size="small" onClick={() => setLog(h)}>
                  {t("admin.webhooks.deliveries")}
                </Button>
                <Button size="small" onClick={() => test.mutate(h.id)}>
                  {t("admin.webhooks.test")}
                </Button>
              </RowActions>
            ),
          },
        ]}
      />
      <EditModal
        open={editing !== null}
        title={editing === "new" ? t("admin.webhooks.add") : t("common.edit")}
        form={form}
        saving={save.isPending}
        onClose={() => setEditing(null)}
        width={620}
      >
        <Form name="webhook" form={form} layout="vertical" onFinish={onFinish}>
          <Form.Item
            name="name"
            label={t("admin.webhooks.name")}
            rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="kind" label={t("admin.webhooks.kind")}>
            <Select options={webhookKinds.map((k) => ({ value: k, label: t(`admin.webhooks.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="url" label={t("admin.webhooks.url")} rules={[{ required: true, message: t("form.invalid") }]}>
            <Input placeholder="https://" />
          </Form.Item>
          <Form.Item
            name="secret"
            label={t("admin.webhooks.secret")}
            extra={t("admin.webhooks.secretHelp")}
            rules={[{ min: 8, message: t("validation.too_small") }]}
          >
            <Input.Password
              placeholder={editing !== "new" && editing?.hasSecret ? t("admin.webhooks.secretSet") : ""}
              autoComplete="new-password"
            />
          </Form.Item>
          <Form.Item name="events" label={t("admin.webhooks.events")}>
            <Select
              optionFilterProp="label"
              mode="multiple"
              options={webhookEvents.map((e) => ({ value: e, label: t(`admin.webhooks.eventTypes.${e}`) }))}
            />
          </Form.Item>
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
      <Drawer
        open={log !== null}
        onClose={() => setLog(null)}
        title={`${t("admin.webhooks.deliveries")} · ${log?.name ?? ""}`}
        size="large"
      >
        {log && <DeliveryLog webhookId={log.id} />}
      </Drawer>
    </Card>
  );
}

function DeliveryLog({ webhookId }: { webhookId: number }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "medium" });
  const key = ["webhooks", webhookId, "deliveries"];
  const deliveries = useQuery({
    queryKey: key,
    queryFn: async () => (await api<{ items: WebhookDelivery[] }>(`/webhooks/${webhookId}/deliveries`)).items,
    refetchInterval: 3000,
  });
  const resend = useMutation({
    mutationFn: (id: number) => api(`/webhooks/${webhookId}/deliveries/${id}/resend`, { method: "POST" }),
    onSuccess: () => void message.success(t("admin.webhooks.resent")),
    onError: (e) => void message.error(errorText(t, e)),
    onSettled: () => qc.invalidateQueries({ queryKey: key }),
  });
  return (
    <Table<WebhookDelivery>
      rowKey="id"
      size="small"
      data-testid="delivery-log"
      dataSource={deliveries.data ?? []}
      pagination={false}
      scroll={{ x: 640 }}
      expandable={{
        expandedRowRender: (d) => (
          <Typography.Paragraph code style={{ whiteSpace: "pre-wrap", margin: 0 }}>
            {d.responseBody ?? d.error ?? "—"}
          </Typography.Paragraph>
        ),
      }}
      columns={[
        { title: t("admin.webhooks.time"), dataIndex: "createdAt", render: (v: string) => fmt.format(new Date(v)) },
        {
          title: t("admin.webhooks.event"),
          dataIndex: "eventType",
          render: (e: string) => t(`admin.webhooks.eventTypes.${e}`, { defaultValue: e }),
        },
        {
          title: t("admin.webhooks.status"),
          dataIndex: "status",
          render: (s: WebhookDelivery["status"]) => <Tag color={statusColor[s]}>{t(`admin.webhooks.statuses.${s}`)}</Tag>,
        },
        { title: t("admin.webhooks.attempts"), dataIndex: "attempts" },
        { title: t("admin.webhooks.response"), dataIndex: "responseStatus", render: (s: number | null, d) => s ?? d.error ?? "—" },
        {
          title: t("common.actions"),
          key: "resend",
          render: (_: unknown, d) => (
            <Button size="small" onClick={() => resend.mutate(d.id)} disabled={d.status === "pending"}>
              {t("admin.webhooks.resend")}
            </Button>
          ),
        },
      ]}
    />
  );
}
