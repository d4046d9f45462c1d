import { type ImChannel, imKinds, imSecretKeys } from "@loopdesk/contracts/intake";
import { Button, Card, Form, Input, Select, Switch, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { EditModal } from "./EditModal";
import { RowActions } from "./RowActions";
import { useList, useRemove, useSave } from "./admin-api";

type Kind = ImChannel["kind"];
/** Settings that are plain identifiers; the rest are secrets and shown as password fields. */
const PLAIN = new Set(["corpId", "agentId", "appKey", "appId", "robotCode", "replyUrl"]);

/** IM channels (WeCom, DingTalk, Feishu, a signed webhook): credentials (write-only) and the callback address to give the platform. */
export function ImChannelsAdmin() {
  const { t } = useTranslation();
  const channels = useList<ImChannel>("/channels");
  const [editing, setEditing] = useState<ImChannel | "new" | null>(null);
  const [form] = Form.useForm();
  const kind = (Form.useWatch("kind", form) as Kind | undefined) ?? "wecom";
  const save = useSave<ImChannel>("/channels", { form, onDone: () => setEditing(null), fieldOf: (p) => p.split(".") });
  const remove = useRemove("/channels");
  const open = (c: ImChannel | "new") => {
    setEditing(c);
    form.resetFields();
    form.setFieldsValue(c === "new" ? { kind: "wecom", name: "", active: true, config: {} } : { ...c, config: {} });
  };
  const onFinish = (v: { kind: Kind; name: string; active: boolean; apiBase?: string; config?: Record<string, string | undefined> }) => {
    // Empty settings keep what is stored (they are never shown).
    const config = Object.fromEntries(Object.entries(v.config ?? {}).filter(([, x]) => typeof x === "string" && x !== "")) as Record<
      string,
      string
    >;
    save.mutate({
      id: editing === "new" ? undefined : (editing as ImChannel).id,
      body: { kind: v.kind, name: v.name, active: v.active, config, apiBase: v.apiBase || null },
    });
  };
  const configured = editing !== "new" && editing ? editing.configured : [];
  return (
    <Card title={t("admin.sections.channels")} extra={<Button onClick={() => open("new")}>{t("admin.channels.add")}</Button>}>
      <Typography.Paragraph type="secondary">{t("admin.channels.help")}</Typography.Paragraph>
      <Table<ImChannel>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={channels.data ?? []}
        scroll={{ x: 720 }}
        columns={[
          { title: t("admin.channels.name"), dataIndex: "name", render: (n: string, c) => (c.active ? n : <Tag>{n}</Tag>) },
          { title: t("admin.channels.kind"), dataIndex: "kind", render: (k: Kind) => t(`admin.channels.kinds.${k}`) },
          {
            title: t("admin.channels.callback"),
            dataIndex: "callbackPath",
            render: (p: string) => <Typography.Text copyable>{`${window.location.origin}${p}`}</Typography.Text>,
          },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_: unknown, c) => (
              <RowActions confirm={t("admin.channels.deleteConfirm")} onEdit={() => open(c)} onDelete={() => remove.mutate(c.id)} />
            ),
          },
        ]}
      />
      <EditModal
        open={editing !== null}
        title={editing === "new" ? t("admin.channels.add") : t("common.edit")}
        form={form}
        saving={save.isPending}
        onClose={() => setEditing(null)}
        width={620}
      >
        <Form name="im-channel" form={form} layout="vertical" onFinish={onFinish}>
          <Form.Item name="kind" label={t("admin.channels.kind")}>
            <Select disabled={editing !== "new"} options={imKinds.map((k) => ({ value: k, label: t(`admin.channels.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item
            name="name"
            label={t("admin.channels.name")}
            rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          {imSecretKeys[kind].map((key) => (
            <Form.Item key={key} name={["config", key]} label={t(`admin.channels.keys.${key}`)}>
              {PLAIN.has(key) ? (
                <Input placeholder={configured.includes(key) ? t("admin.channels.keepValue") : ""} autoComplete="off" />
              ) : (
                <Input.Password placeholder={configured.includes(key) ? t("admin.channels.keepValue") : ""} autoComplete="new-password" />
              )}
            </Form.Item>
          ))}
          <Form.Item name="apiBase" label={t("admin.channels.apiBase")} extra={t("admin.channels.apiBaseHelp")}>
            <Input placeholder="https://" />
          </Form.Item>
          <Form.Item name="active" label={t("admin.channels.active")} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </EditModal>
    </Card>
  );
}
