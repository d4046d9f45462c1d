import { MessageBody } from "./MessageBody";
import type { Message, TicketEvent } from "@loopdesk/contracts/tickets";
import { Card, Empty, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { AttachmentList } from "./AttachmentList";
import { useNamed } from "./ticket-api";
import { useTicketFields } from "./ticket-fields";

type Item = { at: string; kind: "message"; message: Message } | { at: string; kind: "event"; event: TicketEvent };

/** Public replies, internal notes (visibly different) and system events, oldest first. */
export function Timeline({
  messages,
  events,
  staffNames,
}: {
  messages: Message[];
  events: TicketEvent[];
  staffNames: Map<number, string>;
}) {
  const { t, i18n } = useTranslation();
  // Only staff see team changes (customers never get these events), so only then are team names needed.
  const teams = useNamed(
    "/teams",
    events.some((e) => e.field === "teamId"),
  );
  const fieldDefs = useTicketFields(events.some((e) => e.type.startsWith("info_") || e.field?.startsWith("customFields.")));
  const fieldLabel = (key: string) => fieldDefs.data?.find((d) => d.key === key)?.label ?? key;
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" });
  const items: Item[] = [
    ...messages.map((m) => ({ at: m.createdAt, kind: "message" as const, message: m })),
    ...events.filter((e) => e.type !== "message_added").map((e) => ({ at: e.createdAt, kind: "event" as const, event: e })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  if (items.length === 0) return <Empty description={t("ticket.noActivity")} />;

  const value = (field: string | null, v: unknown) => {
    if (v === null || v === undefined || v === "") return t("ticket.none");
    if (field === "status") return t(`status.${v}`);
    if (field === "priority") return t(`priority.${v}`);
    if (field === "assigneeId" && typeof v === "number") return staffNames.get(v) ?? `#${v}`;
    if (field === "teamId" && typeof v === "number") return teams.data?.find((x) => x.id === v)?.name ?? `#${v}`;
    return Array.isArray(v) ? v.join(", ") : String(v);
  };

  const eventText = (e: TicketEvent) => {
    const data = (e.data ?? {}) as {
      name?: string;
      step?: number;
      action?: string;
      subject?: string;
      rating?: number;
      reason?: string;
      via?: { kind: string; name: string };
      direction?: string;
      number?: string | number;
      seconds?: number | null;
      answered?: boolean;
      fields?: string[];
    };
    const text = t(`event.${e.type}`, {
      actor: e.actorName ?? t(`author.${e.actorType}`),
      field: e.field?.startsWith("customFields.")
        ? fieldLabel(e.field.slice("customFields.".length))
        : e.field
          ? t(`field.${e.field}`, { defaultValue: e.field })
          : "",
      before: value(e.field, e.before),
      after: value(e.field, e.after),
      name: data.name,
      step: data.step,
      action: data.action ? t(`admin.escalation.actions.${data.action}`) : "",
      subject: data.subject,
      rating: data.rating,
      reason: data.reason,
      direction: data.direction ? t(`call.${data.direction}`) : "",
      number: data.number,
      fields: (data.fields ?? []).map(fieldLabel).join(t("common.listSep")),
      duration:
        data.answered === false
          ? t("call.unanswered")
          : typeof data.seconds === "number"
            ? t("call.duration", { minutes: Math.floor(data.seconds / 60), seconds: data.seconds % 60 })
            : "",
      defaultValue: e.type,
    });
    // A change a rule made says which rule.
    return data.via ? `${text}${t(`via.${data.via.kind}`, { name: data.via.name })}` : text;
  };

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
            {fmt.format(new Date(item.event.createdAt))} · {eventText(item.event)}
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
