import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { App as AntApp, ConfigProvider, Spin } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import { type ComponentType, type ReactNode, Suspense, lazy } from "react";
import { useTranslation } from "react-i18next";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router";
import { SessionProvider, useSession } from "../features/auth/session";
import { PageErrorBoundary } from "./PageErrorBoundary";
import { useLiveEvents } from "./useLiveEvents";

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } });

/** Each page is its own chunk, loaded when first opened (the sign-in page does not carry the reports' charts). */
// biome-ignore lint/suspicious/noExplicitAny: each page has its own props; lazy() keeps them
const page = <K extends string, C extends ComponentType<any>>(load: () => Promise<Record<K, C>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));
const SignInPage = page(() => import("../features/auth/SignInPage"), "SignInPage");
const CodeLinkPage = page(() => import("../features/auth/CodeLinkPage"), "CodeLinkPage");
const InvitePage = page(() => import("../features/auth/InvitePage"), "InvitePage");
const StatusPage = page(() => import("../features/portal/StatusPage"), "StatusPage");
const WidgetPage = page(() => import("../features/widget/WidgetPage"), "WidgetPage");
const FeedbackPage = page(() => import("../features/feedback/FeedbackPage"), "FeedbackPage");
const PortalHomePage = page(() => import("../features/portal/PortalHomePage"), "PortalHomePage");
const PortalTicketPage = page(() => import("../features/portal/PortalTicketPage"), "PortalTicketPage");
const PortalNewTicketPage = page(() => import("../features/portal/PortalNewTicketPage"), "PortalNewTicketPage");
const TicketListPage = page(() => import("../features/tickets/TicketListPage"), "TicketListPage");
const NewTicketPage = page(() => import("../features/tickets/NewTicketPage"), "NewTicketPage");
const TicketPage = page(() => import("../features/tickets/TicketPage"), "TicketPage");
const AnalyticsPage = page(() => import("../features/analytics/AnalyticsPage"), "AnalyticsPage");
const WallboardPage = page(() => import("../features/analytics/WallboardPage"), "WallboardPage");
const RoutingPage = page(() => import("../features/routing/RoutingPage"), "RoutingPage");
const VisitsPage = page(() => import("../features/feedback/VisitsPage"), "VisitsPage");
const TasksPage = page(() => import("../features/processes/TasksPage"), "TasksPage");
const KnowledgePage = page(() => import("../features/knowledge/KnowledgePage"), "KnowledgePage");
const ArticlePage = page(() => import("../features/knowledge/ArticlePage"), "ArticlePage");
const AdminPage = page(() => import("../features/admin/AdminPage"), "AdminPage");
const TwoFactorEnrolPage = page(() => import("../features/security/TwoFactorEnrolPage"), "TwoFactorEnrolPage");

function Routed() {
  const { user, loading, mustEnrolTwoFactor } = useSession();
  const { pathname } = useLocation();
  useLiveEvents(!!user && !mustEnrolTwoFactor);
  if (loading) return null;
  const customer = user?.kind === "customer";
  // Staff pages: customers have their own portal; nobody signed in goes to sign in; someone whose
  // role requires two-factor sign-in sets it up first.
  const staff = (element: ReactNode) =>
    !user ? (
      <Navigate to="/login" replace />
    ) : customer ? (
      <Navigate to="/portal" replace />
    ) : mustEnrolTwoFactor ? (
      <TwoFactorEnrolPage />
    ) : (
      element
    );
  // Portal pages: for customers; staff have the workspace.
  const portal = (element: ReactNode) => (!user ? <Navigate to="/portal" replace /> : customer ? element : <Navigate to="/" replace />);
  return (
    <PageErrorBoundary resetKey={pathname}>
      <Suspense
        fallback={
          // A page's code loading: the spinner in the middle (a block Spin sat at the left edge).
          <div style={{ textAlign: "center", paddingTop: "20vh" }}>
            <Spin />
          </div>
        }
      >
        <Routes>
          <Route path="/login" element={user ? <Navigate to={customer ? "/portal" : "/"} replace /> : <SignInPage />} />
          <Route path="/portal" element={!user ? <SignInPage audience="customer" /> : portal(<PortalHomePage />)} />
          <Route path="/portal/tickets/new" element={portal(<PortalNewTicketPage />)} />
          <Route path="/portal/tickets/:id" element={portal(<PortalTicketPage />)} />
          <Route path="/portal/code" element={<CodeLinkPage />} />
          <Route path="/status" element={<StatusPage />} />
          <Route path="/widget" element={<WidgetPage />} />
          <Route path="/feedback/:token" element={<FeedbackPage />} />
          <Route path="/invite" element={<InvitePage />} />
          <Route path="/tickets/new" element={staff(<NewTicketPage />)} />
          <Route path="/tickets/:id" element={customer ? <PortalTicketRedirect /> : staff(<TicketPage />)} />
          <Route path="/analytics" element={staff(<AnalyticsPage />)} />
          <Route path="/wallboard" element={staff(<WallboardPage />)} />
          <Route path="/routing" element={staff(<RoutingPage />)} />
          <Route path="/visits" element={staff(<VisitsPage />)} />
          <Route path="/tasks" element={staff(<TasksPage />)} />
          <Route path="/knowledge" element={staff(<KnowledgePage />)} />
          <Route path="/knowledge/:id" element={staff(<ArticlePage />)} />
          <Route path="/admin/*" element={staff(<AdminPage />)} />
          <Route path="/*" element={staff(<TicketListPage />)} />
        </Routes>
      </Suspense>
    </PageErrorBoundary>
  );
}

/** A customer following a link to /tickets/:id (e.g. from an email) lands on the portal's page of it. */
function PortalTicketRedirect() {
  const id = window.location.pathname.split("/")[2];
  return <Navigate to={`/portal/tickets/${id}`} replace />;
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
