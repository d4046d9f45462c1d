import type { TicketEventType } from "@loopdesk/contracts/tickets";
import { type QueryCreator, sql } from "kysely";
import { prepared } from "../../db/prepared-statements";
import type { ActorType, DB } from "../../db/schema";
import type { Principal } from "../../platform/auth/principal";
import type { Executor } from "../../platform/jobs/job-queue";

export type Actor = { type: ActorType; id: number | null };
export const actorOf = (p: Principal): Actor => ({ type: p.kind, id: p.id });
export const systemActor: Actor = { type: "system", id: null };

export type TicketEventInput = { type: TicketEventType; field?: string; before?: unknown; after?: unknown; data?: unknown };

const asRow = (actor: Actor, e: TicketEventInput, at: Date) => ({
  type: e.type,
  actor_type: actor.type,
  actor_id: actor.id,
  field: e.field ?? null,
  before: e.before ?? null,
  after: e.after ?? null,
  data: e.data ?? null,
  created_at: at.toISOString(),
});

const EVENT_COLUMNS = sql`type text, actor_type text, actor_id int, field text, before jsonb, after jsonb, data jsonb, created_at timestamptz`;

/** The events as a set of rows (jsonb_to_recordset), in ticket_events' column order after ticket_id. */
function eventRecordset(actor: Actor, events: TicketEventInput[], at: Date) {
  return sql`jsonb_to_recordset(${JSON.stringify(events.map((e) => asRow(actor, e, at)))}::jsonb) as ev(${EVENT_COLUMNS})`;
}

const COLUMNS = sql`(ticket_id, type, actor_type, actor_id, field, before, after, data, created_at)`;

/** Appends to the ticket's history (ticket_events is append-only, enforced by a trigger). */
export async function recordTicketEvents(db: Executor, ticketId: number, actor: Actor, events: TicketEventInput[], at = new Date()) {
  if (events.length === 0) return;
  await sql`insert into ticket_events ${COLUMNS} select ${ticketId}::int, ev.* from ${eventRecordset(actor, events, at)}`.execute(db);
}

export type PendingTicketEvent = { actor: Actor; event: TicketEventInput; at: Date };

/** Appends events of several actors and moments to one ticket's history in one statement, in this order. */
export async function recordTicketEventRows(db: Executor, ticketId: number, rows: PendingTicketEvent[]) {
  if (rows.length === 0) return;
  await ticketEventInsert(db, ticketId, rows).modifyEnd(prepared).execute();
}

/** The insert of recordTicketEventRows; a query creator of another statement makes it one of its CTEs. */
export function ticketEventInsert(qb: Pick<QueryCreator<DB>, "insertInto">, ticketId: number, rows: PendingTicketEvent[]) {
  const json = JSON.stringify(rows.map((r) => asRow(r.actor, r.event, r.at)));
  return qb
    .insertInto("ticket_events")
    .columns(["ticket_id", "type", "actor_type", "actor_id", "field", "before", "after", "data", "created_at"])
    .expression(sql`select ${ticketId}::int, ev.* from jsonb_to_recordset(${json}::jsonb) as ev(${EVENT_COLUMNS})`);
}

/**
 * Rows for ticket_events of tickets being inserted in the same statement: each names its ticket by
 * `ord`, joined to a CTE named `input` that holds each new ticket's id and ord, in this order.
 */
export function newTicketEventRows(tickets: { ord: number; actor: Actor; events: TicketEventInput[]; at: Date }[]) {
  const rows = tickets.flatMap(({ ord, actor, events, at }) => events.map((e) => ({ ord, ...asRow(actor, e, at) })));
  return sql`select input.id, ev.type, ev.actor_type, ev.actor_id, ev.field, ev.before, ev.after, ev.data, ev.created_at
    from rows from (jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as (ord int, ${EVENT_COLUMNS})) with ordinality as ev
    join input using (ord) order by ev.ordinality`;
}

/** Rows for ticket_events of existing tickets (ticket_id first), to insert in the same statement as their change. */
export function ticketEventRowsFor(items: { ticketId: number; events: TicketEventInput[] }[], actor: Actor, at: Date) {
  const rows = items.flatMap(({ ticketId, events }) => events.map((e) => ({ ticket_id: ticketId, ...asRow(actor, e, at) })));
  return sql`select ev.* from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as ev(ticket_id int, ${EVENT_COLUMNS})`;
}

/** Event types a customer may see in their own ticket's history. */
export const CUSTOMER_VISIBLE_EVENTS = new Set(["created", "status_changed", "follow_up_created", "urged", "csat_received"]);

/** The histories of tickets, oldest event first, with the ticket fields reports group by. */
export async function ticketHistories(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  const [tickets, events] = await Promise.all([
    db
      .selectFrom("tickets")
      .select(["id", "department_id", "category_id", "channel", "team_id", "assignee_id", "customer_id", "sla_policy_id", "created_at"])
      .where("id", "in", ids)
      .execute(),
    db
      .selectFrom("ticket_events")
      .select(["ticket_id", "type", "actor_type", "actor_id", "field", "before", "after", "data", "created_at"])
      .where("ticket_id", "in", ids)
      .orderBy("ticket_id")
      .orderBy("created_at")
      .orderBy("id")
      .execute(),
  ]);
  const byTicket = new Map<number, typeof events>();
  for (const e of events) {
    const list = byTicket.get(e.ticket_id) ?? [];
    list.push(e);
    byTicket.set(e.ticket_id, list);
  }
  return tickets.map((t) => ({
    ticket: t,
    events: (byTicket.get(t.id) ?? []).map((e) => ({
      type: e.type,
      actorType: e.actor_type,
      actorId: e.actor_id,
      field: e.field,
      before: e.before,
      after: e.after,
      data: e.data,
      at: e.created_at,
    })),
  }));
}

/** Of these tickets, those whose customer opened another ticket of the same category in the `days` before. */
export async function repeatTicketIds(db: Executor, ids: number[], days: number) {
  if (ids.length === 0) return new Set<number>();
  const rows = await db
    .selectFrom("tickets as t")
    .select("t.id")
    .where("t.id", "in", ids)
    .where("t.category_id", "is not", null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom("tickets as o")
          .select("o.id")
          .whereRef("o.customer_id", "=", "t.customer_id")
          .whereRef("o.category_id", "=", "t.category_id")
          .whereRef("o.id", "<>", "t.id")
          .whereRef("o.created_at", "<", "t.created_at")
          .where("o.created_at", ">=", sql<Date>`t.created_at - make_interval(days => ${days})`),
      ),
    )
    .execute();
  return new Set(rows.map((r) => r.id));
}
