import type { AppContext } from "../../platform/context";
import { usageFlag } from "../../platform/events/usage-flag";
import { type Executor, enqueue, enqueueUnlessWaiting } from "../../platform/jobs/job-queue";
import { escalateDueClocks } from "./escalate-tickets";
import { recomputeTicketSla } from "./recompute-ticket-sla";

/** Open tickets whose clocks are recomputed per transaction after a policy change. */
const RECOMPUTE_BATCH = 500;

const SWEEP_QUEUE = "sla.sweep";
const RECOMPUTE_QUEUE = "sla.recompute-open";

/**
 * SLA background work: clocks follow every ticket change (through the outbox, so no change is
 * missed); a sweep records breaches of clocks that ran out while nobody touched the ticket; a
 * policy or calendar change recomputes every unsolved ticket in batches.
 */
export function registerSlaJobs(ctx: AppContext) {
  ctx.events.subscribe({
    name: "sla-clocks",
    types: ["ticket.created", "ticket.updated", "ticket.message_added"],
    // Without an active policy there are no clocks to keep: no job per ticket event.
    active: () => slaInUse(ctx),
    handle: (event, { trx }) => recomputeTicketSla(ctx, trx, [event.aggregateId]),
    handleBatch: (events, { trx }) =>
      recomputeTicketSla(
        ctx,
        trx,
        events.map((e) => e.aggregateId),
      ),
  });

  ctx.jobs.define({
    queue: SWEEP_QUEUE,
    handler: async (_payload, { trx, logger }) => {
      // Index-backed (ticket_sla_breach_idx); takes the oldest first and never skips: a full batch runs again at once.
      const now = new Date();
      const BATCH = ctx.config.slaSweepBatch;
      // Index-backed lookups: clocks past due with no breach recorded, warnings due, escalation steps due.
      const [breaching, warning, escalating] = await Promise.all([
        trx
          .selectFrom("ticket_sla")
          .select("ticket_id")
          .where("status", "=", "active")
          .where("breached_at", "is", null)
          .where("due_at", "<=", now)
          .orderBy("due_at")
          .limit(BATCH)
          .execute(),
        trx
          .selectFrom("ticket_sla")
          .select("ticket_id")
          .where("status", "=", "active")
          .where("warn_at", "<=", now)
          .orderBy("warn_at")
          .limit(BATCH)
          .execute(),
        trx.selectFrom("ticket_sla").select("ticket_id").where("escalate_at", "<=", now).orderBy("escalate_at").limit(BATCH).execute(),
      ]);
      const due = [...breaching, ...warning];
      if (due.length || escalating.length)
        logger.info({ breaching: breaching.length, warning: warning.length, escalating: escalating.length }, "sla sweep batch");
      await recomputeTicketSla(
        ctx,
        trx,
        due.map((d) => d.ticket_id),
      );
      // A breach found just now may already owe its first step (e.g. "notify the assignee at once").
      const escalate = [...new Set([...escalating, ...breaching].map((d) => d.ticket_id))];
      await escalateDueClocks(ctx, trx, escalate, now);
      const full = breaching.length === BATCH || warning.length === BATCH || escalating.length === BATCH;
      const next = new Date(Date.now() + (full ? 0 : 30_000));
      await enqueue(trx, SWEEP_QUEUE, {}, { runAt: next, dedupeKey: `sla-sweep:${next.toISOString()}` });
    },
  });

  ctx.jobs.define<{ afterId: number }>({
    queue: RECOMPUTE_QUEUE,
    handler: async ({ afterId }, { trx }) => {
      const batch = await trx
        .selectFrom("tickets")
        .select("id")
        .where("id", ">", afterId)
        .where("status", "not in", ["solved", "closed"])
        .orderBy("id")
        .limit(RECOMPUTE_BATCH)
        .execute();
      await recomputeTicketSla(
        ctx,
        trx,
        batch.map((b) => b.id),
      );
      const last = batch.at(-1);
      if (last && batch.length === RECOMPUTE_BATCH)
        await enqueue(trx, RECOMPUTE_QUEUE, { afterId: last.id }, { dedupeKey: `sla-recompute:${last.id}:${Date.now()}` });
    },
  });
}

/**
 * After a policy or calendar change: every unsolved ticket's clocks are recomputed in the
 * background. The walk starts after every process has refreshed whether SLA is in use, so a
 * ticket created meanwhile by a process that still thought it was not is covered by the walk.
 */
export async function recomputeOpenTickets(db: Executor, opts: { otherProcessesMayRun: boolean } = { otherProcessesMayRun: true }) {
  slaUsage.markInUse(db);
  await enqueue(
    db,
    RECOMPUTE_QUEUE,
    { afterId: 0 },
    {
      runAt: new Date(Date.now() + (opts.otherProcessesMayRun ? 2 * slaUsage.ttlMs : 0)),
      dedupeKey: `sla-recompute:start:${Date.now()}:${Math.random()}`,
    },
  );
}

/** Whether any SLA policy is active (per process and database; see usageFlag). */
const slaUsage = usageFlag(
  async (db) => (await db.selectFrom("sla_policies").select("id").where("active", "=", true).limit(1).executeTakeFirst()) !== undefined,
);
const slaInUse = (ctx: AppContext) => slaUsage.inUse(ctx.db);

/** Makes sure one sweep is scheduled (idempotent across restarts and processes). */
export async function scheduleSlaJobs(ctx: AppContext) {
  await enqueueUnlessWaiting(ctx.db, SWEEP_QUEUE, { dedupeKey: `sla-sweep:start:${new Date().toISOString().slice(0, 13)}` });
}
