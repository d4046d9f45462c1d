import { type Calendar, businessMinutesBetween, dateKey, localParts } from "../sla/business-calendar";
import { type Delta, addDelta, histogramBucket } from "./measures";

/** One ticket_events row as the facts need it, in the order it happened. */
export type FactEvent = {
  type: string;
  actorType: string;
  actorId: number | null;
  field: string | null;
  before: unknown;
  after: unknown;
  data: unknown;
  at: Date;
};

export type FactInputs = {
  ticket: { departmentId: number | null; categoryId: number | null; channel: string; teamId: number | null; assigneeId: number | null };
  events: FactEvent[];
  /** The working calendar business time is measured in; null: business time is calendar time. */
  calendar: Calendar | null;
  /** SLA targets the ticket has (had) a clock for. */
  slaTargets: ReadonlySet<string>;
  /** Same customer, same category, another ticket within the repeat window before this one. */
  isRepeat: boolean;
  /** The zone whose calendar days and hours the rollups count in. */
  timeZone: string;
};

export type DailyKey = { day: string; departmentId: number; categoryId: number; channel: string; teamId: number };
export type AgentKey = { day: string; agentId: number };
/** A solved ticket's time in one department (a stage of its path), on the day it was solved. */
export type StageKey = { day: string; departmentId: number };
export type StageDelta = { tickets: number; seconds: number };
/** `stage` is missing from facts computed before stage times existed (they are recomputed by migration 0031). */
export type Contributions = { daily: [DailyKey, Delta][]; agent: [AgentKey, Delta][]; stage?: [StageKey, StageDelta][] };

export type TicketFacts = {
  createdAt: Date;
  departmentId: number;
  categoryId: number;
  channel: string;
  teamId: number;
  /** The departments the ticket has been in, in the order it reached them. */
  stages: number[];
  assigneeId: number | null;
  firstResponseAt: Date | null;
  responderId: number | null;
  frtSeconds: number | null;
  frtBusinessSeconds: number | null;
  resolvedAt: Date | null;
  resolutionSeconds: number | null;
  resolutionBusinessSeconds: number | null;
  unresolved: boolean;
  reopens: number;
  transfers: number;
  publicReplies: number;
  fcr: boolean;
  isRepeat: boolean;
  firstResponseBreached: boolean;
  resolutionBreached: boolean;
  firstResponseBreachedAt: Date | null;
  resolutionBreachedAt: Date | null;
  csat: number | null;
  csatAt: Date | null;
  contributions: Contributions;
};

const WORKING_STATUSES = ["new", "open", "pending", "on_hold"] as const;
type WorkingStatus = (typeof WORKING_STATUSES)[number];
const RESOLVED = new Set(["solved", "closed"]);

/**
 * What one ticket's history says, and what it adds to the rollups. Pure: the same history always
 * gives the same facts, which is what makes incremental maintenance and a rebuild agree.
 *
 * Each measure counts on the day its moment happened (created, first response, final solve,
 * rating), under the ticket's current department, category and channel; per agent, first
 * responses count for whoever answered, solves and ratings for the current assignee.
 */
export function computeTicketFacts(input: FactInputs): TicketFacts {
  const { events, ticket } = input;
  const createdEvent = events.find((e) => e.type === "created");
  const createdAt = createdEvent?.at ?? events[0]?.at ?? new Date(0);
  let status: string = ((createdEvent?.after as { status?: string } | null)?.status ?? "new") as string;
  let since = createdAt;
  const inStatus: Record<WorkingStatus, number> = { new: 0, open: 0, pending: 0, on_hold: 0 };
  let firstResponseAt: Date | null = null;
  let responderId: number | null = null;
  let resolvedAt: Date | null = null;
  let resolverId: number | null = null;
  let reopens = 0;
  let transfers = 0;
  let publicReplies = 0;
  let csat: { rating: number; at: Date } | null = null;
  /** Each missed target and when it was missed (the first time). */
  const breached = new Map<string, Date>();
  const backlogMoves: [Date, number][] = [[createdAt, 1]];
  // Stages: the departments the ticket passed through, and the working time it spent in each.
  let department = Number((createdEvent?.after as { departmentId?: unknown } | null)?.departmentId ?? ticket.departmentId ?? 0);
  let departmentSince = createdAt;
  const inDepartment = new Map<number, number>([[department, 0]]);
  const accrue = (at: Date) => {
    if ((WORKING_STATUSES as readonly string[]).includes(status))
      inDepartment.set(department, (inDepartment.get(department) ?? 0) + seconds(departmentSince, at));
    departmentSince = at;
  };

  for (const e of events) {
    switch (e.type) {
      case "status_changed": {
        const to = String(e.after);
        accrue(e.at);
        if ((WORKING_STATUSES as readonly string[]).includes(status)) inStatus[status as WorkingStatus] += seconds(since, e.at);
        if (RESOLVED.has(to) && !RESOLVED.has(status)) {
          resolvedAt = e.at;
          resolverId = e.actorType === "staff" ? e.actorId : null;
          backlogMoves.push([e.at, -1]);
        } else if (RESOLVED.has(status) && !RESOLVED.has(to)) {
          // An undone bulk solve was never a real solve: it does not count as a reopening.
          if ((e.data as { via?: { kind?: string } } | null)?.via?.kind !== "undo") reopens++;
          resolvedAt = null;
          backlogMoves.push([e.at, 1]);
        }
        status = to;
        since = e.at;
        break;
      }
      case "first_response":
        if (!firstResponseAt) {
          firstResponseAt = e.at;
          responderId = e.actorType === "staff" ? e.actorId : null;
        }
        break;
      case "message_added": {
        const visibility = (e.data as { visibility?: string } | null)?.visibility;
        if (visibility === "public" && e.actorType === "staff" && !resolvedAt) publicReplies++;
        break;
      }
      case "assigned":
        if (e.before !== null && e.before !== undefined && e.after !== e.before) transfers++;
        break;
      case "field_changed":
        if (e.field === "departmentId" && e.before !== null && e.before !== undefined && e.after !== e.before) transfers++;
        if (e.field === "departmentId" && e.after !== e.before) {
          accrue(e.at);
          department = Number(e.after ?? 0);
          if (!inDepartment.has(department)) inDepartment.set(department, 0);
        }
        break;
      case "transferred": {
        // One transfer, whatever moved (department, team, person).
        transfers++;
        const to = (e.after as { departmentId?: number | null } | null)?.departmentId ?? null;
        if (to !== department && !(to === null && department === 0)) {
          accrue(e.at);
          department = Number(to ?? 0);
          if (!inDepartment.has(department)) inDepartment.set(department, 0);
        }
        break;
      }
      case "sla_breached":
        if (e.field && !breached.has(e.field)) breached.set(e.field, e.at);
        break;
      case "csat_received": {
        const rating = Number((e.data as { rating?: number } | null)?.rating);
        if (Number.isFinite(rating)) csat = { rating, at: e.at };
        break;
      }
    }
  }

  const frtSeconds = firstResponseAt ? seconds(createdAt, firstResponseAt) : null;
  const frtBusinessSeconds = firstResponseAt ? businessSeconds(input.calendar, createdAt, firstResponseAt) : null;
  const resolutionSeconds = resolvedAt ? seconds(createdAt, resolvedAt) : null;
  const resolutionBusinessSeconds = resolvedAt ? businessSeconds(input.calendar, createdAt, resolvedAt) : null;
  const completeness = (createdEvent?.data as { complete?: unknown } | null)?.complete;

  // Solves and ratings count for the assignee, or for whoever solved an unassigned ticket.
  const ownerId = ticket.assigneeId ?? (resolvedAt ? resolverId : null);
  const fcr = resolvedAt !== null && reopens === 0 && publicReplies === 1;
  const dims = {
    departmentId: ticket.departmentId ?? 0,
    categoryId: ticket.categoryId ?? 0,
    channel: ticket.channel,
    teamId: ticket.teamId ?? 0,
  };
  const daily = new Map<string, [DailyKey, Delta]>();
  const agent = new Map<string, [AgentKey, Delta]>();
  const add = (at: Date, delta: Delta, agentId: number | null = null) => {
    const day = dayOf(at, input.timeZone);
    const d = daily.get(day) ?? [{ day, ...dims }, {}];
    addDelta(d[1], delta);
    daily.set(day, d);
    if (agentId !== null) {
      const ak = `${day}|${agentId}`;
      const a = agent.get(ak) ?? [{ day, agentId }, {}];
      addDelta(a[1], delta);
      agent.set(ak, a);
    }
  };

  add(createdAt, {
    created: 1,
    arrivals: { [(localParts(createdAt.getTime(), input.timeZone).minutes / 60) | 0]: 1 },
    repeats: input.isRepeat ? 1 : 0,
    completeness_known: typeof completeness === "boolean" ? 1 : 0,
    complete: completeness === true ? 1 : 0,
  });
  for (const [at, move] of backlogMoves) add(at, { backlog_delta: move });
  if (firstResponseAt && frtSeconds !== null && frtBusinessSeconds !== null) {
    add(
      firstResponseAt,
      {
        first_responses: 1,
        frt_sum: frtSeconds,
        frt_bus_sum: frtBusinessSeconds,
        frt_hist: { [histogramBucket(frtSeconds)]: 1 },
        frt_bus_hist: { [histogramBucket(frtBusinessSeconds)]: 1 },
      },
      responderId,
    );
  }
  // SLA compliance counts each target once, when its outcome is known: met on the first response
  // (or final solve), missed on the moment it was missed — so a ticket still open past its due
  // time counts against the rate now, not only once it is solved.
  const frMissed = breached.get("first_response");
  if (frMissed) add(frMissed, { sla_fr_total: 1, sla_fr_breached: 1 }, ticket.assigneeId ?? responderId);
  else if (firstResponseAt && input.slaTargets.has("first_response")) add(firstResponseAt, { sla_fr_total: 1 }, responderId);
  if (resolvedAt && resolutionSeconds !== null && resolutionBusinessSeconds !== null) {
    add(
      resolvedAt,
      {
        resolved: 1,
        res_sum: resolutionSeconds,
        res_bus_sum: resolutionBusinessSeconds,
        res_hist: { [histogramBucket(resolutionSeconds)]: 1 },
        res_bus_hist: { [histogramBucket(resolutionBusinessSeconds)]: 1 },
        fcr: fcr ? 1 : 0,
        reopened: reopens > 0 ? 1 : 0,
        transferred: transfers > 0 ? 1 : 0,
        transfers,
        new_s: inStatus.new,
        open_s: inStatus.open,
        pending_s: inStatus.pending,
        on_hold_s: inStatus.on_hold,
      },
      ownerId,
    );
  }
  const resMissed = breached.get("resolution");
  if (resMissed) add(resMissed, { sla_res_total: 1, sla_res_breached: 1 }, ticket.assigneeId ?? resolverId);
  else if (resolvedAt && input.slaTargets.has("resolution")) add(resolvedAt, { sla_res_total: 1 }, ownerId);
  // Stage times count for solved tickets, on the solve day (like the time in each status).
  const stage: [StageKey, StageDelta][] = resolvedAt
    ? [...inDepartment].map(([departmentId, secs]) => [
        { day: dayOf(resolvedAt as Date, input.timeZone), departmentId },
        { tickets: 1, seconds: secs },
      ])
    : [];
  if (csat) {
    const { rating, at } = csat;
    add(at, { csat_count: 1, csat_sum: rating, csat_positive: rating >= 4 ? 1 : 0, csat_negative: rating <= 2 ? 1 : 0 }, ownerId);
  }

  return {
    createdAt,
    ...dims,
    stages: [...inDepartment.keys()],
    assigneeId: ownerId,
    firstResponseAt,
    responderId,
    frtSeconds,
    frtBusinessSeconds,
    resolvedAt,
    resolutionSeconds,
    resolutionBusinessSeconds,
    unresolved: !resolvedAt,
    reopens,
    transfers,
    publicReplies,
    fcr,
    isRepeat: input.isRepeat,
    firstResponseBreached: breached.has("first_response"),
    resolutionBreached: breached.has("resolution"),
    firstResponseBreachedAt: breached.get("first_response") ?? null,
    resolutionBreachedAt: breached.get("resolution") ?? null,
    csat: csat?.rating ?? null,
    csatAt: csat?.at ?? null,
    contributions: { daily: [...daily.values()], agent: [...agent.values()], stage },
  };
}

/**
 * Whole seconds between two instants, counted on the clock's second boundaries: however a span is
 * split (by status, by department), its pieces add up exactly to the whole.
 */
const seconds = (from: Date, to: Date) => Math.max(0, Math.floor(to.getTime() / 1000) - Math.floor(from.getTime() / 1000));

function businessSeconds(calendar: Calendar | null, from: Date, to: Date) {
  return calendar ? Math.round(businessMinutesBetween(calendar, from, to) * 60) : seconds(from, to);
}

/** The calendar date of an instant in a zone, YYYY-MM-DD. */
export function dayOf(at: Date, timeZone: string) {
  const p = localParts(at.getTime(), timeZone);
  return dateKey(p.year, p.month, p.day);
}
