import { Button, Layout, Space, Typography } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { LanguageSwitch } from "../../app/LanguageSwitch";
import { useSession } from "../auth/session";

/** The customer's own frame: their requests, a new request, language and sign-out — nothing of the staff workspace. */
export function PortalLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { user, signOut } = useSession();
  return (
    <Layout style={{ minHeight: "100vh" }} data-testid="portal">
      <header className="app-header portal-header">
        <Typography.Title level={4} className="app-title">
          <Link to="/portal" style={{ color: "inherit" }}>
            {t("portal.brand")}
          </Link>
        </Typography.Title>
        <Link to="/portal" data-testid="portal-my-tickets">
          {t("portal.myTickets")}
        </Link>
        <Link to="/portal/tickets/new" data-testid="portal-new-ticket">
          {t("portal.newTicket")}
        </Link>
        <Space style={{ marginInlineStart: "auto" }} wrap>
          <LanguageSwitch />
          <Typography.Text data-testid="current-user">{user?.name}</Typography.Text>
          <Button size="small" onClick={() => void signOut()}>
            {t("auth.signOut")}
          </Button>
        </Space>
      </header>
      <Layout.Content style={{ padding: 16, maxWidth: 960, width: "100%", margin: "0 auto" }}>{children}</Layout.Content>
    </Layout>
  );
}
