import { MessageBody } from "./MessageBody";
import type { EventNames, Message, TicketEvent } from "@loopdesk/contracts/tickets";
import { Card, Empty, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { AttachmentList } from "./AttachmentList";
import { eventText } from "./event-text";
import { useTicketFields } from "./ticket-fields";

const NO_NAMES: EventNames = { staff: {}, customers: {}, departments: {}, teams: {}, categories: {} };

type Item = { at: string; kind: "message"; message: Message } | { at: string; kind: "event"; event: TicketEvent };

/** Public replies, internal notes (visibly different) and system events, oldest first. */
export function Timeline({ messages, events, names }: { messages: Message[]; events: TicketEvent[]; names?: EventNames }) {
  const { t, i18n } = useTranslation();
  const fieldDefs = useTicketFields(events.some((e) => e.type.startsWith("info_") || e.field?.startsWith("customFields.")));
  const fieldLabel = (key: string) => fieldDefs.data?.find((d) => d.key === key)?.label ?? key;
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" });
  const items: Item[] = [
    ...messages.map((m) => ({ at: m.createdAt, kind: "message" as const, message: m })),
    ...events.filter((e) => e.type !== "message_added").map((e) => ({ at: e.createdAt, kind: "event" as const, event: e })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  if (items.length === 0) return <Empty description={t("ticket.noActivity")} />;
  const known = names ?? NO_NAMES;

  return (
    <div data-testid="timeline" style={{ display: "flex", flexDirection: "column", gap: 8 }}>
      {items.map((item) =>
        item.kind === "message" ? (
          <Card
            key={`m${item.message.id}`}
            size="small"
            data-testid={item.message.visibility === "internal" ? "internal-note" : "public-reply"}
            style={item.message.visibility === "internal" ? { background: "#fffbe6", borderColor: "#ffe58f" } : undefined}
            title={
              <span>
                {item.message.authorName ?? t(`author.${item.message.authorType}`)}{" "}
                {item.message.visibility === "internal" && <Tag color="gold">{t("ticket.internalNote")}</Tag>}
              </span>
            }
            extra={<Typography.Text type="secondary">{fmt.format(new Date(item.message.createdAt))}</Typography.Text>}
          >
            <MessageBody text={item.message.bodyText} html={item.message.bodyHtml} />
            <AttachmentList items={item.message.attachments} />
          </Card>
        ) : (
          <Typography.Text key={`e${item.event.id}`} type="secondary" data-testid="system-event" style={{ fontSize: 12 }}>
            {fmt.format(new Date(item.event.createdAt))} · {eventText(t, item.event, known, fieldLabel)}
            <RecordingLink data={item.event.data} />
          </Typography.Text>
        ),
      )}
    </div>
  );
}

/** A call's recording, when the call center gave one (http/https only: the API refuses anything else). */
function RecordingLink({ data }: { data: unknown }) {
  const { t } = useTranslation();
  const url = (data as { recordingUrl?: unknown } | null)?.recordingUrl;
  if (typeof url !== "string" || !/^https?:\/\//.test(url)) return null;
  return (
    <>
      {" · "}
      <a href={url} target="_blank" rel="noopener noreferrer nofollow">
        {t("call.recording")}
      </a>
    </>
  );
}
