import { Layout, Menu } from "antd";
import { useTranslation } from "react-i18next";
import { Navigate, Route, Routes, useLocation, useNavigate } from "react-router";
import { AppHeader } from "../../app/AppHeader";
import { useSession } from "../auth/session";
import { ApiTokensAdmin } from "./ApiTokensAdmin";
import { CannedRepliesAdmin } from "./CannedRepliesAdmin";
import { CategoriesAdmin } from "./CategoriesAdmin";
import { CustomFieldsAdmin } from "./CustomFieldsAdmin";
import { DepartmentsAdmin } from "./DepartmentsAdmin";
import { SlaAdmin } from "./SlaAdmin";
import { CrmLookupAdmin } from "./CrmLookupAdmin";
import { ImChannelsAdmin } from "./ImChannelsAdmin";
import { MailboxesAdmin } from "./MailboxesAdmin";
import { NotificationPrefsAdmin } from "./NotificationPrefsAdmin";
import { ReportSchedulesAdmin } from "./ReportSchedulesAdmin";
import { RoutingAdmin } from "../routing/RoutingAdmin";
import { ProcessesAdmin } from "../processes/ProcessesAdmin";
import { ClassificationAdmin } from "../classification/ClassificationAdmin";
import { AiAdmin } from "../knowledge/AiAdmin";
import { KnowledgeAdmin } from "../knowledge/KnowledgeAdmin";
import { PrivacyRequestsAdmin } from "../privacy/PrivacyRequestsAdmin";
import { DataAdmin } from "../data/DataAdmin";
import { AuditLogAdmin } from "../security/AuditLogAdmin";
import { MySecurity } from "../security/MySecurity";
import { SsoAdmin } from "../security/SsoAdmin";
import { RulesAdmin } from "./rules/RulesAdmin";
import { StaffAdmin } from "./StaffAdmin";
import { WebhooksAdmin } from "./WebhooksAdmin";

type Role = "admin" | "supervisor" | "agent";
const ADMIN: Role[] = ["admin"];
const MANAGERS: Role[] = ["admin", "supervisor"];
const EVERYONE: Role[] = ["admin", "supervisor", "agent"];
/** Sections: admins set up the desk, supervisors keep the rules, everyone their own replies, tokens and notifications. */
const sections = [
  { key: "staff", roles: ADMIN, element: <StaffAdmin /> },
  { key: "departments", roles: ADMIN, element: <DepartmentsAdmin /> },
  { key: "categories", roles: ADMIN, element: <CategoriesAdmin /> },
  { key: "fields", roles: ADMIN, element: <CustomFieldsAdmin /> },
  { key: "mailboxes", roles: ADMIN, element: <MailboxesAdmin /> },
  { key: "channels", roles: ADMIN, element: <ImChannelsAdmin /> },
  { key: "crm", roles: ADMIN, element: <CrmLookupAdmin /> },
  { key: "sla", roles: ADMIN, element: <SlaAdmin /> },
  { key: "routing", roles: MANAGERS, element: <RoutingAdmin /> },
  { key: "classification", roles: ADMIN, element: <ClassificationAdmin /> },
  { key: "knowledge", roles: ADMIN, element: <KnowledgeAdmin /> },
  { key: "ai", roles: ADMIN, element: <AiAdmin /> },
  { key: "processes", roles: ADMIN, element: <ProcessesAdmin /> },
  { key: "triggers", roles: MANAGERS, element: <RulesAdmin kind="trigger" /> },
  { key: "automations", roles: MANAGERS, element: <RulesAdmin kind="automation" /> },
  { key: "webhooks", roles: ADMIN, element: <WebhooksAdmin /> },
  { key: "reports", roles: ADMIN, element: <ReportSchedulesAdmin /> },
  { key: "sso", roles: ADMIN, element: <SsoAdmin /> },
  { key: "audit", roles: ADMIN, element: <AuditLogAdmin /> },
  { key: "privacy", roles: ADMIN, element: <PrivacyRequestsAdmin /> },
  { key: "data", roles: ADMIN, element: <DataAdmin /> },
  { key: "canned", roles: EVERYONE, element: <CannedRepliesAdmin /> },
  { key: "tokens", roles: EVERYONE, element: <ApiTokensAdmin /> },
  { key: "security", roles: EVERYONE, element: <MySecurity /> },
  { key: "notifications", roles: EVERYONE, element: <NotificationPrefsAdmin /> },
];

export function AdminPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const { user } = useSession();
  if (user?.kind !== "staff") return <Navigate to="/" replace />;
  const visible = sections.filter((s) => s.roles.includes(user.role));
  const current = location.pathname.split("/")[2] ?? "";
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <AppHeader />
      <Layout hasSider>
        <Layout.Sider theme="light" width={200} breakpoint="md" collapsedWidth={0} style={{ borderInlineEnd: "1px solid #f0f0f0" }}>
          <Menu
            mode="inline"
            selectedKeys={[current]}
            onClick={(e) => navigate(`/admin/${e.key}`)}
            items={visible.map((s) => ({ key: s.key, label: t(`admin.sections.${s.key}`) }))}
            style={{ borderInlineEnd: 0 }}
          />
        </Layout.Sider>
        <Layout.Content style={{ padding: 16, minWidth: 0 }}>
          <Routes>
            {visible.map((s) => (
              <Route key={s.key} path={`${s.key}/*`} element={s.element} />
            ))}
            <Route path="*" element={<Navigate to={`/admin/${visible[0]?.key}`} replace />} />
          </Routes>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
