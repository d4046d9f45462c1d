import type { TicketRow } from "../../db/schema";
import type { Executor } from "../../platform/jobs/job-queue";
import { customerTiers } from "../customers/customer-service";
import type { RuleFacts } from "./rule-conditions";

/** The facts a rule is evaluated on, for a ticket and (optionally) the event that woke it. */
export async function ruleFacts(
  db: Executor,
  t: TicketRow,
  event: Partial<Pick<RuleFacts, "changes" | "message" | "sla" | "csat">> = {},
  now = new Date(),
): Promise<RuleFacts> {
  const tiers = await customerTiers(db, [t.customer_id]);
  return {
    ticket: {
      status: t.status,
      priority: t.priority,
      channel: t.channel,
      categoryId: t.category_id,
      departmentId: t.department_id,
      assigneeId: t.assignee_id,
      tags: t.tags,
      subject: t.subject,
      description: t.description,
      customerTier: tiers.get(t.customer_id) ?? null,
      urgeCount: t.urge_count,
      reopenCount: t.reopen_count,
      createdAt: t.created_at,
      updatedAt: t.updated_at,
      customFields: t.custom_fields ?? {},
    },
    changes: event.changes ?? {},
    message: event.message,
    sla: event.sla,
    csat: event.csat,
    now,
  };
}

/** After a rule changed the ticket: the facts now, with its changes added to what changed. */
export function refreshFacts(facts: RuleFacts, t: TicketRow, changes: Record<string, { before: unknown; after: unknown }>): RuleFacts {
  const merged = { ...facts.changes };
  for (const [field, c] of Object.entries(changes)) merged[field] = { before: merged[field]?.before ?? c.before, after: c.after };
  return {
    ...facts,
    ticket: {
      ...facts.ticket,
      status: t.status,
      priority: t.priority,
      categoryId: t.category_id,
      departmentId: t.department_id,
      assigneeId: t.assignee_id,
      tags: t.tags,
      subject: t.subject,
      updatedAt: t.updated_at,
      customFields: t.custom_fields ?? {},
    },
    changes: merged,
  };
}
