import type { SlaTarget } from "../../db/schema-sla";
import { type Calendar, addBusinessMinutes, businessMinutesBetween } from "./business-calendar";

/** What the clocks need to know about a ticket, in time order. */
export type ClockFacts = {
  createdAt: Date;
  /** Status from each change on (the first entry: the status at creation). */
  statuses: { at: Date; status: string }[];
  /** Public messages: who wrote and when. */
  publicMessages: { at: Date; by: "staff" | "customer" }[];
  firstResponseAt: Date | null;
};

export type ClockPolicy = {
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  /** null: calendar time (24×7). */
  calendar: Calendar | null;
  pauseOnPending: boolean;
  pauseOnHold: boolean;
  warnPercent?: number | null;
  warnMinutesBefore?: number | null;
};

export type Clock = {
  target: SlaTarget;
  cycleStart: Date;
  status: "active" | "paused" | "hit" | "missed";
  /** When the target is (or was) due; null while paused. */
  dueAt: Date | null;
  completedAt: Date | null;
  /** Running clocks: when each warning is (or was) due, e.g. { key: "p75", at }. */
  warnings: { key: string; at: Date }[];
};

const STOPPED = new Set(["solved", "closed"]);

/**
 * The clock runs from `start` except while the ticket waits (pending / on hold, per policy) or is
 * solved. Walks those segments up to `completedAt` (or now) and finds when `minutes` of (working)
 * time were, or will be, used up.
 */
function runClock(
  facts: ClockFacts,
  policy: ClockPolicy,
  start: Date,
  minutes: number,
  completedAt: Date | null,
  now: Date,
): Pick<Clock, "status" | "dueAt" | "completedAt"> {
  const paused = (s: string) => STOPPED.has(s) || (policy.pauseOnPending && s === "pending") || (policy.pauseOnHold && s === "on_hold");
  const measure = (a: number, b: number) =>
    policy.calendar ? businessMinutesBetween(policy.calendar, new Date(a), new Date(b)) : Math.max(0, b - a) / 60_000;
  const advance = (from: number, m: number) =>
    policy.calendar ? addBusinessMinutes(policy.calendar, new Date(from), m).getTime() : from + m * 60_000;

  const end = Math.max(start.getTime(), (completedAt ?? now).getTime());
  const changes = facts.statuses.filter((c) => c.at.getTime() > start.getTime());
  let status = [...facts.statuses].reverse().find((c) => c.at.getTime() <= start.getTime())?.status ?? "new";
  let segStart = start.getTime();
  let used = 0;
  let due: number | null = null;
  for (let i = 0; ; i++) {
    const next = changes[i];
    const segEnd = next ? Math.min(next.at.getTime(), end) : end;
    if (!paused(status) && segEnd > segStart) {
      const span = measure(segStart, segEnd);
      if (due === null && used + span >= minutes) due = advance(segStart, minutes - used);
      used += span;
    }
    // A change at the very end still sets the state the clock is left in.
    if (!next || next.at.getTime() > end) break;
    segStart = next.at.getTime();
    status = next.status;
  }
  if (completedAt) return { status: used <= minutes ? "hit" : "missed", dueAt: due === null ? null : new Date(due), completedAt };
  // Waiting: no due time while paused, unless it had already passed before the pause.
  if (paused(status)) return { status: "paused", dueAt: due === null ? null : new Date(due), completedAt: null };
  return { status: "active", dueAt: new Date(due ?? advance(end, minutes - used)), completedAt: null };
}

/** Warning points of a running clock: a share of the target used, and/or minutes before due. */
function warningsFor(
  facts: ClockFacts,
  policy: ClockPolicy,
  start: Date,
  minutes: number,
  clock: Pick<Clock, "status" | "dueAt">,
  now: Date,
) {
  if (clock.status !== "active" || !clock.dueAt) return [];
  const out: { key: string; at: Date }[] = [];
  if (policy.warnPercent) {
    const share = Math.max(1, Math.round((minutes * policy.warnPercent) / 100));
    const at = runClock(facts, policy, start, share, null, now).dueAt;
    if (at) out.push({ key: `p${policy.warnPercent}`, at });
  }
  if (policy.warnMinutesBefore)
    out.push({ key: `m${policy.warnMinutesBefore}`, at: new Date(clock.dueAt.getTime() - policy.warnMinutesBefore * 60_000) });
  return out;
}

/** Every target's clock for a ticket under a policy, as of `now`. */
export function computeClocks(facts: ClockFacts, policy: ClockPolicy, now: Date): Clock[] {
  const clocks: Clock[] = [];
  const lastStatus = facts.statuses.at(-1)?.status ?? "new";
  if (policy.firstResponseMinutes) {
    const r = runClock(facts, policy, facts.createdAt, policy.firstResponseMinutes, facts.firstResponseAt, now);
    const warnings = warningsFor(facts, policy, facts.createdAt, policy.firstResponseMinutes, r, now);
    clocks.push({ target: "first_response", cycleStart: facts.createdAt, ...r, warnings });
  }
  if (policy.resolutionMinutes) {
    // Solved (or closed) stops the clock at the last solve; a reopened ticket's clock runs on.
    const solvedAt = STOPPED.has(lastStatus)
      ? ([...facts.statuses].reverse().find((s) => s.status === "solved")?.at ?? facts.statuses.at(-1)?.at ?? null)
      : null;
    const r = runClock(facts, policy, facts.createdAt, policy.resolutionMinutes, solvedAt, now);
    const warnings = warningsFor(facts, policy, facts.createdAt, policy.resolutionMinutes, r, now);
    clocks.push({ target: "resolution", cycleStart: facts.createdAt, ...r, warnings });
  }
  if (policy.nextResponseMinutes && facts.firstResponseAt) {
    // A cycle starts with the customer's first public message after a staff reply and ends with the next staff reply.
    let cycleStart: Date | null = null;
    let cycleEnd: Date | null = null;
    let answered = false;
    for (const m of facts.publicMessages) {
      if (m.by === "staff") {
        answered = true;
        if (cycleStart && !cycleEnd) cycleEnd = m.at;
      } else if (answered && (!cycleStart || cycleEnd)) {
        cycleStart = m.at;
        cycleEnd = null;
      }
    }
    if (cycleStart) {
      const r = runClock(facts, policy, cycleStart, policy.nextResponseMinutes, cycleEnd, now);
      const warnings = warningsFor(facts, policy, cycleStart, policy.nextResponseMinutes, r, now);
      clocks.push({ target: "next_response", cycleStart, ...r, warnings });
    }
  }
  return clocks;
}
