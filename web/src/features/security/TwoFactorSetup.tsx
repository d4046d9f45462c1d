import { useMutation } from "@tanstack/react-query";
import { Alert, App, Button, Form, Input, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";

type Enrolment = { secret: string; otpauthUrl: string; qrDataUrl: string };

/**
 * Setting up an authenticator app: scan the QR code (or type the key), confirm with a code it
 * shows, then keep the ten recovery codes (shown only now). `onDone` runs after they are kept.
 */
export function TwoFactorSetup({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const start = useMutation({
    mutationFn: () => api<Enrolment>("/me/two-factor/totp", { method: "POST" }),
    onSuccess: setEnrolment,
    onError: (e) => void message.error(errorText(t, e)),
  });
  const confirm = useMutation({
    mutationFn: (code: string) => api<{ recoveryCodes: string[] }>("/me/two-factor/totp/confirm", { method: "POST", body: { code } }),
    onSuccess: (r) => setCodes(r.recoveryCodes),
    onError: (e) => void message.error(errorText(t, e)),
  });
  if (codes)
    return (
      <Space direction="vertical" style={{ width: "100%" }}>
        <Alert type="success" showIcon title={t("twoFactor.enabled")} />
        <Typography.Paragraph>{t("twoFactor.keepCodes")}</Typography.Paragraph>
        <Typography.Paragraph copyable={{ text: codes.join("\n") }} data-testid="recovery-codes">
          <pre style={{ columns: 2, margin: 0 }}>{codes.join("\n")}</pre>
        </Typography.Paragraph>
        <Button type="primary" onClick={onDone}>
          {t("twoFactor.codesKept")}
        </Button>
      </Space>
    );
  if (!enrolment)
    return (
      <Space direction="vertical">
        <Typography.Paragraph type="secondary">{t("twoFactor.intro")}</Typography.Paragraph>
        <Button type="primary" onClick={() => start.mutate()} loading={start.isPending}>
          {t("twoFactor.setUp")}
        </Button>
      </Space>
    );
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Paragraph>{t("twoFactor.scan")}</Typography.Paragraph>
      <img src={enrolment.qrDataUrl} alt={t("twoFactor.qrAlt")} width={200} height={200} />
      <Typography.Paragraph>
        {t("twoFactor.orType")}{" "}
        <Typography.Text code copyable data-testid="totp-secret">
          {enrolment.secret}
        </Typography.Text>
      </Typography.Paragraph>
      <Form layout="inline" onFinish={(v: { code: string }) => confirm.mutate(v.code.replace(/\s/g, ""))}>
        <Form.Item name="code" rules={[{ required: true, pattern: /^\s*\d{3}\s?\d{3}\s*$/, message: t("twoFactor.codeInvalid") }]}>
          <Input
            aria-label={t("twoFactor.code")}
            placeholder={t("twoFactor.code")}
            autoComplete="one-time-code"
            inputMode="numeric"
            maxLength={7}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={confirm.isPending}>
          {t("twoFactor.confirm")}
        </Button>
      </Form>
    </Space>
  );
}
