import { type SqlBool, sql } from "kysely";
import type { TicketRow, TicketUpdate } from "../../db/schema";
import { prepared } from "../../db/prepared-statements";
import type { Executor } from "../../platform/jobs/job-queue";
import { TICKET_COLUMNS } from "./ticket-columns";

/** The tickets module's side of routing: the routing columns of tickets, read and written for the routing module. */
export type RoutingStatePatch = {
  routingStatus?: TicketRow["routing_status"];
  routingRound?: number;
  offeredUntil?: Date | null;
  excluded?: number[];
  teamId?: number | null;
  transferCount?: number;
};

export async function lockTicket(db: Executor, id: number) {
  return db.selectFrom("tickets").selectAll().where("id", "=", id).forNoKeyUpdate().executeTakeFirst();
}

/** Several tickets, locked in id order (two runs over overlapping tickets cannot deadlock). */
export async function lockTickets(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom("tickets")
    .select(TICKET_COLUMNS)
    .where(sql<SqlBool>`id = any(${ids}::int[])`)
    .orderBy("id")
    .forNoKeyUpdate()
    .modifyEnd(prepared)
    .execute();
}

export const routingColumns = (p: RoutingStatePatch): TicketUpdate => ({
  ...(p.routingStatus !== undefined ? { routing_status: p.routingStatus } : {}),
  ...(p.routingRound !== undefined ? { routing_round: p.routingRound } : {}),
  ...(p.offeredUntil !== undefined ? { offered_until: p.offeredUntil } : {}),
  ...(p.excluded !== undefined ? { routing_excluded: p.excluded } : {}),
  ...(p.teamId !== undefined ? { team_id: p.teamId } : {}),
  ...(p.transferCount !== undefined ? { transfer_count: p.transferCount } : {}),
});

/** One ticket's routing columns, or several tickets' alike (one statement however many). */
export async function setRoutingState(db: Executor, ids: number | number[], p: RoutingStatePatch) {
  const update = db.updateTable("tickets").set(routingColumns(p));
  await (Array.isArray(ids)
    ? update.where(sql<SqlBool>`id = any(${ids}::int[])`).modifyEnd(prepared)
    : update.where("id", "=", ids)
  ).execute();
}

/** Unassigned tickets waiting for an agent (queued) or whose claim offer ran out, most urgent first. */
export async function waitingTicketIds(db: Executor, limit: number, now = new Date()) {
  const rows = await db
    .selectFrom("tickets")
    .select(["id", "routing_status"])
    .where("assignee_id", "is", null)
    .where((eb) =>
      eb.or([eb("routing_status", "=", "queued"), eb.and([eb("routing_status", "=", "offered"), eb("offered_until", "<=", now)])]),
    )
    .where("status", "not in", ["solved", "closed"])
    .orderBy("priority_score", "desc")
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, offerExpired: r.routing_status === "offered" }));
}

/** These agents' automatically assigned tickets nobody has worked on yet (new, no reply): what returns to routing when they leave. */
export async function untouchedTickets(db: Executor, staffIds: number[], limit = 500) {
  if (staffIds.length === 0) return [];
  const rows = await db
    .selectFrom("tickets")
    .select(["id", "assignee_id"])
    .where("assignee_id", "in", staffIds)
    .where("routing_status", "=", "assigned")
    .where("status", "=", "new")
    .where("first_response_at", "is", null)
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, staffId: r.assignee_id as number }));
}

/** Tickets offered for claiming to any of these teams, most urgent first. */
export async function offeredTickets(db: Executor, teamIds: number[], limit = 50) {
  if (teamIds.length === 0) return [];
  return db
    .selectFrom("tickets")
    .select(["id", "number", "subject", "team_id", "priority_score", "offered_until", "created_at", "routing_excluded"])
    .where("routing_status", "=", "offered")
    .where("assignee_id", "is", null)
    .where("team_id", "in", teamIds)
    .orderBy("priority_score", "desc")
    .orderBy("id")
    .limit(limit)
    .execute();
}

/** Unassigned tickets in routing (queued or on offer) for the routing board. */
export async function waitingTickets(db: Executor, limit = 100) {
  return db
    .selectFrom("tickets")
    .select(["id", "number", "subject", "team_id", "routing_status", "priority_score", "created_at"])
    .where("assignee_id", "is", null)
    .where("routing_status", "in", ["queued", "offered"])
    .where("status", "not in", ["solved", "closed"])
    .orderBy("priority_score", "desc")
    .orderBy("id")
    .limit(limit)
    .execute();
}

/** What the priority score of each ticket is computed from. */
export async function scoreInputs(db: Executor, where: { ids: number[] } | { dueBefore: Date; afterId: number; limit: number }) {
  let q = db
    .selectFrom("tickets")
    .select([
      "id",
      "customer_id",
      "priority",
      "category_id",
      "subject",
      "description",
      "sla_next_due_at",
      "priority_score",
      "priority_parts",
    ])
    .where("status", "not in", ["solved", "closed"]);
  if ("ids" in where) {
    if (where.ids.length === 0) return [];
    q = q.where("id", "in", where.ids);
  } else {
    // Tickets whose SLA part may change: due within the horizon, or already holding SLA points.
    q = q
      .where("id", ">", where.afterId)
      .where((eb) =>
        eb.or([
          eb("sla_next_due_at", "<=", where.dueBefore),
          sql<SqlBool>`(priority_parts->>'sla') is not null and (priority_parts->>'sla') <> '0'`,
        ]),
      )
      .orderBy("id")
      .limit(where.limit);
  }
  return q.execute();
}

/** Writes changed scores in one statement. */
export async function writeScores(db: Executor, scores: { id: number; score: number; parts: Record<string, number> }[]) {
  if (scores.length === 0) return;
  await sql`
    update tickets t set priority_score = s.score, priority_parts = s.parts
    from (select * from jsonb_to_recordset(${JSON.stringify(scores)}::jsonb) as x(id int, score int, parts jsonb)) s
    where t.id = s.id`.execute(db);
}

/** Unsolved ticket ids after `afterId`, in id order (batch walks). */
export async function openTicketIdsAfter(db: Executor, afterId: number, limit: number) {
  const rows = await db
    .selectFrom("tickets")
    .select("id")
    .where("id", ">", afterId)
    .where("status", "not in", ["solved", "closed"])
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function getTicketRow(db: Executor, id: number) {
  return db.selectFrom("tickets").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

/** Tickets that arrived on a local date (minutes after that midnight, category), for the routing simulator. */
export async function arrivalsOn(db: Executor, date: string, timeZone: string) {
  const { rows } = await sql<{ minute: number; category_id: number | null }>`
    select extract(epoch from (created_at at time zone ${timeZone}) - (${date}::date)::timestamp) / 60 as minute, category_id
    from tickets
    where created_at >= (${date}::date)::timestamp at time zone ${timeZone}
      and created_at < ((${date}::date) + 1)::timestamp at time zone ${timeZone}
    order by created_at`.execute(db);
  return rows.map((r) => ({ minute: Number(r.minute), categoryId: r.category_id }));
}
