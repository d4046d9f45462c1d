import type { AgentState, AssignmentDecision } from "@loopdesk/contracts/routing";
import { useQuery } from "@tanstack/react-query";
import { Badge, Button, Card, Col, Layout, Progress, Row, Table, Tabs, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api } from "../../api/client";
import { AppHeader } from "../../app/AppHeader";
import { useSession } from "../auth/session";
import { useNamed } from "../tickets/ticket-api";
import { type Offer, useOffers, useTicketAction } from "./routing-api";

type Board = {
  agents: AgentState[];
  waiting: {
    ticketId: number;
    number: number;
    subject: string;
    teamId: number | null;
    routingStatus: string | null;
    priorityScore: number;
    createdAt: string;
  }[];
  decisions: (AssignmentDecision & { ticketNumber: number })[];
};
const presenceBadge = { online: "success", away: "warning", offline: "default" } as const;

/** 分配: offers to claim (抢单) for everyone; for supervisors the live routing board. */
export function RoutingPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const manager = user?.kind === "staff" && user.role !== "agent";
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <AppHeader />
      <Layout.Content style={{ padding: 16 }}>
        <Tabs
          items={[
            { key: "offers", label: t("routing.offers"), children: <OffersTab /> },
            ...(manager ? [{ key: "board", label: t("routing.board"), children: <BoardTab /> }] : []),
          ]}
        />
      </Layout.Content>
    </Layout>
  );
}

function OffersTab() {
  const { t, i18n } = useTranslation();
  const offers = useOffers();
  const teams = useNamed("/teams");
  const time = new Intl.DateTimeFormat(i18n.language, { timeStyle: "short" });
  // The list is fetched every few seconds: the minutes left move with it.
  const left = (until: string | null) => {
    if (!until) return "";
    const minutes = Math.ceil((new Date(until).getTime() - Date.now()) / 60_000);
    return minutes > 0 ? t("routing.offerLeft", { count: minutes }) : t("routing.offerEnding");
  };
  return (
    <Table<Offer>
      rowKey="ticketId"
      size="small"
      data-testid="offers"
      loading={offers.isLoading}
      dataSource={offers.data ?? []}
      pagination={false}
      locale={{ emptyText: t("routing.noOffers") }}
      columns={[
        { title: "#", dataIndex: "number", render: (n: number, o) => <Link to={`/tickets/${o.ticketId}`}>#{n}</Link> },
        { title: t("tickets.subject"), dataIndex: "subject" },
        { title: t("routing.team"), dataIndex: "teamId", render: (id: number) => teams.data?.find((x) => x.id === id)?.name ?? "" },
        { title: t("routing.score"), dataIndex: "priorityScore" },
        { title: t("routing.offerCreated"), dataIndex: "createdAt", render: (v: string) => time.format(new Date(v)) },
        { title: t("routing.offerTimeLeft"), dataIndex: "offeredUntil", render: (v: string | null) => left(v) },
        { title: "", key: "claim", render: (_: unknown, o) => <ClaimButton ticketId={o.ticketId} /> },
      ]}
    />
  );
}

function ClaimButton({ ticketId }: { ticketId: number }) {
  const { t } = useTranslation();
  const action = useTicketAction(ticketId);
  return (
    <Button
      type="primary"
      size="small"
      data-testid={`claim-${ticketId}`}
      loading={action.isPending}
      onClick={() => action.mutate({ action: "claim" })}
    >
      {t("routing.claim")}
    </Button>
  );
}

function BoardTab() {
  const { t, i18n } = useTranslation();
  const board = useQuery({ queryKey: ["routing", "board"], refetchInterval: 5_000, queryFn: () => api<Board>("/routing/board") });
  const teams = useNamed("/teams");
  const names = new Map((board.data?.agents ?? []).map((a) => [a.staffId, a.name]));
  // Today's decisions by their time; older ones (a ticket waiting since yesterday) with their date.
  const time = new Intl.DateTimeFormat(i18n.language, { timeStyle: "short" });
  const dateTime = new Intl.DateTimeFormat(i18n.language, { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" });
  const today = new Date().toDateString();
  const when = (v: string) => (new Date(v).toDateString() === today ? time : dateTime).format(new Date(v));
  const online = (board.data?.agents ?? []).filter((a) => a.presence === "online").length;
  return (
    <Row gutter={[16, 16]} data-testid="routing-board">
      <Col xs={24} xl={14}>
        <Card size="small" title={t("routing.agentsOnline", { online, total: board.data?.agents.length ?? 0 })}>
          <Table<AgentState>
            rowKey="staffId"
            size="small"
            pagination={false}
            dataSource={board.data?.agents ?? []}
            columns={[
              { title: t("routing.agent"), dataIndex: "name" },
              {
                title: t("routing.presenceTitle"),
                dataIndex: "presence",
                render: (p: AgentState["presence"], a) => (
                  <>
                    <Badge status={presenceBadge[p]} text={t(`routing.presence.${p}`)} />
                    {!a.onShift && <Tag style={{ marginInlineStart: 6 }}>{t("routing.offShift")}</Tag>}
                  </>
                ),
              },
              {
                title: t("routing.load"),
                key: "load",
                render: (_: unknown, a) => (
                  <Progress
                    size="small"
                    percent={a.capacity ? Math.round((a.load / a.capacity) * 100) : 100}
                    format={() => `${a.load}/${a.capacity}`}
                    status={a.load >= a.capacity ? "exception" : "normal"}
                  />
                ),
              },
              {
                title: t("routing.teams"),
                dataIndex: "teamIds",
                render: (ids: number[]) => ids.map((id) => teams.data?.find((x) => x.id === id)?.name).join("、"),
              },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        <Card size="small" title={t("routing.waiting", { count: board.data?.waiting.length ?? 0 })}>
          <Table
            rowKey="ticketId"
            size="small"
            pagination={false}
            data-testid="waiting"
            dataSource={board.data?.waiting ?? []}
            columns={[
              { title: "#", dataIndex: "number", render: (n: number, w) => <Link to={`/tickets/${w.ticketId}`}>#{n}</Link> },
              { title: t("tickets.subject"), dataIndex: "subject", ellipsis: true },
              { title: t("routing.score"), dataIndex: "priorityScore" },
              { title: "", dataIndex: "routingStatus", render: (s: string) => <Tag>{t(`routing.status.${s}`)}</Tag> },
            ]}
          />
        </Card>
        <Card size="small" title={t("routing.recent")} style={{ marginTop: 16 }}>
          <Table<AssignmentDecision>
            rowKey="id"
            size="small"
            pagination={false}
            data-testid="recent-decisions"
            dataSource={board.data?.decisions ?? []}
            columns={[
              { title: "", dataIndex: "createdAt", render: when },
              {
                title: "#",
                dataIndex: "ticketNumber",
                render: (n: number, d) => <Link to={`/tickets/${d.ticketId}`}>#{n}</Link>,
              },
              { title: "", dataIndex: "outcome", render: (o: string) => t(`routing.outcome.${o}`) },
              {
                title: t("routing.agent"),
                dataIndex: "staffId",
                render: (id: number | null) => (id === null ? "" : (names.get(id) ?? `#${id}`)),
              },
              { title: t("routing.why"), dataIndex: "reason", render: (r: string) => t(`routing.reasons.${r}`, { defaultValue: r }) },
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}
