import { MenuOutlined } from "@ant-design/icons";
import { Button, Dropdown, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { PasswordDialog } from "../features/auth/PasswordDialog";
import { useSession } from "../features/auth/session";
import { NotificationBell } from "../features/notifications/NotificationBell";
import { PresenceSwitch } from "../features/routing/PresenceSwitch";
import { GlobalSearch } from "../features/tickets/GlobalSearch";
import { TasksLink } from "../features/processes/TasksLink";
import { LanguageSwitch } from "./LanguageSwitch";
import { ShortcutHelp } from "./shortcuts";

/**
 * The staff workspace's header. On a phone it stays one line — title, presence, bell and a menu
 * holding the links, search, language and sign-out — so the page below keeps its room.
 */
export function AppHeader() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { user, signOut, setLanguage } = useSession();
  const staff = user?.kind === "staff";
  const links = staff
    ? [
        { to: "/tasks", label: <TasksLink />, testId: "tasks-link" },
        { to: "/knowledge", label: t("knowledge.title"), testId: "knowledge-link" },
        { to: "/analytics", label: t("analytics.title"), testId: "analytics-link" },
        { to: "/routing", label: t("routing.nav"), testId: "routing-link" },
        { to: "/visits", label: t("visits.title"), testId: "visits-link" },
        { to: "/admin", label: user.role === "admin" ? t("admin.title") : t("admin.settings"), testId: "admin-link" },
      ]
    : [];
  return (
    <header className="app-header">
      <Typography.Title level={4} className="app-title">
        <Link to="/" style={{ color: "inherit" }}>
          <span className="header-wide">{t("app.name")}</span>
          <span className="header-narrow">{t("app.shortName")}</span>
        </Link>
      </Typography.Title>
      {staff && (
        <span className="header-wide">
          <GlobalSearch />
        </span>
      )}
      {links.map((l) => (
        <Link key={l.to} to={l.to} data-testid={l.testId} className="header-wide">
          {l.label}
        </Link>
      ))}
      {staff && <PresenceSwitch />}
      {staff && <NotificationBell />}
      <ShortcutHelp />
      <span className="header-wide">
        <LanguageSwitch />
      </span>
      <span className="header-wide">
        <PasswordDialog name={user?.name ?? ""} />
      </span>
      <Button className="header-wide" onClick={() => void signOut()}>
        {t("auth.signOut")}
      </Button>
      <Dropdown
        trigger={["click"]}
        menu={{
          items: [
            ...links.map((l) => ({ key: l.to, label: l.label, onClick: () => navigate(l.to) })),
            { type: "divider" as const },
            {
              key: "language",
              label: i18n.language === "en" ? "中文" : "English",
              onClick: () => void setLanguage(i18n.language === "en" ? "zh-CN" : "en"),
            },
            { key: "sign-out", label: t("auth.signOut"), onClick: () => void signOut() },
          ],
        }}
      >
        <Button className="header-narrow" type="text" icon={<MenuOutlined />} aria-label={t("app.menu")} data-testid="header-menu" />
      </Dropdown>
    </header>
  );
}
