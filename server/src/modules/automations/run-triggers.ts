import type { Trigger, TriggerEvent } from "@loopdesk/contracts/rules";
import { sql } from "kysely";
import type { Logger } from "pino";
import type { AppContext } from "../../platform/context";
import type { DomainEvent } from "../../platform/events/event-bus";
import type { Executor } from "../../platform/jobs/job-queue";
import { recordTicketEvents, systemActor } from "../tickets/ticket-events";
import { lockTicket } from "../tickets/ticket-lookup";
import { fireRule } from "./apply-plan";
import { type RuleFacts, evaluateConditions } from "./rule-conditions";
import { refreshFacts, ruleFacts } from "./rule-facts";

/** A ticket's trigger firings per hour are capped: past this, a runaway chain is stopped and said so. */
export const TRIGGER_FIRINGS_PER_HOUR = 100;

type Payload = {
  changes?: Record<string, { before: unknown; after: unknown }>;
  via?: { kind: string };
  authorType?: string;
  visibility?: string;
  target?: string;
  rating?: number;
};

/** Which trigger events a domain event is. */
export function triggerEventsOf(event: DomainEvent): TriggerEvent[] {
  const p = event.payload as Payload;
  const statusChanged = p.changes?.status !== undefined ? (["status_changed"] as const) : [];
  switch (event.type) {
    case "ticket.created":
      return ["created"];
    case "ticket.updated":
      return ["updated", ...statusChanged];
    case "ticket.message_added":
      return ["replied", ...statusChanged];
    case "ticket.urged":
      return ["urged"];
    case "ticket.sla_warning":
      return ["sla_warning"];
    case "ticket.sla_breached":
      return ["sla_breached"];
    case "ticket.csat_received":
      return ["csat_received"];
    default:
      return [];
  }
}

/**
 * Runs the active triggers, in order, for one ticket event, inside the event's job transaction.
 * A trigger fires at most once per event; when one changes the ticket, the remaining ones are
 * tried again against the new state (so "priority changed to urgent" sees a change another
 * trigger made). The `ticket.updated` events that trigger changes emit are not run again — the
 * loop above has already seen them — so a trigger cannot wake itself. Changes from outside
 * (people, API clients, webhooks answering back) can still bounce, so each ticket's firings are
 * capped per hour; the cap is recorded on the ticket once when reached.
 */
export async function runTriggers(ctx: AppContext, trx: Executor, event: DomainEvent, logger: Logger, triggers: Trigger[]) {
  const p = event.payload as Payload;
  if (p.via?.kind === "trigger") return;
  const kinds = triggerEventsOf(event);
  const candidates = triggers.filter((t) => t.events.some((e) => kinds.includes(e)));
  if (candidates.length === 0) return;
  let ticket = await lockTicket(trx, event.aggregateId);
  if (!ticket || ticket.status === "closed") return;
  let facts: RuleFacts = await ruleFacts(trx, ticket, {
    changes: p.changes ?? {},
    message: event.type === "ticket.message_added" ? { authorType: p.authorType ?? "", visibility: p.visibility ?? "" } : undefined,
    sla: p.target ? { target: p.target } : undefined,
    csat: typeof p.rating === "number" ? { rating: p.rating } : undefined,
  });
  const fired = new Set<number>();
  for (let pass = 0; pass <= candidates.length; pass++) {
    const next = candidates.find((t) => !fired.has(t.id) && evaluateConditions(t.conditions, facts).matched);
    if (!next) return;
    if (!(await countFiring(trx, ticket.id))) {
      logger.warn({ ticketId: ticket.id, trigger: next.id }, "trigger limit reached for ticket; chain stopped");
      return;
    }
    fired.add(next.id);
    const source = { kind: "trigger" as const, id: next.id, name: next.name };
    const result = await fireRule(ctx, trx, ticket, next.actions, source, {
      type: "trigger_fired",
      data: { triggerId: next.id, event: kinds[0] },
    });
    ticket = result.ticket;
    if (ticket.status === "closed") return;
    facts = refreshFacts(facts, ticket, result.changes);
  }
}

/** Counts a firing against the ticket's hourly cap; false (and a history note, once) when the cap is reached. */
async function countFiring(trx: Executor, ticketId: number) {
  const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const { rows } = await sql<{ count: number }>`
    insert into trigger_firings (ticket_id, hour, count) values (${ticketId}, ${hour}, 1)
    on conflict (ticket_id, hour) do update set count = trigger_firings.count + 1
    returning count`.execute(trx);
  const count = Number(rows[0]?.count ?? 0);
  if (count === TRIGGER_FIRINGS_PER_HOUR + 1)
    await recordTicketEvents(trx, ticketId, systemActor, [
      {
        type: "trigger_limit_reached",
        data: { limit: TRIGGER_FIRINGS_PER_HOUR, reason: `more than ${TRIGGER_FIRINGS_PER_HOUR} trigger firings in one hour` },
      },
    ]);
  return count <= TRIGGER_FIRINGS_PER_HOUR;
}
