import type { Transaction } from "kysely";
import type { DB } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import type { DomainEvent } from "../../platform/events/event-bus";
import { type Executor, enqueue, enqueueMany } from "../../platform/jobs/job-queue";
import { untouchedTickets, waitingTicketIds } from "../tickets/ticket-routing-state";
import type { Actor } from "../tickets/ticket-events";
import { ROUTE_QUEUE, type RouteTrigger } from "./route-later";
import { routeTicket, routeTickets } from "./route-ticket";
import { applyRosterPresence } from "./agent-state-service";
import { getRoutingSettings } from "./routing-settings";
import { routingUsage } from "./routing-usage";
import { takeRoutingTurn } from "./routing-turn";
import { rescoreAllBatch, rescoreApproaching, rescoreTickets } from "./score-tickets";
import { isOnShift } from "./shifts";
import { returnTicket } from "./ticket-routing-actions";

const ASSIGN_SUBSCRIBER = "routing-assign";
/** At most this many new tickets in one run (what the job queue hands a batch subscriber at once). */
const MAX_RUN = 100;
const SWEEP_QUEUE = "routing.sweep";
const RESCORE_QUEUE = "routing.rescore";
const RESCORE_ALL_QUEUE = "routing.rescore-all";
const SWEEP_MS = 5_000;
const RESCORE_MS = 60_000;
const BATCH = 500;
/** Presence follows activity: no heartbeat for this long → away, then offline. */
export const AWAY_AFTER_MS = 10 * 60_000;
export const OFFLINE_AFTER_MS = 30 * 60_000;
const SCORE_FIELDS = new Set(["subject", "priority", "categoryId", "status"]);

type RoutePayload = { ticketId: number; trigger: RouteTrigger; fromStaffId?: number; teamId?: number; actor?: Actor };

/**
 * Routing in the background: a new ticket is routed by a job right after it is committed; a
 * sweep every few seconds assigns waiting tickets once someone is free, ends claim offers that ran
 * out, applies presence by inactivity and returns untouched tickets of agents who left; the
 * priority score follows each change and, as deadlines approach, a periodic pass.
 */
export function registerRoutingJobs(ctx: AppContext) {
  // A burst of new tickets is decided as one run: the agents are read and claimed once for all of them.
  const routeNew = async (events: DomainEvent[], trx: Transaction<DB>) => {
    await takeRoutingTurn(trx);
    // New tickets that arrived while this run waited for its turn join it (their jobs complete with it).
    const more = await ctx.events.takeDue(trx, ASSIGN_SUBSCRIBER, MAX_RUN - events.length);
    const ids = [...new Set([...events, ...more].map((e) => e.aggregateId))];
    await routeTickets(ctx, trx, ids, { trigger: "created" });
  };
  ctx.events.subscribe({
    name: ASSIGN_SUBSCRIBER,
    types: ["ticket.created"],
    active: () => routingUsage.inUse(ctx.db),
    accepts: (e) => (e.payload.scope as { assigneeId?: number | null } | undefined)?.assigneeId == null,
    handle: (event, { trx }) => routeNew([event], trx),
    handleBatch: (events, { trx }) => routeNew(events, trx),
  });
  ctx.events.subscribe({
    name: "routing-score",
    // A new ticket is scored as it is written (create-ticket); a change of what the score reads rescores it.
    types: ["ticket.updated"],
    accepts: (e) => ((e.payload.fields as string[] | undefined) ?? []).some((f) => SCORE_FIELDS.has(f)),
    handle: async (event, { trx }) => rescore(trx, [event.aggregateId]),
    handleBatch: async (events, { trx }) => rescore(trx, [...new Set(events.map((e) => e.aggregateId))]),
  });

  ctx.jobs.define<RoutePayload>({
    queue: ROUTE_QUEUE,
    handler: async ({ ticketId, trigger, fromStaffId, teamId, actor }, { trx }) => {
      await takeRoutingTurn(trx);
      if (trigger === "returned" && fromStaffId !== undefined) await returnTicket(ctx, trx, ticketId, fromStaffId);
      else await routeTicket(ctx, trx, ticketId, { trigger, teamId, actor });
    },
  });

  ctx.jobs.define({
    queue: SWEEP_QUEUE,
    handler: async (_payload, { trx }) => {
      await sweepRouting(ctx, trx);
      const next = new Date(Date.now() + SWEEP_MS);
      await enqueue(trx, SWEEP_QUEUE, {}, { runAt: next, dedupeKey: `routing-sweep:${next.toISOString()}` });
    },
  });

  ctx.jobs.define<{ afterId: number }>({
    queue: RESCORE_QUEUE,
    handler: async ({ afterId }, { trx }) => {
      const { priority } = await getRoutingSettings(trx);
      const { nextAfterId } = await rescoreApproaching(trx, priority, afterId, BATCH);
      const next = new Date(Date.now() + (nextAfterId !== null ? 0 : RESCORE_MS));
      await enqueue(
        trx,
        RESCORE_QUEUE,
        { afterId: nextAfterId ?? 0 },
        { runAt: next, dedupeKey: `routing-rescore:${next.toISOString()}:${nextAfterId ?? 0}` },
      );
    },
  });

  ctx.jobs.define<{ afterId: number }>({
    queue: RESCORE_ALL_QUEUE,
    handler: async ({ afterId }, { trx }) => {
      const { priority } = await getRoutingSettings(trx);
      const nextAfterId = await rescoreAllBatch(trx, priority, afterId, BATCH);
      if (nextAfterId !== null)
        await enqueue(trx, RESCORE_ALL_QUEUE, { afterId: nextAfterId }, { dedupeKey: `routing-rescore-all:${nextAfterId}:${Date.now()}` });
    },
  });
}

async function rescore(db: Executor, ids: number[]) {
  const { priority } = await getRoutingSettings(db);
  await rescoreTickets(db, priority, ids);
}

/** One pass of the sweep (also called directly by tests). Work is handed to per-ticket jobs so each decision commits on its own. */
export async function sweepRouting(ctx: AppContext, db: Executor, now = new Date()) {
  // Presence by the roster (teams that come online by shift or at sign-in).
  const { rostered } = await applyRosterPresence(db, ctx.config.timeZone, now);
  // Presence by inactivity: online → away → offline (not for those online by the roster).
  await db
    .updateTable("agent_states")
    .set({ presence: "away", presence_source: "inactivity", presence_changed_at: now })
    .where("presence", "=", "online")
    .where("last_seen_at", "<", new Date(now.getTime() - AWAY_AFTER_MS))
    .$if(rostered.length > 0, (q) => q.where((eb) => eb.or([eb("presence_source", "<>", "auto"), eb("staff_id", "not in", rostered)])))
    .execute();
  await db
    .updateTable("agent_states")
    .set({ presence: "offline", presence_source: "inactivity", presence_changed_at: now })
    .where("presence", "=", "away")
    .where("presence_source", "=", "inactivity")
    .where("last_seen_at", "<", new Date(now.getTime() - OFFLINE_AFTER_MS))
    .execute();

  // Agents who cannot take work now (not online, or off shift) give back untouched tickets.
  const states = await db.selectFrom("agent_states").select(["staff_id", "presence", "shifts", "shift_exceptions"]).execute();
  const unavailable = states.filter((s) => s.presence !== "online" || !isOnShift(s.shifts, s.shift_exceptions, now, ctx.config.timeZone));
  const jobs: { queue: string; payload: RoutePayload; dedupeKey: string }[] = [];
  // Unique per pass: a key must not collide with an earlier pass's completed job.
  const slot = `${now.getTime()}:${Math.random().toString(36).slice(2, 8)}`;
  if (states.some((s) => s.presence === "online")) {
    for (const w of await waitingTicketIds(db, 50, now))
      jobs.push({
        queue: ROUTE_QUEUE,
        payload: { ticketId: w.id, trigger: w.offerExpired ? "claim_timeout" : "waiting" },
        dedupeKey: `route:${w.id}:${slot}`,
      });
  } else {
    // Nobody online: claim offers that ran out still end (their tickets then wait in the queue).
    for (const w of (await waitingTicketIds(db, 50, now)).filter((w) => w.offerExpired))
      jobs.push({ queue: ROUTE_QUEUE, payload: { ticketId: w.id, trigger: "claim_timeout" }, dedupeKey: `route:${w.id}:${slot}` });
  }
  for (const t of await untouchedTickets(
    db,
    unavailable.map((s) => s.staff_id),
  ))
    jobs.push({
      queue: ROUTE_QUEUE,
      payload: { ticketId: t.id, trigger: "returned", fromStaffId: t.staffId },
      dedupeKey: `return:${t.id}:${slot}`,
    });
  await enqueueMany(db, jobs);
  return jobs.length;
}

/** Enqueues routing of one ticket right away (after a presence change, a rule change). */
export const enqueueRoute = (db: Executor, ticketId: number, trigger: RouteTrigger) =>
  enqueue(db, ROUTE_QUEUE, { ticketId, trigger }, { dedupeKey: `route:${ticketId}:${trigger}:${Date.now()}` });

/** After someone went offline: their untouched tickets are routed again now, not at the next sweep. */
export async function returnTicketsOf(db: Executor, staffId: number) {
  const tickets = await untouchedTickets(db, [staffId]);
  await enqueueMany(
    db,
    tickets.map((t) => ({
      queue: ROUTE_QUEUE,
      payload: { ticketId: t.id, trigger: "returned", fromStaffId: staffId },
      dedupeKey: `return:${t.id}:${Date.now()}`,
    })),
  );
}

/** After someone came online: the next sweep runs now, so waiting tickets are assigned at once. */
export const sweepSoon = (db: Executor) => enqueue(db, SWEEP_QUEUE, {}, { dedupeKey: `routing-sweep:now:${Date.now()}` });

/** After the score's points changed: every unsolved ticket is rescored in the background. */
export const rescoreEverything = (db: Executor) =>
  enqueue(db, RESCORE_ALL_QUEUE, { afterId: 0 }, { dedupeKey: `routing-rescore-all:start:${Date.now()}` });

/** Makes sure one sweep and one rescore pass are scheduled (idempotent across restarts and processes). */
export async function scheduleRoutingJobs(db: Executor) {
  for (const queue of [SWEEP_QUEUE, RESCORE_QUEUE]) {
    const pending = await db.selectFrom("jobs").select("id").where("queue", "=", queue).where("status", "=", "queued").executeTakeFirst();
    if (!pending)
      await enqueue(db, queue, queue === RESCORE_QUEUE ? { afterId: 0 } : {}, {
        dedupeKey: `${queue}:start:${new Date().toISOString().slice(0, 13)}`,
      });
  }
}
