import { Alert, Button, Form, Input } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router";
import { api } from "../../api/client";
import { errorText } from "../../app/error-text";
import { PublicCard } from "../../app/PublicCard";
import { type SessionResponse, useSession } from "./session";

/** An invited colleague sets their password with the emailed link and is signed in. */
export function InvitePage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { accept } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const onFinish = async (v: { password: string }) => {
    setBusy(true);
    setError(null);
    try {
      accept(
        await api<SessionResponse>("/auth/invitation/accept", {
          method: "POST",
          body: { token: params.get("token") ?? "", password: v.password },
        }),
      );
      navigate("/", { replace: true });
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <PublicCard title={t("invite.title")} subtitle={t("invite.help")}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="invite-error" />}
      <Form layout="vertical" requiredMark={false} onFinish={onFinish}>
        <Form.Item
          label={t("account.newPassword")}
          name="password"
          rules={[{ required: true, min: 8, message: t("admin.staff.passwordRule") }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t("invite.submit")}
        </Button>
      </Form>
    </PublicCard>
  );
}
