import { Alert, Button, Form, Input, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client";
import { errorText } from "../../app/error-text";
import { type TwoFactorChallenge, useSession } from "./session";

/** The second step of a staff sign-in: the authenticator's six digits, or one of the recovery codes. */
export function SecondFactorForm({ challenge, onExpired }: { challenge: TwoFactorChallenge; onExpired: () => void }) {
  const { t } = useTranslation();
  const { completeTwoFactor } = useSession();
  const [useRecovery, setUseRecovery] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const onFinish = async (v: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      await completeTwoFactor(challenge.challenge, useRecovery ? { recoveryCode: v.code.trim() } : { code: v.code.replace(/\s/g, "") });
    } catch (e) {
      // The challenge lasts five minutes: after that the password is asked again.
      if (e instanceof ApiError && e.status === 401) onExpired();
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form layout="vertical" onFinish={onFinish} requiredMark={false} key={String(useRecovery)}>
      <Typography.Paragraph>{t(useRecovery ? "twoFactor.recoveryPrompt" : "twoFactor.codePrompt")}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="two-factor-error" />}
      <Form.Item
        label={t(useRecovery ? "twoFactor.recoveryCode" : "twoFactor.code")}
        name="code"
        rules={[
          {
            required: true,
            pattern: useRecovery ? /^\s*[a-z2-9]{4}-[a-z2-9]{4}\s*$/i : /^\s*\d{3}\s?\d{3}\s*$/,
            message: t("twoFactor.codeInvalid"),
          },
        ]}
      >
        <Input autoFocus autoComplete="one-time-code" inputMode={useRecovery ? "text" : "numeric"} maxLength={useRecovery ? 12 : 7} />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy}>
        {t("twoFactor.verify")}
      </Button>
      <Button type="link" block style={{ marginTop: 8 }} onClick={() => setUseRecovery(!useRecovery)}>
        {t(useRecovery ? "twoFactor.useApp" : "twoFactor.useRecovery")}
      </Button>
    </Form>
  );
}
