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

/** Event types a customer may see in their own ticket's history. */
export const CUSTOMER_VISIBLE_EVENTS = new Set(["created", "status_changed", "follow_up_created"]);
