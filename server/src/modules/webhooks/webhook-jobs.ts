import type { AppContext } from "../../platform/context";
import { usageFlag } from "../../platform/events/usage-flag";
import { type TicketSummary, ticketSummary } from "../tickets/ticket-lookup";
import { webhookEvents } from "@loopdesk/contracts/webhooks";
import { queueWebhookDelivery, registerWebhookDelivery } from "./webhook-delivery";
import { webhooksFor } from "./webhook-service";

const eventTexts: Record<"zh-CN" | "en", Record<string, string>> = {
  "zh-CN": {
    "ticket.created": "新工单",
    "ticket.updated": "工单已更新",
    "ticket.message_added": "工单有新消息",
    "ticket.urged": "工单被催办",
    "ticket.sla_warning": "工单即将超时",
    "ticket.sla_breached": "工单已超时",
    "ticket.escalated": "工单已升级",
    rule: "规则通知",
  },
  en: {
    "ticket.created": "New ticket",
    "ticket.updated": "Ticket updated",
    "ticket.message_added": "New message on ticket",
    "ticket.urged": "Ticket urged",
    "ticket.sla_warning": "SLA about to be missed",
    "ticket.sla_breached": "SLA missed",
    "ticket.escalated": "Ticket escalated",
    rule: "Rule notification",
  },
};

/** Whether any webhook is active: without one, ticket events cost no webhook job. */
export const webhookUsage = usageFlag(
  async (db) => (await db.selectFrom("webhooks").select("id").where("active", "=", true).limit(1).executeTakeFirst()) !== undefined,
);

/** The robot text: a title line, the ticket, a detail line when there is one, the link. */
export function webhookText(locale: "zh-CN" | "en", event: string, ticket: TicketSummary | null, detail?: string) {
  const title = eventTexts[locale][event] ?? event;
  return [`**${title}**`, ticket ? `#${ticket.number} ${ticket.subject}` : "", detail ?? "", ticket?.url ?? ""].filter(Boolean).join("\n");
}

/**
 * Outbound webhooks and group robots: every ticket event a webhook subscribes to becomes one
 * delivery per webhook (written with the event's job, so none is lost or doubled).
 */
export function registerWebhookJobs(ctx: AppContext) {
  registerWebhookDelivery(ctx);
  ctx.events.subscribe({
    name: "webhooks",
    types: [...webhookEvents],
    active: () => webhookUsage.inUse(ctx.db),
    handle: async (event, { trx }) => {
      const hooks = await webhooksFor(trx, event.type);
      if (hooks.length === 0) return;
      const ticket = event.aggregateType === "ticket" ? await ticketSummary(trx, event.aggregateId, ctx.config.publicUrl) : null;
      const { scope: _scope, scopeBefore: _before, ...data } = event.payload as Record<string, unknown>;
      for (const hook of hooks)
        await queueWebhookDelivery(trx, hook.id, {
          event: event.type,
          ticketId: ticket?.id ?? null,
          ticket,
          data,
          text: webhookText(hook.locale, event.type, ticket, typeof data.target === "string" ? data.target : undefined),
        });
    },
  });
}
