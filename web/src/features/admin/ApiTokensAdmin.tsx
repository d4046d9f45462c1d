import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type TokenScope, tokenScopes } from "@loopdesk/contracts/auth";
import { Alert, App, Button, DatePicker, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { useSession } from "../auth/session";
import { useList, useSave } from "./admin-api";

type Token = {
  id: number;
  name: string;
  prefix: string;
  scopes: TokenScope[];
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
};

/** The signed-in user's API tokens: create (the secret is shown once), see last use, revoke. */
export function ApiTokensAdmin() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const tokens = useList<Token>("/tokens");
  const [form] = Form.useForm<{ name: string; expiresAt?: Dayjs; scopes: TokenScope[] }>();
  const { user } = useSession();
  const manager = user?.kind === "staff" && user.role !== "agent";
  const scopeOptions = tokenScopes
    .filter((s) => manager || s !== "admin")
    .map((s) => ({ value: s, label: t(`admin.tokens.scopes.${s.replace(":", "_")}`) }));
  const [secret, setSecret] = useState<string | null>(null);
  const create = useSave<Token & { token: string }>("/tokens", {
    form,
    onDone: (x) => {
      form.resetFields();
      setSecret(x.token);
    },
  });
  const qc = useQueryClient();
  const revoke = useMutation({
    mutationFn: (id: number) => api(`/tokens/${id}`, { method: "DELETE" }),
    onError: (e) => void message.error(errorText(t, e)),
    onSettled: () => qc.invalidateQueries({ queryKey: ["tokens"] }),
  });
  const date = (d: string | null) =>
    d ? new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" }).format(new Date(d)) : "—";
  return (
    <>
      <Typography.Paragraph type="secondary">{t("admin.tokens.help")}</Typography.Paragraph>
      <Form
        name="token"
        form={form}
        layout="inline"
        style={{ marginBottom: 12 }}
        onFinish={(v) =>
          create.mutate({
            body: { name: v.name, scopes: v.scopes, ...(v.expiresAt ? { expiresAt: v.expiresAt.endOf("day").toISOString() } : {}) },
          })
        }
        initialValues={{ scopes: ["tickets:read", "tickets:write"] }}
      >
        <Form.Item name="name" rules={[{ required: true, whitespace: true, message: t("form.invalid") }]}>
          <Input placeholder={t("admin.tokens.name")} maxLength={100} />
        </Form.Item>
        <Form.Item name="scopes" rules={[{ required: true, message: t("admin.tokens.scopeRequired") }]}>
          <Select
            mode="multiple"
            optionFilterProp="label"
            aria-label={t("admin.tokens.scope")}
            placeholder={t("admin.tokens.scope")}
            style={{ minWidth: 280 }}
            options={scopeOptions}
          />
        </Form.Item>
        <Form.Item name="expiresAt">
          <DatePicker placeholder={t("admin.tokens.expires")} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending}>
          {t("admin.tokens.create")}
        </Button>
      </Form>
      <Table<Token>
        rowKey="id"
        size="small"
        pagination={false}
        loading={tokens.isLoading}
        dataSource={tokens.data ?? []}
        scroll={{ x: 640 }}
        columns={[
          { title: t("admin.tokens.name"), dataIndex: "name" },
          { title: t("admin.tokens.prefix"), dataIndex: "prefix", render: (p: string) => <Typography.Text code>{p}…</Typography.Text> },
          {
            title: t("admin.tokens.scope"),
            dataIndex: "scopes",
            render: (scopes: TokenScope[]) => (
              <Space size={[0, 4]} wrap>
                {scopes.map((s) => (
                  <Tag key={s}>{t(`admin.tokens.scopes.${s.replace(":", "_")}`)}</Tag>
                ))}
              </Space>
            ),
          },
          { title: t("admin.tokens.lastUsed"), dataIndex: "lastUsedAt", render: date },
          { title: t("admin.tokens.expires"), dataIndex: "expiresAt", render: date },
          {
            title: t("common.actions"),
            key: "revoke",
            render: (_: unknown, x) =>
              x.revokedAt ? (
                <Tag>{t("admin.tokens.revoked")}</Tag>
              ) : (
                <Popconfirm title={t("admin.tokens.revokeConfirm")} onConfirm={() => revoke.mutate(x.id)}>
                  <Button size="small" danger>
                    {t("admin.tokens.revoke")}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <Modal
        open={secret !== null}
        title={t("admin.tokens.created")}
        onCancel={() => setSecret(null)}
        onOk={() => setSecret(null)}
        cancelButtonProps={{ style: { display: "none" } }}
      >
        <Alert type="warning" showIcon title={t("admin.tokens.onlyOnce")} style={{ marginBottom: 12 }} />
        <Typography.Text code copyable data-testid="new-token">
          {secret}
        </Typography.Text>
      </Modal>
    </>
  );
}
