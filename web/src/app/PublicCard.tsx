import { Card, Typography } from "antd";
import type { ReactNode } from "react";
import { LanguageSwitch } from "./LanguageSwitch";

/** The one-card page of everything outside the workspace: sign-in, invitation, status lookup. */
export function PublicCard({
  title,
  subtitle,
  maxWidth = 380,
  children,
}: {
  title: string;
  subtitle?: string;
  maxWidth?: number;
  children: ReactNode;
}) {
  return (
    <div style={{ minHeight: "100vh", display: "grid", placeItems: "center", background: "#f5f7fa", padding: 16 }}>
      <Card style={{ width: "100%", maxWidth }}>
        <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          <LanguageSwitch />
        </div>
        {subtitle && <Typography.Paragraph type="secondary">{subtitle}</Typography.Paragraph>}
        {children}
      </Card>
    </div>
  );
}
