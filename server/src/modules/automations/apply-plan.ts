import type { TicketRow } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import type { Executor } from "../../platform/jobs/job-queue";
import { customerContact } from "../customers/customer-service";
import { createVisit } from "../feedback/visit-service";
import { notifyStaff } from "../notifications/notification-service";
import { supervisorIdsFor } from "../staff/staff-service";
import { addSystemMessage } from "../tickets/add-system-message";
import { type ChangeSource, changeTicket } from "../tickets/change-ticket";
import { recordTicketEvents, systemActor } from "../tickets/ticket-events";
import { queueWebhookDelivery } from "../webhooks/webhook-delivery";
import { webhookText } from "../webhooks/webhook-jobs";
import { activeWebhook } from "../webhooks/webhook-service";
import { ticketSummary } from "../tickets/ticket-lookup";
import type { RuleAction } from "@loopdesk/contracts/rules";
import { type Plan, planActions } from "./plan-actions";

/** Fills {{ticket.number}}, {{ticket.subject}}, {{ticket.status}}, {{ticket.priority}}, {{ticket.url}}, {{customer.name}}. */
export function renderTemplate(text: string, vars: Record<string, string>) {
  return text.replace(/\{\{\s*([a-z]+\.[a-zA-Z]+)\s*\}\}/g, (whole, key: string) => vars[key] ?? whole);
}

/**
 * Carries out a rule's plan on a ticket locked in the caller's transaction: one field change
 * (with its history and `ticket.updated` event marked with the rule), then messages, mail,
 * notifications and webhook calls. Returns the ticket as it is afterwards and what changed.
 */
export async function applyPlan(ctx: AppContext, trx: Executor, ticket: TicketRow, plan: Plan, source: ChangeSource) {
  const updated = await changeTicket(ctx, trx, ticket, plan.changes, systemActor, source);
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  if (updated !== ticket) {
    const pairs: [string, unknown, unknown][] = [
      ["status", ticket.status, updated.status],
      ["priority", ticket.priority, updated.priority],
      ["categoryId", ticket.category_id, updated.category_id],
      ["departmentId", ticket.department_id, updated.department_id],
      ["assigneeId", ticket.assignee_id, updated.assignee_id],
      ["tags", ticket.tags, updated.tags],
    ];
    for (const [field, before, after] of pairs) if (JSON.stringify(before) !== JSON.stringify(after)) changes[field] = { before, after };
    for (const key of new Set([...Object.keys(ticket.custom_fields), ...Object.keys(updated.custom_fields)]))
      if (JSON.stringify(ticket.custom_fields[key]) !== JSON.stringify(updated.custom_fields[key]))
        changes[`customFields.${key}`] = { before: ticket.custom_fields[key] ?? null, after: updated.custom_fields[key] ?? null };
  }
  if (plan.sideEffects.length === 0) return { ticket: updated, changes };

  const customer = await customerContact(trx, updated.customer_id);
  const url = `${ctx.config.publicUrl}/tickets/${updated.id}`;
  const vars = {
    "ticket.number": String(updated.number),
    "ticket.subject": updated.subject,
    "ticket.status": updated.status,
    "ticket.priority": updated.priority,
    "ticket.url": url,
    "customer.name": customer.name,
  };
  const mailCustomer = async (subject: string, body: string) => {
    if (!customer.email || !ctx.mailer.enabled) return false;
    await ctx.mailer.queue(trx, { to: customer.email, subject, text: body });
    await recordTicketEvents(trx, updated.id, systemActor, [{ type: "email_sent", data: { to: customer.email, subject, via: source } }]);
    return true;
  };
  for (const a of plan.sideEffects) {
    switch (a.type) {
      case "add_note":
        await addSystemMessage(ctx, trx, updated, { visibility: "internal", body: renderTemplate(a.body, vars) }, source);
        break;
      case "reply_customer": {
        const body = renderTemplate(a.body, vars);
        await addSystemMessage(ctx, trx, updated, { visibility: "public", body }, source);
        await mailCustomer(`[#${updated.number}] ${updated.subject}`, `${body}\n\n${url}`);
        break;
      }
      case "email_customer":
        await mailCustomer(renderTemplate(a.subject, vars), renderTemplate(a.body, vars));
        break;
      case "notify_staff": {
        const ids: number[] = [];
        for (const to of a.to) {
          if (to === "assignee") updated.assignee_id && ids.push(updated.assignee_id);
          else if (to === "supervisors") ids.push(...(await supervisorIdsFor(trx, updated.department_id)));
          else ids.push(to);
        }
        await notifyStaff(ctx, trx, ids, {
          type: "rule",
          ticketId: updated.id,
          data: { message: renderTemplate(a.message, vars), ruleName: source.name },
        });
        break;
      }
      case "create_visit":
        await createVisit(
          trx,
          updated,
          { reason: renderTemplate(a.reason, vars), dueHours: a.dueHours, departmentId: a.departmentId },
          source,
          systemActor,
        );
        break;
      case "call_webhook": {
        const hook = await activeWebhook(trx, a.webhookId);
        if (!hook) break;
        const t = await ticketSummary(trx, updated.id, ctx.config.publicUrl);
        await queueWebhookDelivery(trx, hook.id, {
          event: "rule",
          ticketId: updated.id,
          ticket: t,
          data: { rule: source },
          text: webhookText(hook.locale, "rule", t, source.name),
        });
        break;
      }
    }
  }
  return { ticket: updated, changes };
}

/**
 * One firing of a rule on a locked ticket: plan its actions, record that it fired (with any action
 * skipped and why) in the ticket's history, then carry the plan out.
 */
export async function fireRule(
  ctx: AppContext,
  trx: Executor,
  ticket: TicketRow,
  actions: RuleAction[],
  source: ChangeSource,
  fired: { type: "trigger_fired" | "automation_fired"; data: Record<string, unknown> },
) {
  const plan = await planActions(trx, ticket, actions);
  const skipped = plan.effects.filter((e) => e.skipped).map((e) => ({ action: e.action, reason: e.skipped }));
  await recordTicketEvents(trx, ticket.id, systemActor, [{ type: fired.type, data: { ...fired.data, name: source.name, skipped } }]);
  return applyPlan(ctx, trx, ticket, plan, source);
}
