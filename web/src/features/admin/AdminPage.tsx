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
import { StaffAdmin } from "./StaffAdmin";

/** Sections: admins manage the desk; every staff member manages their canned replies and tokens. */
const sections = [
  { key: "staff", adminOnly: true, element: <StaffAdmin /> },
  { key: "departments", adminOnly: true, element: <DepartmentsAdmin /> },
  { key: "categories", adminOnly: true, element: <CategoriesAdmin /> },
  { key: "fields", adminOnly: true, element: <CustomFieldsAdmin /> },
  { key: "sla", adminOnly: true, element: <SlaAdmin /> },
  { key: "canned", adminOnly: false, element: <CannedRepliesAdmin /> },
  { key: "tokens", adminOnly: false, element: <ApiTokensAdmin /> },
] as const;

export function AdminPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const { user } = useSession();
  if (user?.kind !== "staff") return <Navigate to="/" replace />;
  const visible = sections.filter((s) => !s.adminOnly || user.role === "admin");
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
              <Route key={s.key} path={s.key} element={s.element} />
            ))}
            <Route path="*" element={<Navigate to={`/admin/${visible[0]?.key}`} replace />} />
          </Routes>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
