import { Button, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { PasswordDialog } from "../features/auth/PasswordDialog";
import { useSession } from "../features/auth/session";
import { NotificationBell } from "../features/notifications/NotificationBell";
import { PresenceSwitch } from "../features/routing/PresenceSwitch";
import { LanguageSwitch } from "./LanguageSwitch";
import { ShortcutHelp } from "./shortcuts";

export function AppHeader() {
  const { t } = useTranslation();
  const { user, signOut } = useSession();
  return (
    <header className="app-header">
      <Typography.Title level={4} className="app-title">
        <Link to="/" style={{ color: "inherit" }}>
          {t("app.name")}
        </Link>
      </Typography.Title>
      {user?.kind === "staff" && (
        <Link to="/analytics" data-testid="analytics-link">
          {t("analytics.title")}
        </Link>
      )}
      {user?.kind === "staff" && (
        <Link to="/routing" data-testid="routing-link">
          {t("routing.nav")}
        </Link>
      )}
      {user?.kind === "staff" && (
        <Link to="/visits" data-testid="visits-link">
          {t("visits.title")}
        </Link>
      )}
      {user?.kind === "staff" && (
        <Link to="/admin" data-testid="admin-link">
          {user.role === "admin" ? t("admin.title") : t("admin.settings")}
        </Link>
      )}
      {user?.kind === "staff" && <PresenceSwitch />}
      {user?.kind === "staff" && <NotificationBell />}
      <ShortcutHelp />
      <LanguageSwitch />
      <PasswordDialog name={user?.name ?? ""} />
      <Button onClick={() => void signOut()}>{t("auth.signOut")}</Button>
    </header>
  );
}
