import { sql } from "kysely";
import type { AppContext } from "../context";
import { enqueue, enqueueUnlessWaiting } from "./job-queue";

/**
 * Upkeep of the embedded engine. PGlite runs PostgreSQL in single-user mode, without autovacuum: left
 * alone, no table is ever vacuumed or analysed — space freed by updates and deletes is never reused
 * (the jobs and tickets tables only grow), the free-space maps that inserts consult are never created,
 * and every plan rests on default estimates (`reltuples = -1`, no column statistics). This job does
 * what autovacuum does on PostgreSQL, for the tables that changed: `VACUUM (ANALYZE)` one table at a
 * time (other statements run in between), the tables that grew by a fifth since last time first.
 * PostgreSQL's own autovacuum needs nothing of this; the job is registered for the embedded engine only.
 */
export const UPKEEP_QUEUE = "database.upkeep";
const EVERY_MS = 10 * 60_000;
/** A table is due once it grew by this share of its pages at the last upkeep, and at least MIN_GROWTH pages. */
const GROWTH = 0.2;
const MIN_GROWTH = 8;

type TableSize = { name: string; pages: number; recorded: number; never: boolean };
export type UpkeepRun = { at: string; tables: { name: string; pagesBefore: number; ms: number }[] };

const runs = new WeakMap<AppContext, UpkeepRun>();
/** The last upkeep since start (GET /api/v1/system/database), null before the first or on PostgreSQL. */
export const lastUpkeep = (ctx: AppContext) => runs.get(ctx) ?? null;

/** The tables that need upkeep: never vacuumed and not empty, or grown since their last upkeep; the largest growth first. */
export async function tablesDue(ctx: AppContext) {
  const { rows } = await sql<TableSize>`
    select c.relname as name, (pg_relation_size(c.oid) / 8192)::int as pages, c.relpages as recorded, c.reltuples < 0 as never
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind = 'r'`.execute(ctx.db);
  return rows
    .filter((t) => t.pages > 0 && (t.never || t.pages - t.recorded >= Math.max(MIN_GROWTH, t.recorded * GROWTH)))
    .sort((a, b) => b.pages - b.recorded - (a.pages - a.recorded));
}

/** Vacuums and analyses every table due, one statement each; returns what it did. */
export async function runUpkeep(ctx: AppContext): Promise<UpkeepRun> {
  const run: UpkeepRun = { at: new Date().toISOString(), tables: [] };
  for (const table of await tablesDue(ctx)) {
    const started = performance.now();
    await sql`vacuum (analyze) ${sql.table(table.name)}`.execute(ctx.db);
    run.tables.push({ name: table.name, pagesBefore: table.pages, ms: Math.round(performance.now() - started) });
  }
  runs.set(ctx, run);
  return run;
}

export function registerEmbeddedUpkeep(ctx: AppContext) {
  if (ctx.engine !== "pglite") return;
  ctx.jobs.defineLeased({
    queue: UPKEEP_QUEUE,
    leaseMs: 600_000,
    maxAttempts: 3,
    run: async (_payload, { logger }) => {
      const run = await runUpkeep(ctx);
      if (run.tables.length) logger.info({ tables: run.tables }, "embedded database upkeep: tables vacuumed and analysed");
      await enqueue(ctx.db, UPKEEP_QUEUE, {}, upkeepIn(EVERY_MS));
    },
  });
}

/** When the next upkeep runs, and its key (one job per moment). */
const upkeepIn = (inMs: number) => {
  const at = new Date(Date.now() + inMs);
  return { runAt: at, dedupeKey: `upkeep:${at.toISOString()}` };
};

/** At start: the first upkeep a minute later, unless one is already pending (one chain across restarts). */
export async function scheduleEmbeddedUpkeep(ctx: AppContext) {
  if (ctx.engine !== "pglite") return;
  await enqueueUnlessWaiting(ctx.db, UPKEEP_QUEUE, upkeepIn(60_000));
}
