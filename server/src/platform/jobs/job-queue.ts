import { type Kysely, type Transaction, sql } from "kysely";
import type { Logger } from "pino";
import type { DB } from "../../db/schema";
import { anyJobDue, dueJobs } from "./due-jobs";

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
  /**
   * Optional: handles many due jobs of this queue in one go (one transaction, a few queries).
   * Must have the same effect as running `handler` for each; if it throws, each job is run
   * through `handler` on its own.
   */
  batchHandler?: (payloads: P[], ctx: Omit<JobContext, "jobId" | "attempt">) => Promise<void>;
  batchSize?: number;
  maxAttempts?: number;
  /** Delay before retry n (1-based); default exponential from 1 s, capped at 1 h. */
  backoffMs?: (attempt: number) => number;
};

/**
 * A job whose work must not hold a database transaction open (a network call: SMTP, webhooks):
 * it is leased — its run time pushed `leaseMs` ahead in a short transaction — then run with no
 * transaction, then marked completed. A crash mid-way makes it due again when the lease ends, so
 * delivery is at least once; a failure is retried with backoff like any job.
 */
export type LeasedJobDefinition<P = Record<string, unknown>> = {
  queue: string;
  leaseMs: number;
  run: (payload: P, ctx: { db: Kysely<DB>; jobId: number; attempt: number; logger: Logger }) => Promise<void>;
  maxAttempts?: number;
  backoffMs?: (attempt: number) => number;
};

export type EnqueueOptions = { runAt?: Date; dedupeKey?: string; maxAttempts?: number };
export type NewJob = { queue: string; payload: Record<string, unknown> } & EnqueueOptions;

const defaultBackoff = (attempt: number) => Math.min(3_600_000, 1000 * 2 ** (attempt - 1)) + Math.floor(Math.random() * 250);
const COMPLETED_RETENTION_DAYS = 7;
/** How many due jobs one claim locks at most; a batch is the leading run of one queue's jobs. */
const CLAIM_LIMIT = 50;

type ClaimedJob = { id: number; queue: string; payload: unknown; attempts: number; max_attempts: number };

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

/** A job in `queue` unless one is already waiting there: one schedule across restarts and processes. */
export async function enqueueUnlessWaiting(db: Executor, queue: string, opts: EnqueueOptions & { dedupeKey: string }) {
  const waiting = await db.selectFrom("jobs").select("id").where("queue", "=", queue).where("status", "=", "queued").executeTakeFirst();
  if (!waiting) await enqueue(db, queue, {}, opts);
}

/**
 * A database-backed job queue. Each job runs in its own transaction that first locks the job's
 * row (FOR UPDATE SKIP LOCKED — any number of worker processes can share one PostgreSQL), then
 * runs the handler, then marks the job completed. A crash rolls the transaction back and the row
 * lock goes with it, so the job simply becomes available again; a handler error is recorded
 * and the job retried with exponential backoff until max attempts.
 */
export class JobQueue {
  private readonly definitions = new Map<string, JobDefinition<never>>();
  private readonly leased = new Map<string, LeasedJobDefinition<never>>();
  private running = false;
  private loops: Promise<void>[] = [];
  private wakers = new Set<() => void>();
  private wakeTimer?: NodeJS.Timeout;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly logger: Logger,
    private readonly opts: {
      concurrency?: number;
      pollMs?: number;
      /** After a wake-up, wait this long so jobs committed meanwhile are handled as one batch. */
      wakeDelayMs?: number;
      /** Events written so far, and what to do once a job's transaction that wrote some committed (realtime). */
      changes?: { count: () => number; committed: () => void };
    } = {},
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

  defineLeased<P>(def: LeasedJobDefinition<P>) {
    this.leased.set(def.queue, def as LeasedJobDefinition<never>);
    this.define<P>({
      queue: def.queue,
      maxAttempts: def.maxAttempts,
      handler: () => Promise.reject(new Error(`${def.queue} is a leased job`)),
    });
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
    clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    for (const wake of this.wakers) wake();
    await Promise.all(this.loops);
  }

  /** Ask the workers to look for due jobs soon (after a local commit) instead of at the next poll. */
  wake() {
    if (this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.wakeOne();
    }, this.opts.wakeDelayMs ?? 50);
  }

  /**
   * Wakes one idle worker loop. A loop that finds more due work than it takes wakes the next, so
   * a burst spreads over the loops while a trickle does not make them all poll an empty queue.
   */
  private wakeOne() {
    const [wake] = this.wakers;
    wake?.();
  }

  /** Runs due jobs until none is left; tests and the CLI use it to drain the queue. */
  async drain(maxJobs = 1_000_000): Promise<number> {
    let n = 0;
    while (n < maxJobs && (await this.runTracked())) n++;
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
    let idle = false;
    while (this.running) {
      try {
        // After a wait, one plain read says whether there is anything to claim: an empty poll then
        // costs one round trip instead of a transaction's three.
        if ((!idle || (await anyJobDue(this.db, this.queues))) && (await this.runTracked())) {
          idle = false;
          // A turn of the event loop between jobs: on the embedded engine a job's statements finish
          // without waiting for I/O, so a backlog would otherwise hold off every request (and log
          // line) until the whole backlog is done.
          await new Promise<void>((resolve) => setImmediate(resolve));
          continue;
        }
        idle = true;
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

  /** runNext, then tells `changes` if the job's committed transaction wrote events. */
  private async runTracked() {
    const changes = this.opts.changes;
    const before = changes?.count();
    const ran = await this.runNext();
    if (changes && changes.count() !== before) changes.committed();
    return ran;
  }

  /**
   * Runs one due job (or a batch, for queues that handle batches); false when there is none.
   * The common path is few round trips: claim, handler, mark completed, all in one transaction.
   * Only when the handler fails is the work rolled back and redone carefully: a failed batch runs
   * job by job, each in a savepoint, and a failed single job is recorded for a retry with backoff.
   */
  private async runNext(): Promise<boolean> {
    let failure: { jobs: ClaimedJob[]; err: unknown } | undefined;
    let lease: ClaimedJob | undefined;
    const ran = await this.db
      .transaction()
      .execute(async (trx) => {
        const claimed = await dueJobs(trx).where("queue", "in", this.queues).limit(CLAIM_LIMIT).execute();
        const first = claimed[0];
        if (!first) return false;
        const leased = this.leased.get(first.queue);
        if (leased) {
          if (claimed.length > 1) this.wakeOne();
          await trx
            .updateTable("jobs")
            .set({ run_at: new Date(Date.now() + leased.leaseMs), attempts: sql`attempts + 1` })
            .where("id", "=", first.id)
            .execute();
          lease = first;
          return true;
        }
        const def = this.definitions.get(first.queue) as JobDefinition<never>;
        const batch = def.batchHandler && (def.batchSize ?? 1) > 1;
        const jobs = batch ? claimed.filter((j) => j.queue === first.queue).slice(0, def.batchSize) : [first];
        if (claimed.length > jobs.length) this.wakeOne();
        const log = this.logger.child({ queue: first.queue });
        try {
          if (def.batchHandler && jobs.length > 1)
            await def.batchHandler(
              jobs.map((j) => j.payload as never),
              { trx, logger: log },
            );
          else
            await def.handler(first.payload as never, {
              trx,
              jobId: first.id,
              attempt: first.attempts + 1,
              logger: log.child({ job: first.id }),
            });
        } catch (err) {
          failure = { jobs, err };
          throw err;
        }
        await trx
          .updateTable("jobs")
          .set({ status: "completed", attempts: sql`attempts + 1`, completed_at: new Date(), last_error: null })
          .where(
            "id",
            "in",
            jobs.map((j) => j.id),
          )
          .execute();
        return true;
      })
      .catch((err) => {
        if (!failure) throw err;
        return "failed" as const;
      });
    if (lease) await this.runLeased(lease);
    if (ran !== "failed") return ran;
    const { jobs, err } = failure as unknown as { jobs: ClaimedJob[]; err: unknown };
    await this.recoverFailure(jobs, err);
    return true;
  }

  private async runLeased(job: ClaimedJob) {
    const def = this.leased.get(job.queue) as LeasedJobDefinition<never>;
    const attempt = job.attempts + 1;
    const logger = this.logger.child({ queue: job.queue, job: job.id });
    try {
      await def.run(job.payload as never, { db: this.db, jobId: job.id, attempt, logger });
      await this.db
        .updateTable("jobs")
        .set({ status: "completed", completed_at: new Date(), last_error: null })
        .where("id", "=", job.id)
        .execute();
    } catch (err) {
      const final = attempt >= (def.maxAttempts ?? job.max_attempts);
      logger.warn({ err, attempt, final }, "job failed");
      await this.db
        .updateTable("jobs")
        .set({
          status: final ? "failed" : "queued",
          run_at: new Date(Date.now() + (def.backoffMs ?? defaultBackoff)(attempt)),
          last_error: String((err as Error)?.stack ?? err).slice(0, 4000),
        })
        .where("id", "=", job.id)
        .execute();
    }
  }

  /** After a failed run: batches are retried job by job (each in a savepoint); failures recorded. */
  private async recoverFailure(failed: ClaimedJob[], firstErr: unknown) {
    await this.db.transaction().execute(async (trx) => {
      // Relock what is still ours to handle; another worker may have taken a job meanwhile.
      const jobs = await dueJobs(trx)
        .where(
          "id",
          "in",
          failed.map((j) => j.id),
        )
        .execute();
      const def = this.definitions.get(failed[0]?.queue ?? "") as JobDefinition<never>;
      const log = this.logger.child({ queue: failed[0]?.queue });
      if (failed.length > 1) log.warn({ err: firstErr, jobs: failed.length }, "batch failed; running its jobs one by one");
      for (const job of jobs) {
        const attempt = job.attempts + 1;
        const ok =
          failed.length > 1
            ? await this.attempt(trx, () =>
                def.handler(job.payload as never, { trx, jobId: job.id, attempt, logger: log.child({ job: job.id }) }),
              )
            : { err: firstErr };
        if (ok === true) {
          await trx
            .updateTable("jobs")
            .set({ status: "completed", attempts: attempt, completed_at: new Date(), last_error: null })
            .where("id", "=", job.id)
            .execute();
          continue;
        }
        const final = attempt >= (def.maxAttempts ?? job.max_attempts);
        log.warn({ err: ok.err, job: job.id, attempt, final }, "job failed");
        await trx
          .updateTable("jobs")
          .set({
            status: final ? "failed" : "queued",
            attempts: attempt,
            run_at: new Date(Date.now() + (def.backoffMs ?? defaultBackoff)(attempt)),
            last_error: String((ok.err as Error)?.stack ?? ok.err).slice(0, 4000),
          })
          .where("id", "=", job.id)
          .execute();
      }
    });
  }

  /**
   * Runs work inside a savepoint: a failure rolls back only the work, while the job rows stay
   * locked by this transaction so the failure can be recorded in it.
   */
  private async attempt(trx: Transaction<DB>, work: () => Promise<void>): Promise<true | { err: unknown }> {
    await sql`savepoint job_handler`.execute(trx);
    try {
      await work();
      await sql`release savepoint job_handler`.execute(trx);
      return true;
    } catch (err) {
      await sql`rollback to savepoint job_handler`.execute(trx);
      return { err };
    }
  }
}
