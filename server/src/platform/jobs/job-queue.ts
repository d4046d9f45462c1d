import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { type Kysely, type Transaction, sql } from "kysely";
import type { Logger } from "pino";
import type { DB } from "../../db/schema";

export type Executor = Kysely<DB> | Transaction<DB>;

export type JobContext = {
  /** The transaction that also marks the job completed: DB effects happen exactly once. */
  trx: Transaction<DB>;
  jobId: number;
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

const defaultBackoff = (attempt: number) => Math.min(3_600_000, 1000 * 2 ** (attempt - 1)) + Math.floor(Math.random() * 250);
const LOCK_MS = 5 * 60_000;
/** How long after its claim a running job without a live worker is considered orphaned. */
const ORPHAN_GRACE_MS = 15_000;

/** Adds a job inside the caller's transaction, so it exists exactly when the change commits. */
export async function enqueue(db: Executor, queue: string, payload: Record<string, unknown>, opts: EnqueueOptions = {}) {
  await db
    .insertInto("jobs")
    .values({
      queue,
      payload: JSON.stringify(payload),
      run_at: opts.runAt ?? new Date(),
      dedupe_key: opts.dedupeKey ?? null,
      ...(opts.maxAttempts ? { max_attempts: opts.maxAttempts } : {}),
    })
    .onConflict((oc) => oc.columns(["queue", "dedupe_key"]).where("dedupe_key", "is not", null).doNothing())
    .execute();
}

/**
 * A database-backed job queue: jobs are claimed with FOR UPDATE SKIP LOCKED, so any number of
 * worker processes can share one PostgreSQL. A job's handler runs in a transaction that also
 * completes the job; a crash before commit leaves the job to be retried after its lock expires.
 */
export class JobQueue {
  private readonly definitions = new Map<string, JobDefinition<never>>();
  private readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private inFlight = 0;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly logger: Logger,
    private readonly opts: {
      concurrency?: number;
      pollMs?: number;
      /** Only this process can use the database (embedded engine): at start every running job is an orphan. */
      exclusiveDatabase?: boolean;
    } = {},
  ) {}

  define<P>(def: JobDefinition<P>) {
    this.definitions.set(def.queue, def as JobDefinition<never>);
  }

  get queues() {
    return [...this.definitions.keys()];
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop() {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  /** Ask the worker to look for due jobs now (after a local commit) instead of at the next poll. */
  wake() {
    this.wakeUp?.();
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

  /** Runs due jobs until none is left; tests and the CLI use it to drain the queue. */
  async drain(maxRounds = 1000): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxRounds; i++) {
      const n = await this.runBatch();
      total += n;
      if (n === 0) break;
    }
    return total;
  }

  private async run() {
    const pollMs = this.opts.pollMs ?? 500;
    let lastReap = 0;
    if (this.opts.exclusiveDatabase) {
      await this.reapOrphans(0).catch((err) => this.logger.error({ err }, "reaping orphaned jobs failed"));
      lastReap = Date.now();
    }
    while (this.running) {
      try {
        if (Date.now() - lastReap > 10_000) {
          await this.reapOrphans();
          lastReap = Date.now();
        }
        const n = await this.runBatch();
        if (n > 0) continue;
      } catch (err) {
        this.logger.error({ err }, "job worker loop failed");
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pollMs);
        this.wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  /**
   * Requeues jobs whose worker died. A live worker holds its job's row lock for the whole
   * handler transaction, so a running job that is claimed a while ago and not row-locked has
   * no worker any more (a crashed process's transaction was rolled back, releasing the lock).
   */
  async reapOrphans(graceMs = ORPHAN_GRACE_MS) {
    const claimedBefore = new Date(Date.now() + LOCK_MS - graceMs);
    await this.db
      .updateTable("jobs")
      .set({ status: "queued", locked_by: null, locked_until: null })
      .where("id", "in", (eb) =>
        eb
          .selectFrom("jobs")
          .select("id")
          .where("status", "=", "running")
          .where("locked_until", "<", claimedBefore)
          .limit(1000)
          .forUpdate()
          .skipLocked(),
      )
      .execute();
  }

  private async runBatch(): Promise<number> {
    const queues = this.queues;
    if (queues.length === 0) return 0;
    const limit = this.opts.concurrency ?? 8;
    const claimed = await this.db
      .updateTable("jobs")
      .set({
        status: "running",
        locked_by: this.workerId,
        locked_until: new Date(Date.now() + LOCK_MS),
        attempts: sql`attempts + 1`,
      })
      .where(
        "id",
        "in",
        this.db
          .selectFrom("jobs")
          .select("id")
          .where("status", "=", "queued")
          .where("run_at", "<=", new Date())
          .where("queue", "in", queues)
          .orderBy("run_at")
          .orderBy("id")
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returning(["id", "queue", "payload", "attempts", "max_attempts"])
      .execute();
    this.inFlight += claimed.length;
    try {
      await Promise.all(claimed.map((job) => this.runOne(job)));
    } finally {
      this.inFlight -= claimed.length;
    }
    return claimed.length;
  }

  private async runOne(job: { id: number; queue: string; payload: unknown; attempts: number; max_attempts: number }) {
    const def = this.definitions.get(job.queue);
    if (!def) return;
    const log = this.logger.child({ job: job.id, queue: job.queue });
    try {
      await this.db.transaction().execute(async (trx) => {
        const mine = await trx
          .selectFrom("jobs")
          .select("id")
          .where("id", "=", job.id)
          .where("status", "=", "running")
          .where("locked_by", "=", this.workerId)
          .forUpdate()
          .executeTakeFirst();
        if (!mine) return; // lock expired and another worker took it
        await def.handler(job.payload as never, { trx, jobId: job.id, attempt: job.attempts, logger: log });
        await trx
          .updateTable("jobs")
          .set({ status: "completed", completed_at: new Date(), locked_by: null, locked_until: null, last_error: null })
          .where("id", "=", job.id)
          .execute();
      });
    } catch (err) {
      const final = job.attempts >= (def.maxAttempts ?? job.max_attempts);
      const delay = (def.backoffMs ?? defaultBackoff)(job.attempts);
      log.warn({ err, attempt: job.attempts, final }, "job failed");
      await this.db
        .updateTable("jobs")
        .set({
          status: final ? "failed" : "queued",
          run_at: new Date(Date.now() + delay),
          locked_by: null,
          locked_until: null,
          last_error: String((err as Error)?.stack ?? err).slice(0, 4000),
        })
        .where("id", "=", job.id)
        .where("locked_by", "=", this.workerId)
        .execute();
    }
  }
}
