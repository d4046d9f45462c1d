import type { Ticket, TicketEvent } from "@loopdesk/contracts/tickets";
import { Alert } from "antd";
import { useTranslation } from "react-i18next";

/** An urged ticket tells whoever opens it, prominently: how often, the last time, by whom and what they wrote. */
export function UrgeBanner({ ticket, events }: { ticket: Ticket; events: TicketEvent[] }) {
  const { t, i18n } = useTranslation();
  if (ticket.urgeCount === 0 || ticket.status === "solved" || ticket.status === "closed") return null;
  const last = [...events].reverse().find((e) => e.type === "urged");
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" });
  const note = (last?.data as { note?: string } | null)?.note;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="urge-banner"
      style={{ marginBottom: 12 }}
      title={t("urge.banner", { count: ticket.urgeCount })}
      description={
        last
          ? `${t("urge.last", { name: last.actorName ?? t(`author.${last.actorType}`), time: fmt.format(new Date(last.createdAt)) })}${note ? t("event.withNote", { note }) : ""}`
          : undefined
      }
    />
  );
}
