import { sql } from "kysely";
import type { ActorType } from "../../db/schema";
import type { Principal } from "../../platform/auth/principal";
import type { Executor } from "../../platform/jobs/job-queue";

export type Actor = { type: ActorType; id: number | null };
export const actorOf = (p: Principal): Actor => ({ type: p.kind, id: p.id });
export const systemActor: Actor = { type: "system", id: null };

export type TicketEventInput = { type: string; field?: string; before?: unknown; after?: unknown; data?: unknown };

/** The events as a set of rows (jsonb_to_recordset), in ticket_events' column order after ticket_id. */
function eventRecordset(actor: Actor, events: TicketEventInput[], at: Date) {
  const rows = events.map((e) => ({
    type: e.type,
    actor_type: actor.type,
    actor_id: actor.id,
    field: e.field ?? null,
    before: e.before ?? null,
    after: e.after ?? null,
    data: e.data ?? null,
    created_at: at.toISOString(),
  }));
  return sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
    as ev(type text, actor_type text, actor_id int, field text, before jsonb, after jsonb, data jsonb, created_at timestamptz)`;
}

const COLUMNS = sql`(ticket_id, type, actor_type, actor_id, field, before, after, data, created_at)`;

/** Appends to the ticket's history (ticket_events is append-only, enforced by a trigger). */
export async function recordTicketEvents(db: Executor, ticketId: number, actor: Actor, events: TicketEventInput[], at = new Date()) {
  if (events.length === 0) return;
  await sql`insert into ticket_events ${COLUMNS} select ${ticketId}::int, ev.* from ${eventRecordset(actor, events, at)}`.execute(db);
}

/**
 * Rows for ticket_events of a ticket being inserted in the same statement (a CTE named
 * new_ticket), so a ticket and its first events are one round trip.
 */
export const ticketEventRows = (actor: Actor, events: TicketEventInput[], at: Date) =>
  sql`select t.id, ev.* from new_ticket t, ${eventRecordset(actor, events, at)}`;

/** Event types a customer may see in their own ticket's history. */
export const CUSTOMER_VISIBLE_EVENTS = new Set(["created", "status_changed", "follow_up_created", "urged", "csat_received"]);
