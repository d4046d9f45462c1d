import type { AssignmentCandidate, AssignmentDecision } from "@loopdesk/contracts/routing";
import { type Selectable, sql } from "kysely";
import { prepared } from "../../db/prepared-statements";
import type { AssignmentLogTable } from "../../db/schema-routing";
import type { Executor } from "../../platform/jobs/job-queue";
import type { Actor } from "../tickets/ticket-events";

export type DecisionInput = {
  ticketId: number;
  round: number;
  outcome: AssignmentDecision["outcome"];
  teamId: number | null;
  staffId: number | null;
  strategy: string | null;
  reason: string;
  details?: Record<string, unknown>;
  candidates?: AssignmentCandidate[];
  actor: Actor;
};

/** How many of the eligible agents an assignment's log entry lists (the winner and the runners-up). */
const LOGGED_ELIGIBLE = 10;

/**
 * The candidates an assignment logs: the eligible agents in the strategy's order up to
 * LOGGED_ELIGIBLE (the winner first), then everyone left out, each with why. The other eligible
 * agents ranked lower are only counted (moreEligible): in a team of fifty they say little, and fifty
 * entries per decision made the log the costliest write of a decision.
 */
export function loggedCandidates(considered: AssignmentCandidate[], ranked: number[]) {
  const rank = new Map(ranked.map((id, i) => [id, i]));
  const order = (c: AssignmentCandidate) => rank.get(c.staffId) ?? ranked.length;
  const eligible = considered.filter((c) => !c.excluded).sort((a, b) => order(a) - order(b));
  return {
    candidates: [...eligible.slice(0, LOGGED_ELIGIBLE), ...considered.filter((c) => c.excluded)],
    moreEligible: Math.max(0, eligible.length - LOGGED_ELIGIBLE),
  };
}

/** Every routing decision is kept: who was considered, who won and why (shown on the ticket and the routing board). */
export async function recordDecision(db: Executor, d: DecisionInput) {
  await recordDecisions(db, [d]);
}

/** The decisions of a run in one statement (a recordset parameter: the same prepared statement however many). */
export async function recordDecisions(db: Executor, decisions: DecisionInput[]) {
  if (decisions.length === 0) return;
  const rows = decisions.map((d) => ({
    ticket_id: d.ticketId,
    round: d.round,
    outcome: d.outcome,
    team_id: d.teamId,
    staff_id: d.staffId,
    strategy: d.strategy,
    reason: d.reason,
    details: d.details ?? {},
    candidates: d.candidates ?? [],
    actor_type: d.actor.type,
    actor_id: d.actor.id,
  }));
  await sql`${prepared}
    insert into assignment_log (ticket_id, round, outcome, team_id, staff_id, strategy, reason, details, candidates, actor_type, actor_id)
    select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as d(
      ticket_id int, round int, outcome text, team_id int, staff_id int, strategy text, reason text,
      details jsonb, candidates jsonb, actor_type text, actor_id int)`.execute(db);
}

/** A row as read (the table type is in schema-routing.ts). */
type LogRow = Selectable<AssignmentLogTable>;

const present = (r: LogRow): AssignmentDecision => ({
  id: Number(r.id),
  ticketId: r.ticket_id,
  round: r.round,
  outcome: r.outcome as AssignmentDecision["outcome"],
  teamId: r.team_id,
  staffId: r.staff_id,
  strategy: r.strategy,
  reason: r.reason,
  details: r.details,
  candidates: r.candidates as AssignmentCandidate[],
  actorType: r.actor_type,
  actorId: r.actor_id,
  createdAt: r.created_at.toISOString(),
});

export async function ticketDecisions(db: Executor, ticketId: number) {
  const rows = await db.selectFrom("assignment_log").selectAll().where("ticket_id", "=", ticketId).orderBy("id").limit(200).execute();
  return rows.map(present);
}

/** The latest decisions across tickets, each with its ticket's number (the board links #13081, not an id). */
export async function recentDecisions(db: Executor, limit = 50) {
  const rows = await db
    .selectFrom("assignment_log as l")
    .innerJoin("tickets as t", "t.id", "l.ticket_id")
    .selectAll("l")
    .select("t.number as ticket_number")
    .orderBy("l.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...present(r), ticketNumber: r.ticket_number }));
}
