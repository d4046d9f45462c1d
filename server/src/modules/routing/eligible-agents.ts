import type { AssignmentCandidate } from "@loopdesk/contracts/routing";
import { type SqlBool, sql } from "kysely";
import { prepared } from "../../db/prepared-statements";
import type { Executor } from "../../platform/jobs/job-queue";
import type { AgentBoard, AgentDerived, AgentRow } from "./agent-board";
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
  board: AgentBoard,
  dir: RoutingDirectory,
  staffIds: number[],
  ticket: TicketForRouting,
  opts: { now: Date; timeZone: string; exclude: number[]; requireSkills: boolean; handling: Handling },
): Promise<{ eligible: Candidate[]; considered: AssignmentCandidate[] }> {
  const ids = [...new Set(staffIds)].filter((id) => dir.staff.get(id)?.active);
  if (ids.length === 0) return { eligible: [], considered: [] };
  const rows = await board.get(ids);
  const required = ticket.category_id !== null ? (dir.categorySkills.get(ticket.category_id) ?? []) : [];
  const minutesFor = (category: number) => opts.handling.byCategory.get(category) ?? opts.handling.overall ?? DEFAULT_HANDLING_MINUTES;
  const eligible: Candidate[] = [];
  const considered: AssignmentCandidate[] = [];
  for (const id of ids) {
    const st = rows.get(id);
    const total = st?.load.total ?? 0;
    const capacity = st?.capacity ?? 0;
    const levels = dir.staff.get(id)?.skills ?? new Map<number, number>();
    const skill = required.reduce((sum, r) => sum + (levels.get(r.skillId) ?? 0), 0);
    const memo = board.memo(id);
    if (memo.workload === undefined) {
      let workload = 0;
      for (const [c, n] of st?.load.byCategory ?? []) workload += n * minutesFor(c);
      memo.workload = workload;
    }
    const workload = memo.workload;
    const channelCap = st?.channelCapacity[ticket.channel];
    const excluded = !st
      ? "offline"
      : opts.exclude.includes(id)
        ? "excluded"
        : st.presence !== "online"
          ? st.presence
          : !onShift(memo, st, opts)
            ? "off_shift"
            : total >= capacity || (channelCap !== undefined && (st.load.byChannel[ticket.channel] ?? 0) >= channelCap)
              ? "at_capacity"
              : opts.requireSkills && required.some((r) => (levels.get(r.skillId) ?? 0) < r.minLevel)
                ? "missing_skill"
                : undefined;
    const lastAssignedAt = st?.lastAssignedAt ?? null;
    if (memo.lastAssignedIso === undefined) memo.lastAssignedIso = lastAssignedAt?.toISOString() ?? null;
    considered.push({
      staffId: id,
      load: total,
      capacity,
      workload: Math.round(workload),
      skill,
      lastAssignedAt: memo.lastAssignedIso,
      ...(excluded ? { excluded } : {}),
    });
    if (!excluded) eligible.push({ staffId: id, load: total, capacity, workload, skill, lastAssignedAt });
  }
  return { eligible, considered };
}

/** Whether the agent is on shift at the run's clock, worked out once per run. */
function onShift(memo: AgentDerived, st: AgentRow, opts: { now: Date; timeZone: string }) {
  if (memo.onShift === undefined) memo.onShift = isOnShift(st.shifts, st.shiftExceptions, opts.now, opts.timeZone);
  return memo.onShift;
}

export type Claim = { staffId: number; tickets: number; byChannel: Record<string, number> };

/**
 * Takes these agents for the given numbers of new tickets if their capacity (also per channel)
 * still holds, in one UPDATE: the agents' rows are locked in staff order (two runs never wait on
 * each other crosswise), and PostgreSQL re-checks the condition on each row's newest version, so
 * nobody is given more than capacity whatever commits meanwhile. It also stamps their last
 * assignment (round-robin order). With `skipLocked`, agents another transaction is assigning to
 * right now are passed over (`busy`) instead of waited for. Agents neither taken nor busy are full.
 */
export async function claimAgents(db: Executor, claims: Claim[], opts: { skipLocked?: boolean } = {}) {
  if (claims.length === 0) return { taken: new Set<number>(), busy: new Set<number>() };
  const [only] = claims;
  if (claims.length === 1 && only && Object.keys(only.byChannel).length === 1) return claimOne(db, only, opts);
  const want = claims.map((c) => ({ staff_id: c.staffId, n: c.tickets, by_channel: c.byChannel }));
  const { rows } = await sql<{ staff_id: number; taken: boolean }>`${prepared}
    with want as (select * from jsonb_to_recordset(${JSON.stringify(want)}::jsonb) as w(staff_id int, n int, by_channel jsonb)),
    locked as materialized (
      select staff_id from agent_states where staff_id in (select staff_id from want) order by staff_id
      for update ${opts.skipLocked ? sql`skip locked` : sql``}
    ),
    taken as (
      update agent_states st set last_assigned_at = clock_timestamp()
      from want w
      where st.staff_id = w.staff_id
        and st.staff_id in (select staff_id from locked)
        and st.open_count + w.n <= st.capacity
        and not exists (
          select 1 from jsonb_each_text(w.by_channel) as c(channel, k)
          where (st.channel_capacity->>c.channel) is not null
            and coalesce((st.open_by_channel->>c.channel)::int, 0) + c.k::int > (st.channel_capacity->>c.channel)::int)
      returning st.staff_id
    )
    select staff_id, staff_id in (select staff_id from taken) as taken from locked`.execute(db);
  const locked = new Set(rows.map((r) => r.staff_id));
  return {
    taken: new Set(rows.filter((r) => r.taken).map((r) => r.staff_id)),
    busy: new Set(claims.map((c) => c.staffId).filter((id) => !locked.has(id))),
  };
}

/** The same for one agent and one channel, in the plain statement (cheaper to plan: most decisions are single). */
async function claimOne(db: Executor, c: Claim, opts: { skipLocked?: boolean }) {
  const [channel, n] = Object.entries(c.byChannel)[0] as [string, number];
  let q = db
    .updateTable("agent_states")
    .set({ last_assigned_at: sql`clock_timestamp()` })
    .where("staff_id", "=", c.staffId)
    .where(sql<SqlBool>`open_count + ${c.tickets}::int <= capacity`)
    .where(
      sql<SqlBool>`(channel_capacity->>${channel} is null or coalesce((open_by_channel->>${channel})::int, 0) + ${n}::int <= (channel_capacity->>${channel})::int)`,
    );
  if (opts.skipLocked)
    q = q.where("staff_id", "in", (eb) =>
      eb.selectFrom("agent_states").select("staff_id").where("staff_id", "=", c.staffId).forUpdate().skipLocked(),
    );
  const taken = (await q.returning("staff_id").modifyEnd(prepared).executeTakeFirst()) !== undefined;
  // Not taken while skipping locked rows: locked by another transaction now, or full. Both count as
  // busy (passed over in this run); should nobody else qualify, the waiting claim tells them apart.
  const busy = !taken && opts.skipLocked === true;
  return { taken: new Set(taken ? [c.staffId] : []), busy: new Set(busy ? [c.staffId] : []) };
}

/** One agent, one ticket (an agent claiming an offered ticket). */
export async function claimCapacity(db: Executor, staffId: number, channel: string) {
  return (await claimAgents(db, [{ staffId, tickets: 1, byChannel: { [channel]: 1 } }])).taken.has(staffId);
}
