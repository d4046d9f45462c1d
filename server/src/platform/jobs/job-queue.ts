import { type Kysely, type Transaction, sql } from "kysely";
import type { Logger } from "pino";
import type { DB } from "../../db/schema";

export type Executor = Kysely<DB> | Transaction<DB>;

export type JobContext = {
  /** The transaction that also completes the job: a handler's DB effects happen exactly once. */
  trx: Transaction<DB>;
  jobId: number;
  /** 1 for the first run; failures so far + 1 after that. */
  attempt: number;
  logger: Logger;
};

export type JobDefinition<P = Record<string, unknown>> = {
  queue: string;
  handler: (payload: P, ctx: JobContext) => Promise<void>;
  maxAttempts?: number;
  /** Delay before retry n (1-based); default exponential from 1 s, capped at 1 h. */
  backoffMs?: (attempt: number) => number;
};

export type EnqueueOptions = { runAt?: Date; dedupeKey?: string; maxAttempts?: number };
export type NewJob = { queue: string; payload: Record<string, unknown> } & EnqueueOptions;

const defaultBackoff = (attempt: number) => Math.min(3_600_000, 1000 * 2 ** (attempt - 1)) + Math.floor(Math.random() * 250);
const COMPLETED_RETENTION_DAYS = 7;
const MAINTENANCE_QUEUE = "jobs.maintenance";

/** Adds jobs inside the caller's transaction, so they exist exactly when the change commits. */
export async function enqueueMany(db: Executor, jobs: NewJob[]) {
  if (jobs.length === 0) return;
  await db
    .insertInto("jobs")
    .values(
      jobs.map((j) => ({
        queue: j.queue,
        payload: JSON.stringify(j.payload),
        run_at: j.runAt ?? new Date(),
        dedupe_key: j.dedupeKey ?? null,
        ...(j.maxAttempts ? { max_attempts: j.maxAttempts } : {}),
      })),
    )
    .onConflict((oc) => oc.columns(["queue", "dedupe_key"]).where("dedupe_key", "is not", null).doNothing())
    .execute();
}

export const enqueue = (db: Executor, queue: string, payload: Record<string, unknown>, opts: EnqueueOptions = {}) =>
  enqueueMany(db, [{ queue, payload, ...opts }]);

/**
 * A database-backed job queue. Each job runs in its own transaction that first locks the job's
 * row (FOR UPDATE SKIP LOCKED — any number of worker processes can share one PostgreSQL), then
 * runs the handler, then marks the job completed. A crash rolls the transaction back and the row
 * lock goes with it, so the job simply becomes available again; a handler error is recorded
 * and the job retried with exponential backoff until max attempts.
 */
export class JobQueue {
  private readonly definitions = new Map<string, JobDefinition<never>>();
  private running = false;
  private loops: Promise<void>[] = [];
  private wakers = new Set<() => void>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly logger: Logger,
    private readonly opts: { concurrency?: number; pollMs?: number } = {},
  ) {
    this.define({
      queue: MAINTENANCE_QUEUE,
      handler: async (_payload, { trx }) => {
        await trx
          .deleteFrom("jobs")
          .where("status", "=", "completed")
          .where("completed_at", "<", new Date(Date.now() - COMPLETED_RETENTION_DAYS * 86_400_000))
          .execute();
        const next = new Date(Date.now() + 3_600_000);
        await enqueue(trx, MAINTENANCE_QUEUE, {}, { runAt: next, dedupeKey: next.toISOString().slice(0, 13) });
      },
    });
  }

  define<P>(def: JobDefinition<P>) {
    this.definitions.set(def.queue, def as JobDefinition<never>);
  }

  get queues() {
    return [...this.definitions.keys()];
  }

  /** Starts `concurrency` worker loops (the embedded engine runs them one at a time anyway). */
  async start() {
    if (this.running) return;
    this.running = true;
    const first = new Date(Date.now() + 60_000);
    await enqueue(this.db, MAINTENANCE_QUEUE, {}, { runAt: first, dedupeKey: first.toISOString().slice(0, 13) });
    this.loops = Array.from({ length: this.opts.concurrency ?? 4 }, () => this.loop());
  }

  async stop() {
    this.running = false;
    for (const wake of this.wakers) wake();
    await Promise.all(this.loops);
  }

  /** Ask the workers to look for due jobs now (after a local commit) instead of at the next poll. */
  wake() {
    for (const wake of this.wakers) wake();
  }

  /** Runs due jobs until none is left; tests and the CLI use it to drain the queue. */
  async drain(maxJobs = 1_000_000): Promise<number> {
    let n = 0;
    while (n < maxJobs && (await this.runNext())) n++;
    return n;
  }

  /** Counts by queue and status, for operators. */
  async stats() {
    return this.db
      .selectFrom("jobs")
      .select(["queue", "status", (eb) => eb.fn.countAll<number>().as("count")])
      .groupBy(["queue", "status"])
      .orderBy("queue")
      .execute();
  }

  private async loop() {
    const pollMs = this.opts.pollMs ?? 500;
    while (this.running) {
      try {
        if (await this.runNext()) continue;
      } catch (err) {
        this.logger.error({ err }, "job worker loop failed");
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.wakers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, pollMs);
        this.wakers.add(wake);
      });
    }
  }

  /** Runs one due job; false when there is none. */
  private async runNext(): Promise<boolean> {
    const queues = this.queues;
    let failed: { id: number; attempts: number; max: number; def: JobDefinition<never>; err: unknown } | undefined;
    const ran = await this.db.transaction().execute(async (trx) => {
      const job = await trx
        .selectFrom("jobs")
        .select(["id", "queue", "payload", "attempts", "max_attempts"])
        .where("status", "=", "queued")
        .where("run_at", "<=", new Date())
        .where("queue", "in", queues)
        .orderBy("run_at")
        .orderBy("id")
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!job) return false;
      const def = this.definitions.get(job.queue) as JobDefinition<never>;
      const log = this.logger.child({ job: job.id, queue: job.queue });
      // A savepoint lets a failed handler's writes roll back while the job keeps its lock and
      // records the failure in the same transaction.
      await sql`savepoint job_handler`.execute(trx);
      try {
        await def.handler(job.payload as never, { trx, jobId: job.id, attempt: job.attempts + 1, logger: log });
        await sql`release savepoint job_handler`.execute(trx);
      } catch (err) {
        await sql`rollback to savepoint job_handler`.execute(trx);
        failed = { id: job.id, attempts: job.attempts + 1, max: def.maxAttempts ?? job.max_attempts, def, err };
      }
      const now = new Date();
      if (failed) {
        const final = failed.attempts >= failed.max;
        log.warn({ err: failed.err, attempt: failed.attempts, final }, "job failed");
        await trx
          .updateTable("jobs")
          .set({
            status: final ? "failed" : "queued",
            attempts: failed.attempts,
            run_at: new Date(now.getTime() + (failed.def.backoffMs ?? defaultBackoff)(failed.attempts)),
            last_error: String((failed.err as Error)?.stack ?? failed.err).slice(0, 4000),
          })
          .where("id", "=", job.id)
          .execute();
      } else {
        await trx
          .updateTable("jobs")
          .set({ status: "completed", attempts: job.attempts + 1, completed_at: now, last_error: null })
          .where("id", "=", job.id)
          .execute();
      }
      return true;
    });
    return ran;
  }
}
