import fs from "node:fs";
import type { ImportProblem, ValueMap } from "@loopdesk/contracts/imports";
import { sql } from "kysely";
import { SYSTEM, recordAudit } from "../../platform/audit/audit-log";
import type { AppContext } from "../../platform/context";
import { runHelpdeskImport } from "./helpdesk/run-helpdesk-import";
import { IMPORT_QUEUE } from "./import-jobs";
import { type ImportRow, PROBLEMS_KEPT, getImportRow, importFile } from "./import-rows";
import { type PreparedRow, rowChecker } from "./prepare-rows";
import { readSheet } from "./read-spreadsheet";
import { alreadyImported, newWriteCache, writeRows } from "./write-imported";

/** Rows per transaction: a batch commits whole, with the job's progress. */
export const IMPORT_BATCH = 1000;
/** A running import not heard from for this long is taken up again (its process stopped). */
const STALE_MS = 30_000;
/** Held while working and renewed every quarter: a stopped process's import is taken up within this. */
const LEASE_MS = 20_000;

/**
 * Runs an import: the file read once from the top; rows an earlier run already handled are passed
 * over (the job's processed_rows moves with each committed batch), so a restart resumes where the
 * last batch ended and nothing is written twice (external ids are recorded in the same batch).
 */
async function runImport(ctx: AppContext, id: number) {
  let job = await getImportRow(ctx, id);
  if (job.status === "done" || job.status === "failed") return;
  await ctx.db
    .updateTable("import_jobs")
    .set({ status: "running", started_at: job.started_at ?? new Date(), heartbeat_at: new Date() })
    .where("id", "=", id)
    .execute();
  job = await getImportRow(ctx, id);
  if (job.source === "spreadsheet") await runSpreadsheetImport(ctx, job);
  else await runHelpdeskImport(ctx, job);
  const finished = await ctx.db
    .updateTable("import_jobs")
    .set({ status: "done", finished_at: new Date(), heartbeat_at: null })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(ctx.db, {
    action: "imports.complete",
    actor: SYSTEM,
    target: { type: "import", id, name: finished.file_name },
    detail: {
      source: finished.source,
      entity: finished.entity,
      rows: finished.processed_rows,
      created: finished.created,
      skipped: finished.skipped,
      failed: finished.failed,
    },
  });
}

async function runSpreadsheetImport(ctx: AppContext, job: ImportRow) {
  const id = job.id;
  const file = importFile(ctx, job);
  const checker = await rowChecker(ctx.db, job.entity, job.headers, job.columns, job.value_map as ValueMap, ctx.config.timeZone);
  const cache = newWriteCache();
  const seen = new Map<string, number>();
  const target = { id, source: job.source, entity: job.entity, runAutomations: job.options.runAutomations ?? false };
  let done = 0;
  let batch: PreparedRow[] = [];
  // One batch is written while the next is read: the database works while this process parses.
  let writing: Promise<void> = Promise.resolve();
  const commit = async () => {
    const rows = batch;
    batch = [];
    await writing;
    if (done <= job.processed_rows) return;
    writing = write(rows, done);
    writing.catch(() => {}); // awaited (and thrown) before the next batch or at the end
  };
  const write = async (rows: PreparedRow[], processed: number) => {
    const problems: ImportProblem[] = rows.flatMap((r) => r.problems);
    const failing = rows.filter((r) => r.problems.some((p) => !p.warning));
    const clean = rows.filter((r) => !r.problems.some((p) => !p.warning));
    await ctx.db.transaction().execute(async (trx) => {
      const known = await alreadyImported(
        trx,
        job.source,
        job.entity,
        clean.map((r) => r.externalId),
      );
      const fresh = clean.filter((r) => !known.has(r.externalId));
      await writeRows(ctx, trx, target, fresh, cache);
      await trx
        .updateTable("import_jobs")
        .set({
          processed_rows: processed,
          created: sql`created + ${fresh.length}`,
          skipped: sql`skipped + ${clean.length - fresh.length}`,
          failed: sql`failed + ${failing.length}`,
          problem_count: sql`problem_count + ${problems.length}`,
          problems: sql`case when jsonb_array_length(problems) < ${PROBLEMS_KEPT}
            then problems || ${JSON.stringify(problems.slice(0, PROBLEMS_KEPT))}::jsonb else problems end`,
          heartbeat_at: new Date(),
        })
        .where("id", "=", id)
        .execute();
    });
  };
  for await (const r of readSheet(file, job.format as "csv")) {
    if (r.header) continue;
    done++;
    // Rows before the resume point are only counted (and their ids remembered for duplicates).
    const prepared = checker.prepare(r);
    const first = seen.get(prepared.externalId);
    if (first !== undefined) prepared.problems.push({ row: r.row, column: "", code: "duplicate_row", value: String(first) });
    else seen.set(prepared.externalId, r.row);
    batch.push(prepared);
    if (batch.length >= IMPORT_BATCH) await commit();
  }
  await commit();
  await writing;
  // The file holds personal data: it goes once the import is done (the report stays).
  fs.rmSync(file, { force: true });
}

export function registerImportJobs(ctx: AppContext) {
  ctx.jobs.defineLeased<{ importId: number }>({
    queue: IMPORT_QUEUE,
    leaseMs: LEASE_MS,
    maxAttempts: 5,
    run: async ({ importId }, { attempt }) => {
      // Keep the lease while working: another worker takes over only if this process stops.
      const keep = setInterval(() => {
        void ctx.db
          .updateTable("jobs")
          .set({ run_at: new Date(Date.now() + LEASE_MS) })
          .where("queue", "=", IMPORT_QUEUE)
          .where("status", "=", "queued")
          .where(sql`payload->>'importId'`, "=", String(importId))
          .execute()
          .catch(() => {});
      }, LEASE_MS / 4);
      try {
        await runImport(ctx, importId);
      } catch (e) {
        const last = attempt >= 5;
        await ctx.db
          .updateTable("import_jobs")
          .set(
            last
              ? { status: "failed", error: (e as Error).message.slice(0, 1000), finished_at: new Date(), secret_sealed: null }
              : { error: (e as Error).message.slice(0, 1000) },
          )
          .where("id", "=", importId)
          .execute();
        throw e;
      } finally {
        clearInterval(keep);
      }
    },
  });
}

/** At start: an import whose process stopped mid-way (no heartbeat) is taken up again at once. */
export async function resumeImports(ctx: AppContext) {
  const stale = await ctx.db
    .selectFrom("import_jobs")
    .select("id")
    .where("status", "=", "running")
    // The embedded engine has one process: whatever was running stopped with it.
    .$if(ctx.engine !== "pglite", (q) =>
      q.where((e) => e.or([e("heartbeat_at", "is", null), e("heartbeat_at", "<", new Date(Date.now() - STALE_MS))])),
    )
    .execute();
  for (const { id } of stale)
    await ctx.db
      .updateTable("jobs")
      .set({ run_at: new Date() })
      .where("queue", "=", IMPORT_QUEUE)
      .where("status", "=", "queued")
      .where(sql`payload->>'importId'`, "=", String(id))
      .execute();
}
