import type { CustomerState, Message } from "@loopdesk/contracts/tickets";
import { Alert, App, Button, Card, Empty, Input, Skeleton, Space, Steps, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Pending } from "../../app/Pending";
import { Link, useParams } from "react-router";
import { errorText } from "../../app/error-text";
import { CsatCard } from "../feedback/CsatCard";
import { PortalProgress } from "./PortalProgress";
import { AttachButton } from "../tickets/AttachButton";
import { AttachmentList } from "../tickets/AttachmentList";
import { MessageBody } from "../tickets/MessageBody";
import { UrgeButton } from "../tickets/UrgeButton";
import { useTicketFields } from "../tickets/ticket-fields";
import { useAttachments } from "../tickets/useAttachments";
import { currentStep, journey, stateColor } from "./customer-state";
import { PortalDetails } from "./PortalDetails";
import { PortalLayout } from "./PortalLayout";
import { usePortalMessages, usePortalReply, usePortalTicket } from "./portal-api";

/**
 * One request as its customer follows it: where it stands (已提交 → 处理中 → 已解决) and when to
 * expect an answer, what the desk still needs, the conversation, a reply box, a reminder (催一下)
 * and, once solved, the rating.
 */
export function PortalTicketPage() {
  const { t, i18n } = useTranslation();
  const id = Number(useParams().id);
  const ticket = usePortalTicket(id);
  const messages = usePortalMessages(id);
  const fields = useTicketFields(!!ticket.data?.missingFields.length || Object.keys(ticket.data?.details ?? {}).length > 0);
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  const x = ticket.data;
  const label = (key: string) => fields.data?.find((f) => f.key === key)?.label ?? key;

  return (
    <PortalLayout>
      <Link to="/portal">← {t("portal.back")}</Link>
      {ticket.error && <Alert type="error" showIcon title={errorText(t, ticket.error)} style={{ marginTop: 12 }} />}
      {ticket.isLoading && <Skeleton active />}
      {x && (
        <Space direction="vertical" size={16} style={{ width: "100%", marginTop: 12 }}>
          <Card>
            <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="portal-ticket-title">
              {x.subject}{" "}
              <Tag color={stateColor[x.state]} data-testid="portal-state">
                {t(`portal.state.${x.state}`)}
              </Tag>
            </Typography.Title>
            <Typography.Text type="secondary">
              {t("portal.requestNumber", { number: x.number })} · {t("portal.createdAt", { time: fmt.format(new Date(x.createdAt)) })}
            </Typography.Text>
            <Steps
              size="small"
              style={{ marginTop: 16 }}
              current={currentStep(x.state)}
              status={x.state === "awaiting_you" ? "wait" : x.state === "solved" || x.state === "closed" ? "finish" : "process"}
              items={journey.map((k) => ({ title: t(`portal.steps.${k}`) }))}
              data-testid="portal-steps"
            />
            <PortalProgress ticketId={x.id} />
            {x.expected && (
              <Alert
                style={{ marginTop: 16 }}
                type="info"
                showIcon
                data-testid="portal-expected"
                title={t(`portal.expected.${x.expected.kind}`, { time: fmt.format(new Date(x.expected.at)) })}
                action={x.state === "in_progress" ? <UrgeButton ticketId={x.id} count={x.urgeCount} label={t("portal.urge")} /> : undefined}
              />
            )}
            {!x.expected && x.state === "in_progress" && (
              <div style={{ marginTop: 16 }}>
                <UrgeButton ticketId={x.id} count={x.urgeCount} label={t("portal.urge")} />
              </div>
            )}
            {x.mergedIntoId !== null && (
              <Alert
                style={{ marginTop: 16 }}
                type="info"
                showIcon
                data-testid="portal-merged"
                title={<Link to={`/portal/tickets/${x.mergedIntoId}`}>{t("portal.merged")}</Link>}
              />
            )}
            {x.state === "awaiting_you" && (
              <Alert style={{ marginTop: 16 }} type="warning" showIcon title={t("portal.awaitingYou")} data-testid="portal-awaiting" />
            )}
            {x.missingFields.length > 0 && (
              <Alert
                style={{ marginTop: 16 }}
                type="warning"
                showIcon
                data-testid="portal-missing"
                title={t("portal.missing", { fields: x.missingFields.map(label).join(t("common.listSep")) })}
              />
            )}
            {(x.description || x.descriptionHtml) && (
              <div style={{ background: "#fafafa", padding: 12, borderRadius: 6, marginTop: 16 }}>
                <MessageBody text={x.description} html={x.descriptionHtml} />
              </div>
            )}
            <PortalDetails details={x.details} categoryId={x.categoryId} fields={fields.data} />
          </Card>
          <Card title={t("portal.conversation")} data-testid="portal-conversation">
            {!messages.data ? (
              <Pending error={messages.error} retry={() => void messages.refetch()} />
            ) : messages.data.length === 0 ? (
              <Empty description={t("ticket.noActivity")} />
            ) : (
              <Space direction="vertical" style={{ width: "100%" }}>
                {(messages.data ?? []).map((m) => (
                  <Bubble key={m.id} message={m} when={fmt.format(new Date(m.createdAt))} />
                ))}
              </Space>
            )}
            <ReplyBox ticketId={x.id} state={x.state} />
          </Card>
          <CsatCard ticketId={x.id} solved={x.state === "solved" || x.state === "closed"} changed={x.updatedAt} isStaff={false} />
        </Space>
      )}
    </PortalLayout>
  );
}

/** A message in the conversation: the customer's own on the right, the desk's on the left. */
function Bubble({ message: m, when }: { message: Message; when: string }) {
  const { t } = useTranslation();
  const mine = m.authorType === "customer";
  return (
    <div style={{ display: "flex", justifyContent: mine ? "flex-end" : "flex-start" }} data-testid="portal-message">
      <div
        style={{
          maxWidth: "85%",
          background: mine ? "#e6f4ff" : "#f5f5f5",
          borderRadius: 8,
          padding: "8px 12px",
        }}
      >
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {mine ? t("portal.you") : t("portal.support", { name: m.authorName ?? "" })} · {when}
        </Typography.Text>
        <MessageBody text={m.bodyText} html={m.bodyHtml} />
        <AttachmentList items={m.attachments} />
      </div>
    </div>
  );
}

function ReplyBox({ ticketId, state }: { ticketId: number; state: CustomerState }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [body, setBody] = useState("");
  const attachments = useAttachments();
  const reply = usePortalReply(ticketId);
  const [followUp, setFollowUp] = useState<number | null>(null);
  const send = () =>
    reply.mutate(
      { body, attachmentIds: attachments.files.map((f) => f.id) },
      {
        onSuccess: (r) => {
          setBody("");
          attachments.clear();
          if (r.followUpTicketId) setFollowUp(r.ticket.number);
          else void message.success(t("portal.sent"));
        },
        onError: (e) => void message.error(errorText(t, e)),
      },
    );
  return (
    <div style={{ marginTop: 16 }} data-testid="portal-reply">
      {state === "solved" && <Typography.Paragraph type="secondary">{t("portal.reopen")}</Typography.Paragraph>}
      {state === "closed" && followUp === null && (
        <Typography.Paragraph type="secondary" data-testid="portal-closed-hint">
          {t("portal.closedHint")}
        </Typography.Paragraph>
      )}
      {followUp !== null && (
        <Alert type="success" showIcon title={t("portal.followUp", { number: followUp })} style={{ marginBottom: 8 }} />
      )}
      <Input.TextArea
        aria-label={t("portal.reply")}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        placeholder={t("portal.replyPlaceholder")}
        autoSize={{ minRows: 3, maxRows: 10 }}
      />
      <Space style={{ marginTop: 8 }} wrap>
        <AttachButton attachments={attachments} />
        <Button
          type="primary"
          onClick={send}
          loading={reply.isPending}
          disabled={(body.trim() === "" && attachments.files.length === 0) || attachments.uploading}
          data-testid="portal-send"
        >
          {t("portal.send")}
        </Button>
      </Space>
    </div>
  );
}
