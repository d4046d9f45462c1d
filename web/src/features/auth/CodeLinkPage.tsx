import { Alert, Card, Spin } from "antd";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { errorText } from "../../app/error-text";
import { useSession } from "./session";

/** The page the emailed sign-in link opens: uses the token once, then goes to the customer's tickets. */
export function CodeLinkPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { signInWithCode } = useSession();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    // Once only: the token is single-use (React may run effects twice in development).
    if (started.current) return;
    started.current = true;
    signInWithCode({ token: params.get("token") ?? "" })
      .then(() => navigate("/", { replace: true }))
      .catch((e) => setError(errorText(t, e)));
  }, [params, signInWithCode, navigate, t]);
  return (
    <div style={{ minHeight: "100vh", display: "grid", placeItems: "center", background: "#f5f7fa", padding: 16 }}>
      <Card style={{ width: "100%", maxWidth: 380 }}>
        {error ? (
          <>
            <Alert type="error" showIcon title={error} data-testid="link-error" />
            <Link to="/portal">{t("auth.backToSignIn")}</Link>
          </>
        ) : (
          <Spin />
        )}
      </Card>
    </div>
  );
}
