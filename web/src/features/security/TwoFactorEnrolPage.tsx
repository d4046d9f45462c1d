import { Button } from "antd";
import { useTranslation } from "react-i18next";
import { PublicCard } from "../../app/PublicCard";
import { useSession } from "../auth/session";
import { PasskeysCard } from "./PasskeysCard";
import { TwoFactorSetup } from "./TwoFactorSetup";

/** Shown instead of the workspace when the person's role requires two-factor sign-in and they have not set it up. */
export function TwoFactorEnrolPage() {
  const { t } = useTranslation();
  const { signOut } = useSession();
  return (
    <PublicCard title={t("twoFactor.title")} subtitle={t("twoFactor.requiredForRole")}>
      <TwoFactorSetup onDone={() => window.location.assign("/")} />
      <div style={{ marginTop: 16 }}>
        <PasskeysCard onAdded={() => window.location.assign("/")} />
      </div>
      <Button type="link" block style={{ marginTop: 12 }} onClick={() => void signOut()}>
        {t("auth.signOut")}
      </Button>
    </PublicCard>
  );
}
