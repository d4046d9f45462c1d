import { Alert, Button, Form, Input, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { startAuthentication } from "@simplewebauthn/browser";
import { ApiError, api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { type TwoFactorChallenge, useSession } from "./session";

/** The second step of a staff sign-in: the authenticator's six digits, or one of the recovery codes. */
export function SecondFactorForm({ challenge, onExpired }: { challenge: TwoFactorChallenge; onExpired: () => void }) {
  const { t } = useTranslation();
  const { completeTwoFactor } = useSession();
  const hasApp = challenge.methods.includes("totp");
  const hasPasskey = challenge.methods.includes("passkey");
  const [useRecovery, setUseRecovery] = useState(!hasApp && !hasPasskey);
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
  const withPasskey = async () => {
    setBusy(true);
    setError(null);
    try {
      const { options, state } = await api<{ options: never; state: string }>("/auth/login/passkey-options", {
        method: "POST",
        body: { challenge: challenge.challenge },
      });
      const response = await startAuthentication({ optionsJSON: options });
      await completeTwoFactor(challenge.challenge, { passkey: { state, response } });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) onExpired();
      setError(e instanceof ApiError ? errorText(t, e) : t("twoFactor.passkeyFailed"));
    } finally {
      setBusy(false);
    }
  };
  if (hasPasskey && !hasApp && !useRecovery)
    return (
      <>
        <Typography.Paragraph>{t("twoFactor.passkeyPrompt")}</Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="two-factor-error" />}
        <Button type="primary" block loading={busy} onClick={withPasskey} data-testid="use-passkey">
          {t("twoFactor.usePasskey")}
        </Button>
        <Button type="link" block style={{ marginTop: 8 }} onClick={() => setUseRecovery(true)}>
          {t("twoFactor.useRecovery")}
        </Button>
      </>
    );
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
      {hasPasskey && (
        <Button block style={{ marginTop: 8 }} loading={busy} onClick={withPasskey} data-testid="use-passkey">
          {t("twoFactor.usePasskey")}
        </Button>
      )}
      <Button type="link" block style={{ marginTop: 8 }} onClick={() => setUseRecovery(!useRecovery)}>
        {t(useRecovery ? (hasApp ? "twoFactor.useApp" : "twoFactor.usePasskey") : "twoFactor.useRecovery")}
      </Button>
    </Form>
  );
}
