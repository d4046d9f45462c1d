import { type InboundEmail, type Mailbox, inboundOutcomes } from "@loopdesk/contracts/intake";
import { useMutation, useQuery } from "@tanstack/react-query";
import { App, Button, Card, Form, Input, InputNumber, Select, Space, Switch, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { EditModal } from "./EditModal";
import { RowActions } from "./RowActions";
import { useList, useRemove, useSave } from "./admin-api";

type Named = { id: number; name: string };

const outcomeColor = { created: "green", appended: "blue", duplicate: "default", ignored: "orange", quarantined: "red" } as const;

/** Mailboxes customers write to (SMTP listener and/or IMAP polling), and what became of every inbound mail. */
export function MailboxesAdmin() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const boxes = useList<Mailbox>("/mailboxes");
  const departments = useList<Named>("/departments");
  const categories = useList<Named>("/categories");
  const [editing, setEditing] = useState<Mailbox | "new" | null>(null);
  const [form] = Form.useForm();
  const useImap = Form.useWatch("useImap", form) as boolean | undefined;
  const save = useSave<Mailbox>("/mailboxes", { form, onDone: () => setEditing(null), fieldOf: (p) => p.split(".") });
  const remove = useRemove("/mailboxes");
  const poll = useMutation({
    mutationFn: (id: number) => api(`/mailboxes/${id}/poll`, { method: "POST" }),
    onSuccess: () => void message.success(t("admin.mailboxes.pollQueued")),
    onError: (e) => void message.error(errorText(t, e)),
  });
  const open = (b: Mailbox | "new") => {
    setEditing(b);
    form.resetFields();
    form.setFieldsValue(
      b === "new"
        ? { name: "", address: "", active: true, useImap: false, imap: { secure: true, port: 993, folder: "INBOX" } }
        : { ...b, useImap: b.imap !== null, imap: { ...(b.imap ?? { secure: true, port: 993, folder: "INBOX" }), password: "" } },
    );
  };
  const onFinish = (v: Record<string, unknown> & { useImap: boolean; imap?: Record<string, unknown> }) => {
    const { useImap: withImap, imap, ...rest } = v;
    // An empty password on an existing mailbox keeps the stored one.
    const imapBody = withImap && imap ? { ...imap, password: imap.password ? imap.password : undefined } : null;
    save.mutate({ id: editing === "new" ? undefined : (editing as Mailbox).id, body: { ...rest, imap: imapBody } });
  };
  const fmt = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : "—");
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="large">
      <Card title={t("admin.sections.mailboxes")} extra={<Button onClick={() => open("new")}>{t("admin.mailboxes.add")}</Button>}>
        <Typography.Paragraph type="secondary">{t("admin.mailboxes.help")}</Typography.Paragraph>
        <Table<Mailbox>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={boxes.data ?? []}
          scroll={{ x: 720 }}
          columns={[
            { title: t("admin.mailboxes.name"), dataIndex: "name", render: (n: string, b) => (b.active ? n : <Tag>{n}</Tag>) },
            { title: t("admin.mailboxes.address"), dataIndex: "address" },
            {
              title: t("admin.mailboxes.imap"),
              key: "imap",
              render: (_: unknown, b) =>
                b.imap ? (
                  <Space direction="vertical" size={0}>
                    <span>{`${b.imap.user} @ ${b.imap.host}:${b.imap.port}`}</span>
                    <Typography.Text type="secondary">{`${t("admin.mailboxes.lastPolled")}: ${fmt(b.lastPolledAt)}`}</Typography.Text>
                    {b.lastError && <Typography.Text type="danger">{b.lastError}</Typography.Text>}
                  </Space>
                ) : (
                  <Typography.Text type="secondary">{t("admin.mailboxes.smtpOnly")}</Typography.Text>
                ),
            },
            {
              title: t("common.actions"),
              key: "actions",
              render: (_: unknown, b) => (
                <RowActions confirm={t("admin.mailboxes.deleteConfirm")} onEdit={() => open(b)} onDelete={() => remove.mutate(b.id)}>
                  {b.imap && (
                    <Button size="small" onClick={() => poll.mutate(b.id)}>
                      {t("admin.mailboxes.pollNow")}
                    </Button>
                  )}
                </RowActions>
              ),
            },
          ]}
        />
      </Card>
      <InboundLog mailboxes={boxes.data ?? []} />
      <EditModal
        open={editing !== null}
        title={editing === "new" ? t("admin.mailboxes.add") : t("common.edit")}
        form={form}
        saving={save.isPending}
        onClose={() => setEditing(null)}
        width={620}
      >
        <Form name="mailbox" form={form} layout="vertical" onFinish={onFinish}>
          <Form.Item
            name="name"
            label={t("admin.mailboxes.name")}
            rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="address"
            label={t("admin.mailboxes.address")}
            rules={[{ required: true, type: "email", message: t("form.invalid") }]}
          >
            <Input placeholder="support@example.com" />
          </Form.Item>
          <Space wrap>
            <Form.Item name="departmentId" label={t("admin.mailboxes.department")}>
              <Select allowClear style={{ width: 200 }} options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
            </Form.Item>
            <Form.Item name="categoryId" label={t("admin.mailboxes.category")}>
              <Select allowClear style={{ width: 200 }} options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))} />
            </Form.Item>
            <Form.Item name="active" label={t("admin.mailboxes.active")} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
          <Form.Item name="useImap" label={t("admin.mailboxes.useImap")} valuePropName="checked" extra={t("admin.mailboxes.useImapHelp")}>
            <Switch />
          </Form.Item>
          {useImap && (
            <>
              <Space wrap>
                <Form.Item
                  name={["imap", "host"]}
                  label={t("admin.mailboxes.host")}
                  rules={[{ required: true, message: t("form.invalid") }]}
                >
                  <Input style={{ width: 220 }} placeholder="imap.example.com" />
                </Form.Item>
                <Form.Item name={["imap", "port"]} label={t("admin.mailboxes.port")}>
                  <InputNumber min={1} max={65535} />
                </Form.Item>
                <Form.Item name={["imap", "secure"]} label={t("admin.mailboxes.secure")} valuePropName="checked">
                  <Switch />
                </Form.Item>
              </Space>
              <Space wrap>
                <Form.Item
                  name={["imap", "user"]}
                  label={t("admin.mailboxes.user")}
                  rules={[{ required: true, message: t("form.invalid") }]}
                >
                  <Input style={{ width: 220 }} autoComplete="off" />
                </Form.Item>
                <Form.Item name={["imap", "password"]} label={t("admin.mailboxes.password")}>
                  <Input.Password
                    style={{ width: 220 }}
                    autoComplete="new-password"
                    placeholder={editing !== "new" && editing?.imap?.passwordSet ? t("admin.mailboxes.passwordSet") : ""}
                  />
                </Form.Item>
                <Form.Item name={["imap", "folder"]} label={t("admin.mailboxes.folder")}>
                  <Input style={{ width: 140 }} />
                </Form.Item>
              </Space>
            </>
          )}
        </Form>
      </EditModal>
    </Space>
  );
}

function InboundLog({ mailboxes }: { mailboxes: Mailbox[] }) {
  const { t, i18n } = useTranslation();
  const [outcome, setOutcome] = useState<string | undefined>();
  const log = useQuery({
    queryKey: ["inbound-emails", outcome],
    queryFn: async () => (await api<{ items: InboundEmail[] }>(`/inbound-emails?limit=100${outcome ? `&outcome=${outcome}` : ""}`)).items,
    refetchInterval: 10_000,
  });
  const boxName = (id: number | null) => mailboxes.find((b) => b.id === id)?.name ?? "—";
  return (
    <Card
      title={t("admin.mailboxes.log")}
      extra={
        <Select
          allowClear
          placeholder={t("admin.mailboxes.outcome")}
          style={{ width: 160 }}
          value={outcome}
          onChange={setOutcome}
          options={inboundOutcomes.map((o) => ({ value: o, label: t(`admin.mailboxes.outcomes.${o}`) }))}
        />
      }
    >
      <Table<InboundEmail>
        rowKey="id"
        size="small"
        dataSource={log.data ?? []}
        pagination={{ pageSize: 20 }}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t("admin.mailboxes.received"),
            dataIndex: "receivedAt",
            render: (v: string) => new Date(v).toLocaleString(i18n.language),
          },
          { title: t("admin.mailboxes.from"), dataIndex: "fromAddress", render: (v: string | null) => v ?? "—" },
          { title: t("admin.mailboxes.subject"), dataIndex: "subject", ellipsis: true, render: (v: string | null) => v ?? "—" },
          {
            title: t("admin.mailboxes.mailbox"),
            dataIndex: "mailboxId",
            render: (id: number | null, m) => `${boxName(id)} · ${m.source.toUpperCase()}`,
          },
          {
            title: t("admin.mailboxes.outcome"),
            dataIndex: "outcome",
            render: (o: InboundEmail["outcome"], m) => (
              <Space size={4} wrap>
                <Tag color={outcomeColor[o]}>{t(`admin.mailboxes.outcomes.${o}`)}</Tag>
                {m.reason && (
                  <Typography.Text type="secondary">
                    {t(`admin.mailboxes.reasons.${m.reason.split(":")[0]}`, { defaultValue: m.reason })}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t("admin.mailboxes.ticket"),
            key: "ticket",
            render: (_: unknown, m) =>
              m.ticketId ? (
                <Link to={`/tickets/${m.ticketId}`}>{`#${m.ticketNumber}`}</Link>
              ) : m.hasRaw ? (
                <a href={`/api/v1/inbound-emails/${m.id}/raw`}>{t("admin.mailboxes.downloadRaw")}</a>
              ) : (
                "—"
              ),
          },
        ]}
      />
    </Card>
  );
}
