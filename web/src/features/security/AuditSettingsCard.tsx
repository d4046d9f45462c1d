import type { AuditSettings } from "@loopdesk/contracts/security";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Form, Input, InputNumber, Typography } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { showFieldErrors } from "../../app/form-errors";

/** How long the audit log is kept and where it is streamed (a SIEM's HTTP endpoint, syslog); the secret is write-only. */
export function AuditSettingsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const settings = useQuery({ queryKey: ["audit-settings"], queryFn: () => api<AuditSettings>("/audit/settings") });
  useEffect(() => {
    if (settings.data) form.setFieldsValue({ ...settings.data, streamSecret: "" });
  }, [form, settings.data]);
  const save = useMutation({
    mutationFn: (v: { retentionDays: number; streamUrl?: string; syslogTarget?: string; streamSecret?: string }) =>
      api<AuditSettings>("/audit/settings", {
        method: "PATCH",
        body: {
          retentionDays: v.retentionDays,
          streamUrl: v.streamUrl?.trim() || null,
          syslogTarget: v.syslogTarget?.trim() || null,
          ...(v.streamSecret ? { streamSecret: v.streamSecret } : {}),
        },
      }),
    onSuccess: () => {
      void message.success(t("common.saved"));
      void qc.invalidateQueries({ queryKey: ["audit-settings"] });
      void qc.invalidateQueries({ queryKey: ["audit-log"] });
    },
    onError: (e) => {
      if (!showFieldErrors(form, t, e)) void message.error(errorText(t, e));
    },
  });
  return (
    <Card size="small" title={t("audit.settings.title")} style={{ marginTop: 16 }}>
      <Form form={form} layout="vertical" style={{ maxWidth: 560 }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="retentionDays" label={t("audit.settings.retentionDays")} extra={t("audit.settings.retentionHelp")}>
          <InputNumber min={30} max={3650} />
        </Form.Item>
        <Form.Item name="streamUrl" label={t("audit.settings.streamUrl")} extra={t("audit.settings.streamUrlHelp")}>
          <Input placeholder="https://siem.example.com/loopdesk" />
        </Form.Item>
        <Form.Item
          name="streamSecret"
          label={t("audit.settings.streamSecret")}
          extra={settings.data?.hasStreamSecret ? t("audit.settings.secretSet") : t("audit.settings.noSecret")}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="syslogTarget" label={t("audit.settings.syslog")} extra={t("audit.settings.syslogHelp")}>
          <Input placeholder="udp://10.0.0.5:514" />
        </Form.Item>
        {settings.data && (settings.data.streamUrl || settings.data.syslogTarget) && (
          <Typography.Paragraph type="secondary">
            {t("audit.settings.streamedUntil", { id: settings.data.streamedUntil })}
          </Typography.Paragraph>
        )}
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t("common.save")}
        </Button>
      </Form>
    </Card>
  );
}
