import { RoutingPage } from "../features/routing/RoutingPage";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { App as AntApp, ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import { useTranslation } from "react-i18next";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { AdminPage } from "../features/admin/AdminPage";
import { CodeLinkPage } from "../features/auth/CodeLinkPage";
import { InvitePage } from "../features/auth/InvitePage";
import { SignInPage } from "../features/auth/SignInPage";
import { SessionProvider, useSession } from "../features/auth/session";
import { WidgetPage } from "../features/widget/WidgetPage";
import { StatusPage } from "../features/portal/StatusPage";
import { FeedbackPage } from "../features/feedback/FeedbackPage";
import { VisitsPage } from "../features/feedback/VisitsPage";
import { AnalyticsPage } from "../features/analytics/AnalyticsPage";
import { WallboardPage } from "../features/analytics/WallboardPage";
import { TicketListPage } from "../features/tickets/TicketListPage";
import { NewTicketPage } from "../features/tickets/NewTicketPage";
import { TicketPage } from "../features/tickets/TicketPage";
import { useLiveEvents } from "./useLiveEvents";

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } });

function Routed() {
  const { user, loading } = useSession();
  useLiveEvents(!!user);
  if (loading) return null;
  return (
    <Routes>
      <Route path="/login" element={user ? <Navigate to="/" replace /> : <SignInPage />} />
      <Route path="/portal" element={user ? <Navigate to="/" replace /> : <SignInPage audience="customer" />} />
      <Route path="/tickets/new" element={user ? <NewTicketPage /> : <Navigate to="/login" replace />} />
      <Route path="/status" element={<StatusPage />} />
      <Route path="/widget" element={<WidgetPage />} />
      <Route path="/feedback/:token" element={<FeedbackPage />} />
      <Route path="/portal/code" element={<CodeLinkPage />} />
      <Route path="/invite" element={<InvitePage />} />
      <Route path="/analytics" element={user ? <AnalyticsPage /> : <Navigate to="/login" replace />} />
      <Route path="/wallboard" element={user ? <WallboardPage /> : <Navigate to="/login" replace />} />
      <Route path="/routing" element={user ? <RoutingPage /> : <Navigate to="/login" replace />} />
      <Route path="/visits" element={user ? <VisitsPage /> : <Navigate to="/login" replace />} />
      <Route path="/admin/*" element={user ? <AdminPage /> : <Navigate to="/login" replace />} />
      <Route path="/tickets/:id" element={user ? <TicketPage /> : <Navigate to="/login" replace />} />
      <Route path="/*" element={user ? <TicketListPage /> : <Navigate to="/login" replace />} />
    </Routes>
  );
}

export function App() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === "en" ? enUS : zhCN} theme={{ token: { colorPrimary: "#1f6feb" } }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <SessionProvider>
              <Routed />
            </SessionProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
