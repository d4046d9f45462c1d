import { Alert, Button, Form, Input, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { useSession } from "./session";

/** A customer asks for a code by email, then types it in (or opens the emailed link instead). */
export function CodeSignIn() {
  const { t } = useTranslation();
  const { signInWithCode } = useSession();
  const [email, setEmail] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="code-error" />}
      {email === null ? (
        <Form
          layout="vertical"
          requiredMark={false}
          onFinish={(v: { email: string }) =>
            run(async () => {
              await api("/auth/login-code", { method: "POST", body: { email: v.email } });
              setEmail(v.email);
            })
          }
        >
          <Form.Item label={t("auth.email")} name="email" rules={[{ required: true, type: "email", message: t("auth.emailInvalid") }]}>
            <Input autoComplete="email" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t("auth.sendCode")}
          </Button>
        </Form>
      ) : (
        <Form
          layout="vertical"
          requiredMark={false}
          onFinish={(v: { code: string }) => run(() => signInWithCode({ email, code: v.code.trim() }))}
        >
          <Typography.Paragraph data-testid="code-sent">{t("auth.codeSent", { email })}</Typography.Paragraph>
          <Form.Item
            label={t("auth.code")}
            name="code"
            rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t("auth.codeInvalid") }]}
          >
            <Input inputMode="numeric" autoComplete="one-time-code" maxLength={8} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t("auth.signIn")}
          </Button>
          <Button type="link" block onClick={() => setEmail(null)}>
            {t("auth.sendAgain")}
          </Button>
        </Form>
      )}
    </>
  );
}
