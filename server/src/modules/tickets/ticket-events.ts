import { sql } from "kysely";
import type { ActorType } from "../../db/schema";
import type { Principal } from "../../platform/auth/principal";
import type { Executor } from "../../platform/jobs/job-queue";

export type Actor = { type: ActorType; id: number | null };
export const actorOf = (p: Principal): Actor => ({ type: p.kind, id: p.id });
export const systemActor: Actor = { type: "system", id: null };

export type TicketEventInput = { type: string; field?: string; before?: unknown; after?: unknown; data?: unknown };

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/** Appends to the ticket's history (ticket_events is append-only, enforced by a trigger). */
export async function recordTicketEvents(db: Executor, ticketId: number, actor: Actor, events: TicketEventInput[], at = new Date()) {
  if (events.length === 0) return;
  await db
    .insertInto("ticket_events")
    .values(
      events.map((e) => ({
        ticket_id: ticketId,
        type: e.type,
        actor_type: actor.type,
        actor_id: actor.id,
        field: e.field ?? null,
        before: json(e.before),
        after: json(e.after),
        data: json(e.data),
        created_at: at,
      })),
    )
    .execute();
}

/** Rows for ticket_events given a ticket id expression; lets an insert of the ticket and its first events be one statement. */
export function ticketEventRows(actor: Actor, events: TicketEventInput[], at: Date) {
  const rows = events.map((e) => ({
    type: e.type,
    actor_type: actor.type,
    actor_id: actor.id,
    field: e.field ?? null,
    before: e.before === undefined ? null : e.before,
    after: e.after === undefined ? null : e.after,
    data: e.data === undefined ? null : e.data,
    created_at: at.toISOString(),
  }));
  return sql`select t.id, ev.type, ev.actor_type, ev.actor_id, ev.field, ev.before, ev.after, ev.data, ev.created_at
    from new_ticket t, jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as ev(type text, actor_type text, actor_id int, field text, before jsonb, after jsonb, data jsonb, created_at timestamptz)`;
}

/** Event types a customer may see in their own ticket's history. */
export const CUSTOMER_VISIBLE_EVENTS = new Set(["created", "status_changed", "follow_up_created"]);
