import type { AiCall, AiSettings } from "@loopdesk/contracts/knowledge";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Form, Input, InputNumber, Switch, Table, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { showFieldErrors } from "../../app/form-errors";

/** AI 助手: the OpenAI-compatible endpoint (off by default; the key is write-only) and the log of every call. */
export function AiAdmin() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const settings = useQuery({ queryKey: ["ai-settings"], queryFn: () => api<AiSettings>("/ai/settings") });
  const calls = useQuery({ queryKey: ["ai-calls"], queryFn: async () => (await api<{ items: AiCall[] }>("/ai/calls")).items });
  useEffect(() => {
    if (settings.data) form.setFieldsValue({ ...settings.data, apiKey: "" });
  }, [form, settings.data]);
  const save = useMutation({
    mutationFn: (v: Record<string, unknown>) =>
      api<AiSettings>("/ai/settings", { method: "PATCH", body: { ...v, apiKey: v.apiKey ? v.apiKey : undefined } }),
    onSuccess: () => {
      void message.success(t("common.saved"));
      void qc.invalidateQueries({ queryKey: ["ai-settings"] });
      void qc.invalidateQueries({ queryKey: ["ai-status"] });
    },
    onError: (e) => {
      if (!showFieldErrors(form, t, e)) void message.error(errorText(t, e));
    },
  });
  return (
    <>
      <Card size="small" title={t("ai.admin.title")}>
        <Typography.Paragraph type="secondary">{t("ai.admin.help")}</Typography.Paragraph>
        <Form form={form} layout="vertical" style={{ maxWidth: 560 }} onFinish={(v) => save.mutate(v)}>
          <Form.Item name="enabled" label={t("ai.admin.enabled")} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="baseUrl" label={t("ai.admin.baseUrl")} extra={t("ai.admin.baseUrlHelp")}>
            <Input placeholder="https://api.example.com/v1" />
          </Form.Item>
          <Form.Item name="model" label={t("ai.admin.model")}>
            <Input placeholder="qwen-plus" />
          </Form.Item>
          <Form.Item name="apiKey" label={t("ai.admin.apiKey")} extra={settings.data?.hasKey ? t("ai.admin.keySet") : t("ai.admin.noKey")}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="timeoutSeconds" label={t("ai.admin.timeout")}>
            <InputNumber min={5} max={120} addonAfter={t("ai.admin.seconds")} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t("common.save")}
          </Button>
        </Form>
      </Card>
      <Card size="small" title={t("ai.admin.calls")} style={{ marginTop: 16 }}>
        <Table<AiCall>
          rowKey="id"
          size="small"
          dataSource={calls.data ?? []}
          loading={calls.isLoading}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t("ai.admin.noCalls") }}
          scroll={{ x: 760 }}
          columns={[
            { title: t("ai.admin.when"), width: 150, render: (_, c) => dayjs(c.createdAt).format("YYYY-MM-DD HH:mm") },
            { title: t("ai.admin.who"), width: 100, render: (_, c) => c.staff ?? "—" },
            {
              title: t("ai.admin.ticket"),
              width: 80,
              render: (_, c) => (c.ticketId ? <Link to={`/tickets/${c.ticketId}`}>{t("ai.admin.open")}</Link> : "—"),
            },
            { title: t("ai.admin.kind"), width: 110, render: (_, c) => t(`ai.kinds.${c.kind}`) },
            {
              title: t("ai.admin.outcome"),
              width: 110,
              render: (_, c) => <Tag color={c.status === "ok" ? "green" : "red"}>{t(`ai.statuses.${c.status}`)}</Tag>,
            },
            {
              title: t("ai.admin.tokens"),
              width: 110,
              render: (_, c) => (c.promptTokens === null ? "—" : `${c.promptTokens} / ${c.completionTokens ?? 0}`),
            },
            { title: t("ai.admin.latency"), width: 90, render: (_, c) => `${(c.latencyMs / 1000).toFixed(1)} s` },
            { title: t("ai.admin.error"), render: (_, c) => c.error ?? "" },
          ]}
        />
      </Card>
    </>
  );
}
