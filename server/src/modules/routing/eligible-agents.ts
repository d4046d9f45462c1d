import type { AssignmentCandidate } from "@loopdesk/contracts/routing";
import { type SqlBool, sql } from "kysely";
import type { Executor } from "../../platform/jobs/job-queue";
import { agentStatesWithLoads } from "./agent-state-service";
import type { RoutingDirectory } from "./routing-directory";
import { isOnShift } from "./shifts";
import type { Candidate } from "./strategies";

export type Handling = { byCategory: Map<number, number>; overall: number | null };
const DEFAULT_HANDLING_MINUTES = 60;

export type TicketForRouting = { channel: string; category_id: number | null };

/**
 * Who of these people may receive the ticket now: active, online, on shift, under capacity (also
 * their channel's), not excluded (declined it before) and, when `requireSkills`, holding every
 * skill the category needs at its level. Everyone considered is reported with why not.
 */
export async function evaluateAgents(
  db: Executor,
  dir: RoutingDirectory,
  staffIds: number[],
  ticket: TicketForRouting,
  opts: { now: Date; timeZone: string; exclude: number[]; requireSkills: boolean; handling: Handling },
): Promise<{ eligible: Candidate[]; considered: AssignmentCandidate[] }> {
  const ids = [...new Set(staffIds)].filter((id) => dir.staff.get(id)?.active);
  if (ids.length === 0) return { eligible: [], considered: [] };
  const rows = await agentStatesWithLoads(db, ids);
  const stateOf = new Map(rows.map((r) => [r.state.staff_id, r.state]));
  const loads = new Map(rows.map((r) => [r.state.staff_id, r.load]));
  const required = ticket.category_id !== null ? (dir.categorySkills.get(ticket.category_id) ?? []) : [];
  const minutesFor = (category: number) => opts.handling.byCategory.get(category) ?? opts.handling.overall ?? DEFAULT_HANDLING_MINUTES;
  const eligible: Candidate[] = [];
  const considered: AssignmentCandidate[] = [];
  for (const id of ids) {
    const st = stateOf.get(id);
    const load = loads.get(id);
    const total = load?.total ?? 0;
    const capacity = st?.capacity ?? 0;
    const levels = dir.staff.get(id)?.skills ?? new Map<number, number>();
    const skill = required.reduce((sum, r) => sum + (levels.get(r.skillId) ?? 0), 0);
    const workload = [...(load?.byCategory ?? new Map<number, number>())].reduce((sum, [c, n]) => sum + n * minutesFor(c), 0);
    const channelCap = st?.channel_capacity[ticket.channel];
    const excluded = !st
      ? "offline"
      : opts.exclude.includes(id)
        ? "excluded"
        : st.presence !== "online"
          ? st.presence
          : !isOnShift(st.shifts, st.shift_exceptions, opts.now, opts.timeZone)
            ? "off_shift"
            : total >= capacity || (channelCap !== undefined && (load?.byChannel[ticket.channel] ?? 0) >= channelCap)
              ? "at_capacity"
              : opts.requireSkills && required.some((r) => (levels.get(r.skillId) ?? 0) < r.minLevel)
                ? "missing_skill"
                : undefined;
    const lastAssignedAt = st?.last_assigned_at ?? null;
    considered.push({
      staffId: id,
      load: total,
      capacity,
      workload: Math.round(workload),
      skill,
      lastAssignedAt: lastAssignedAt?.toISOString() ?? null,
      ...(excluded ? { excluded } : {}),
    });
    if (!excluded) eligible.push({ staffId: id, load: total, capacity, workload, skill, lastAssignedAt });
  }
  return { eligible, considered };
}

/**
 * Takes the agent for this ticket if their capacity (also their channel's) still holds, in one
 * UPDATE that locks their row: a concurrent decision for the same agent waits, and PostgreSQL then
 * re-checks the condition against the counts that decision committed — nobody is given more than
 * capacity. It also stamps their last assignment (round-robin order). With `skipLocked`, an agent
 * another decision is assigning to this instant is passed over instead of waited for.
 */
export async function claimCapacity(db: Executor, staffId: number, channel: string, opts: { skipLocked?: boolean } = {}) {
  let q = db
    .updateTable("agent_states")
    .set({ last_assigned_at: sql`now()` })
    .where("staff_id", "=", staffId)
    .where(sql<SqlBool>`open_count < capacity`)
    .where(
      sql<SqlBool>`(channel_capacity->>${channel} is null or coalesce((open_by_channel->>${channel})::int, 0) < (channel_capacity->>${channel})::int)`,
    );
  if (opts.skipLocked)
    q = q.where("staff_id", "in", (eb) =>
      eb.selectFrom("agent_states").select("staff_id").where("staff_id", "=", staffId).forUpdate().skipLocked(),
    );
  const row = await q.returning("staff_id").executeTakeFirst();
  // Passed over when skipping locked rows: locked now, or full (tried again, waiting, only if nobody else can).
  return row ? true : opts.skipLocked ? ("locked" as const) : false;
}
