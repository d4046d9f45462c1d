import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import { type Executor, enqueue } from "../../platform/jobs/job-queue";
import { REFRESH_BATCH, refreshDirtyTickets } from "./refresh-analytics";
import { sendDueReports } from "./report-schedules";

const REFRESH_QUEUE = "analytics.refresh";
const REPORTS_QUEUE = "analytics.reports";
const HOUR = 3_600_000;
/** Dashboards are at most about this far behind the tickets. */
export const REFRESH_INTERVAL_MS = 5_000;

/**
 * The embedded engine's batch: its one connection is held by a batch while requests wait. 250
 * tickets held it for 30-50 ms at a time under 500 creations a second; 100 cut the creation
 * benchmark's p99 from about 70 to about 59 ms (nine alternating rounds each, 2026-12-06).
 */
export const EMBEDDED_REFRESH_BATCH = 100;

/**
 * The rollups follow the ticket history: every few seconds, the tickets whose history grew since
 * are recomputed in batches. A full batch goes on after a pause as long as it took, so catching up
 * after a busy few seconds takes at most about half of the database's time: on the embedded engine
 * four 500-ticket batches back to back had held its only connection for 300–450 ms, and every
 * ticket created meanwhile waited (issue 23: the creation p99 rounds of 200–250 ms).
 */
export function registerAnalyticsJobs(ctx: AppContext) {
  const batch = ctx.engine === "pglite" ? EMBEDDED_REFRESH_BATCH : REFRESH_BATCH;
  ctx.jobs.define({
    queue: REFRESH_QUEUE,
    handler: async (_payload, { trx, logger }) => {
      const started = performance.now();
      const n = await refreshDirtyTickets(trx, ctx.config.timeZone, batch);
      if (n === batch) logger.info({ tickets: n }, "analytics refresh batch");
      const next = new Date(Date.now() + (n === batch ? Math.ceil(performance.now() - started) : REFRESH_INTERVAL_MS));
      await enqueue(trx, REFRESH_QUEUE, {}, { runAt: next, dedupeKey: `analytics-refresh:${next.toISOString()}` });
    },
  });
  // Scheduled reports: checked at the top of every hour (they fall due at 08:00 local time).
  ctx.jobs.define({
    queue: REPORTS_QUEUE,
    handler: async (_payload, { trx, logger }) => {
      const sent = await sendDueReports(ctx, trx);
      if (sent) logger.info({ schedules: sent }, "scheduled reports queued");
      await scheduleReports(trx);
    },
  });
}

async function scheduleReports(db: Executor) {
  const next = new Date(Math.floor(Date.now() / HOUR) * HOUR + HOUR);
  await enqueue(db, REPORTS_QUEUE, {}, { runAt: next, dedupeKey: `analytics-reports:${next.toISOString()}` });
}

/** Makes sure one refresh is scheduled (idempotent across restarts and processes). */
export async function scheduleAnalyticsJobs(db: Executor) {
  const pending = await db
    .selectFrom("jobs")
    .select("id")
    .where("queue", "=", REFRESH_QUEUE)
    .where("status", "=", "queued")
    .executeTakeFirst();
  if (!pending) await enqueue(db, REFRESH_QUEUE, {}, { dedupeKey: `analytics-refresh:start:${Date.now()}` });
  await scheduleReports(db);
}

/**
 * Brings every rollup up to date now (tests, the rebuild command, the demo's seeding inside its own
 * transaction); returns how many tickets were recomputed.
 */
export async function refreshAnalyticsNow(db: Kysely<DB> | Transaction<DB>, timeZone: string) {
  let total = 0;
  for (;;) {
    const n = db.isTransaction
      ? await refreshDirtyTickets(db as Transaction<DB>, timeZone)
      : await db.transaction().execute((trx) => refreshDirtyTickets(trx, timeZone));
    total += n;
    if (n === 0) return total;
  }
}

/**
 * Rebuilds facts and rollups from the ticket history alone (after changing the report time zone,
 * or to check the incremental path): empties them, marks every ticket, recomputes.
 */
export async function rebuildAnalytics(db: Kysely<DB>, timeZone: string) {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("analytics_ticket_facts").execute();
    await trx.deleteFrom("analytics_daily").execute();
    await trx.deleteFrom("analytics_daily_totals").execute();
    await trx.deleteFrom("analytics_daily_slices").execute();
    await trx.deleteFrom("analytics_agent_daily").execute();
    await trx.deleteFrom("analytics_stage_daily").execute();
    await trx
      .insertInto("analytics_dirty")
      .columns(["ticket_id"])
      .expression(trx.selectFrom("tickets").select("id"))
      .onConflict((oc) => oc.doNothing())
      .execute();
  });
  return refreshAnalyticsNow(db, timeZone);
}
