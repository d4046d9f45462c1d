import type { AssignmentCandidate } from "@loopdesk/contracts/routing";
import type { Executor } from "../../platform/jobs/job-queue";
import { openLoads } from "./agent-state-service";
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
  const [states, loads] = await Promise.all([
    db.selectFrom("agent_states").selectAll().where("staff_id", "in", ids).execute(),
    openLoads(db, ids),
  ]);
  const stateOf = new Map(states.map((s) => [s.staff_id, s]));
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
 * Locks the agent's state row and checks capacity again with the counts as now committed: two
 * decisions for the same agent run one after the other, so nobody is given more than capacity.
 */
export async function claimCapacity(db: Executor, staffId: number, channel: string) {
  const st = await db.selectFrom("agent_states").selectAll().where("staff_id", "=", staffId).forUpdate().executeTakeFirst();
  if (!st) return false;
  const load = (await openLoads(db, [staffId])).get(staffId);
  const channelCap = st.channel_capacity[channel];
  if ((load?.total ?? 0) >= st.capacity) return false;
  if (channelCap !== undefined && (load?.byChannel[channel] ?? 0) >= channelCap) return false;
  return true;
}

export async function markAssigned(db: Executor, staffId: number, at: Date) {
  await db.updateTable("agent_states").set({ last_assigned_at: at }).where("staff_id", "=", staffId).execute();
}
