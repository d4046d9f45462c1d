import { Alert, Button, Divider, Form, Input, Segmented, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { errorText } from "../../app/error-text";
import { PublicCard } from "../../app/PublicCard";
import { CodeSignIn } from "./CodeSignIn";
import { SecondFactorForm } from "./SecondFactorForm";
import { type TwoFactorChallenge, useSession } from "./session";
import { useAuthOptions } from "./auth-options";

/** Staff sign in at /login; customers at /portal (same form, signs in "as customer"). */
export function SignInPage({ audience = "staff" }: { audience?: "staff" | "customer" }) {
  const { t } = useTranslation();
  const { signIn } = useSession();
  const [params] = useSearchParams();
  // After single sign-on, a person with an authenticator app is sent back here for the code.
  const fromSso = params.get("challenge");
  const [challenge, setChallenge] = useState<TwoFactorChallenge | null>(
    fromSso ? { challenge: fromSso, methods: ["totp", "recovery_code"] } : null,
  );
  const ssoError = params.get("sso_error");
  const [error, setError] = useState<string | null>(
    ssoError ? t("auth.ssoFailed", { reason: t(`errors.${ssoError}`, { defaultValue: ssoError }) }) : null,
  );
  const [busy, setBusy] = useState(false);
  const [mode, setMode] = useState<"password" | "code">("password");
  const options = useAuthOptions();
  const sso = audience === "staff" ? options.data?.sso : undefined;

  const onFinish = async (values: { email: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const second = await signIn(values.email, values.password, audience);
      if (second) setChallenge(second);
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PublicCard title={t("app.name")} subtitle={t(audience === "customer" ? "auth.customerSubtitle" : "auth.subtitle")}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
      {audience === "customer" && options.data?.loginCode && (
        <Segmented
          block
          style={{ marginBottom: 16 }}
          value={mode}
          onChange={(v) => setMode(v as "password" | "code")}
          options={[
            { value: "password", label: t("auth.withPassword") },
            { value: "code", label: t("auth.withCode") },
          ]}
        />
      )}
      {sso?.oidc && !challenge && (
        <>
          <Button
            block
            size="large"
            href={`/api/v1/auth/oidc/start?returnTo=${encodeURIComponent(params.get("returnTo") ?? "/")}`}
            data-testid="sso-button"
          >
            {t("auth.ssoButton", { name: sso.oidc })}
          </Button>
          <Divider plain>
            {t(sso.staffPasswords === "break_glass" ? "auth.breakGlassOnly" : sso.ldap ? "auth.orDirectoryPassword" : "auth.orPassword")}
          </Divider>
        </>
      )}
      {challenge ? (
        <SecondFactorForm challenge={challenge} onExpired={() => setChallenge(null)} />
      ) : mode === "code" ? (
        <CodeSignIn />
      ) : (
        <Form layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item label={t("auth.email")} name="email" rules={[{ required: true, type: "email", message: t("auth.emailInvalid") }]}>
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item label={t("auth.password")} name="password" rules={[{ required: true, message: t("auth.passwordRequired") }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t("auth.signIn")}
          </Button>
        </Form>
      )}
      {audience === "customer" && (
        <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
          <Link to="/status">{t("statusPage.lookUpWithoutAccount")}</Link>
        </Typography.Paragraph>
      )}
    </PublicCard>
  );
}
