import { Alert, App, Col, Layout, Row, Skeleton, Space, Tag, Typography } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Pending } from "../../app/Pending";
import { Link, useNavigate, useParams } from "react-router";
import { AppHeader } from "../../app/AppHeader";
import { errorText } from "../../app/error-text";
import { neighbourTicket, useShortcuts } from "../../app/shortcuts";
import { useSession } from "../auth/session";
import { AttachmentList } from "./AttachmentList";
import { CustomerPanel } from "./CustomerPanel";
import { CustomerStrip } from "./CustomerStrip";
import { usePresence } from "./presence";
import { ReplyComposer } from "./ReplyComposer";
import { TicketSidePanel } from "./TicketSidePanel";
import { AiAssistCard } from "../knowledge/AiAssistCard";
import { KnowledgeCard } from "../knowledge/KnowledgeCard";
import { CsatCard } from "../feedback/CsatCard";
import { TicketVisitsCard } from "../feedback/TicketVisitsCard";
import { TicketSlaCard } from "./TicketSlaCard";
import { RoutingCard } from "../routing/RoutingCard";
import { ProcessCard } from "../processes/ProcessCard";
import { CrmCard } from "./CrmCard";
import { DuplicateBanner } from "./DuplicateBanner";
import { MessageBody } from "./MessageBody";
import { Timeline } from "./Timeline";
import { StaffUrgeButton } from "./StaffUrgeButton";
import { UrgeBanner } from "./UrgeBanner";
import { useEvents, useMessages, useNamed, useTicket, useTicketAttachments, useUpdateTicket } from "./ticket-api";
import { statusColor } from "./ticket-labels";

export function TicketPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const id = Number(useParams().id);
  const isStaff = user?.kind === "staff";
  const ticket = useTicket(id);
  const messages = useMessages(id);
  const events = useEvents(id);
  const opened = useTicketAttachments(id);
  const departments = useNamed("/departments", isStaff);
  const departmentName = (id: number | null) => departments.data?.find((d) => d.id === id)?.name ?? t("ticket.sharedInbox");
  const navigate = useNavigate();
  const update = useUpdateTicket(id);
  const { message } = App.useApp();
  const version = ticket.data?.version;
  const shortcuts = useMemo(
    () => ({
      j: () => {
        const next = neighbourTicket(id, 1);
        if (next) navigate(`/tickets/${next}`);
      },
      k: () => {
        const previous = neighbourTicket(id, -1);
        if (previous) navigate(`/tickets/${previous}`);
      },
      ...(isStaff && version !== undefined
        ? { s: () => update.mutate({ changes: { status: "solved" }, version }, { onError: (e) => void message.error(errorText(t, e)) }) }
        : {}),
    }),
    [id, navigate, isStaff, version, update, message, t],
  );
  useShortcuts(shortcuts);
  const presence = usePresence(id, isStaff && !!ticket.data);

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <AppHeader />
      <Layout.Content style={{ padding: 16 }}>
        <Link to="/">← {t("ticket.back")}</Link>
        {ticket.error && <Alert type="error" showIcon title={errorText(t, ticket.error)} style={{ marginTop: 12 }} />}
        {ticket.isLoading && <Skeleton active />}
        {ticket.data && (
          <>
            {/* One line on any screen: the subject ellipsised; tags and actions below it. */}
            <Typography.Title
              level={4}
              style={{ marginTop: 12, marginBottom: 4 }}
              data-testid="ticket-title"
              className="ticket-title"
              ellipsis={{ tooltip: ticket.data.subject }}
            >
              #{ticket.data.number} {ticket.data.subject}
            </Typography.Title>
            <Space wrap size={[8, 4]} style={{ display: "flex", marginBottom: 8 }}>
              <Tag color={statusColor[ticket.data.status]} data-testid="ticket-status">
                {t(`status.${ticket.data.status}`)}
              </Tag>
              {ticket.data.missingFields.length > 0 && (
                <Tag color="orange" data-testid="incomplete-tag">
                  {t("template.incomplete")}
                </Tag>
              )}
              {/* A nudge to whoever holds the ticket: not for the holder herself. */}
              {isStaff && ticket.data.assigneeId !== user?.id && (
                <StaffUrgeButton ticketId={ticket.data.id} disabled={ticket.data.status === "solved" || ticket.data.status === "closed"} />
              )}
            </Space>
            {isStaff && <UrgeBanner ticket={ticket.data} events={events.data?.items ?? []} />}
            {isStaff && <CustomerStrip ticket={ticket.data} />}
            <DuplicateBanner ticket={ticket.data} isStaff={isStaff} />
            {ticket.data.access === "participant" && (
              <Alert
                type="info"
                showIcon
                data-testid="participant-notice"
                style={{ marginBottom: 12 }}
                title={t("transfer.participantNotice", { department: departmentName(ticket.data.departmentId) })}
              />
            )}
            {presence.others.length > 0 && (
              <Alert
                type="info"
                showIcon
                data-testid="presence"
                style={{ marginBottom: 12 }}
                title={presence.others
                  .map((o) => t(o.state === "typing" ? "presence.typing" : "presence.viewing", { name: o.name }))
                  .join(t("common.clauseSep"))}
              />
            )}
            <Row gutter={[16, 16]}>
              <Col xs={24} lg={16}>
                {(ticket.data.description || (opened.data?.length ?? 0) > 0) && (
                  <div style={{ background: "#fafafa", padding: 12, borderRadius: 6, marginBottom: 16 }} data-testid="ticket-description">
                    <MessageBody text={ticket.data.description} html={ticket.data.descriptionHtml} />
                    <AttachmentList items={opened.data ?? []} />
                  </div>
                )}
                {/* Not "no activity yet" while the conversation is still on its way. */}
                {messages.data && events.data ? (
                  <Timeline messages={messages.data} events={events.data.items} names={events.data.names} />
                ) : (
                  <Pending
                    error={messages.error ?? events.error}
                    retry={() => {
                      void messages.refetch();
                      void events.refetch();
                    }}
                  />
                )}
                <ReplyComposer ticket={ticket.data} onTyping={presence.typing} isStaff={isStaff} />
              </Col>
              <Col xs={24} lg={8}>
                <TicketSidePanel ticket={ticket.data} isStaff={isStaff} />
                {isStaff && <AiAssistCard ticket={ticket.data} />}
                {isStaff && <KnowledgeCard ticket={ticket.data} />}
                {isStaff && (
                  <ProcessCard
                    ticketId={ticket.data.id}
                    editable={ticket.data.access !== "participant" && ticket.data.status !== "closed"}
                  />
                )}
                {isStaff && <RoutingCard ticket={ticket.data} />}
                {isStaff && <TicketSlaCard ticketId={ticket.data.id} version={ticket.data.version} />}
                <CsatCard
                  ticketId={ticket.data.id}
                  solved={ticket.data.status === "solved" || ticket.data.status === "closed"}
                  changed={ticket.data.version}
                  isStaff={isStaff}
                />
                {isStaff && <TicketVisitsCard ticketId={ticket.data.id} editable={ticket.data.access !== "participant"} />}
                {isStaff && <CustomerPanel ticket={ticket.data} editable={ticket.data.access !== "participant"} />}
                {isStaff && <CrmCard ticket={ticket.data} />}
              </Col>
            </Row>
          </>
        )}
      </Layout.Content>
    </Layout>
  );
}
