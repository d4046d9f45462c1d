import { Button, Layout, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { PasswordDialog } from "../features/auth/PasswordDialog";
import { useSession } from "../features/auth/session";
import { LanguageSwitch } from "./LanguageSwitch";
import { ShortcutHelp } from "./shortcuts";

export function AppHeader() {
  const { t } = useTranslation();
  const { user, signOut } = useSession();
  return (
    <Layout.Header
      style={{ display: "flex", alignItems: "center", gap: 12, background: "#fff", borderBottom: "1px solid #eee", paddingInline: 16 }}
    >
      <Typography.Title level={4} style={{ margin: 0, flex: 1, whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis" }}>
        <Link to="/" style={{ color: "inherit" }}>
          {t("app.name")}
        </Link>
      </Typography.Title>
      {user?.kind === "staff" && (
        <Link to="/admin" data-testid="admin-link">
          {user.role === "admin" ? t("admin.title") : t("admin.settings")}
        </Link>
      )}
      <ShortcutHelp />
      <LanguageSwitch />
      <PasswordDialog name={user?.name ?? ""} />
      <Button onClick={() => void signOut()}>{t("auth.signOut")}</Button>
    </Layout.Header>
  );
}
