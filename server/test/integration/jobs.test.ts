import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { EventBus } from "../../src/platform/events/event-bus";
import { JobQueue, enqueue } from "../../src/platform/jobs/job-queue";
import { createLogger } from "../../src/platform/logger";
import { type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await sql`create table test_effects (event_id bigint, worker text)`.execute(t.ctx.db);
});
afterAll(() => t.close());

const logger = createLogger("silent");
const effects = async (eventId?: number) => {
  let q = t.ctx.db.selectFrom("test_effects" as never).select(["event_id" as never, "worker" as never]);
  if (eventId !== undefined) q = q.where("event_id" as never, "=", eventId as never);
  return (await q.execute()) as { event_id: number; worker: string }[];
};

describe("durable events and jobs", () => {
  it("an event exists only if its transaction commits, and then reaches its subscriber once", async () => {
    const jobs = new JobQueue(t.ctx.db, logger);
    const bus = new EventBus(jobs);
    bus.subscribe({
      name: "test-commit",
      types: ["thing.happened"],
      handle: async (e, { trx }) => {
        await sql`insert into test_effects values (${e.id}, 'one')`.execute(trx);
      },
    });
    await expect(
      t.ctx.db.transaction().execute(async (trx) => {
        await bus.emit(trx, { type: "thing.happened", aggregateType: "thing", aggregateId: 1 });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    const committed = await t.ctx.db
      .transaction()
      .execute((trx) => bus.emit(trx, { type: "thing.happened", aggregateType: "thing", aggregateId: 2 }));
    await jobs.drain();
    const all = await effects();
    expect(all.map((e) => Number(e.event_id))).toEqual([committed.id]);
    const rows = await t.ctx.db.selectFrom("jobs").selectAll().where("queue", "=", "event:test-commit").execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "completed", attempts: 1 });
  });

  it("retries a failing handler with backoff; the failed attempts leave no effect behind", async () => {
    const jobs = new JobQueue(t.ctx.db, logger);
    let calls = 0;
    jobs.define<{ n: number }>({
      queue: "test.flaky",
      backoffMs: () => 0,
      handler: async (payload, { trx }) => {
        calls++;
        await sql`insert into test_effects values (${payload.n}, 'flaky')`.execute(trx);
        if (calls < 3) throw new Error(`boom ${calls}`);
      },
    });
    await enqueue(t.ctx.db, "test.flaky", { n: 1000 });
    for (let i = 0; i < 5; i++) await jobs.drain();
    expect(calls).toBe(3);
    expect(await effects(1000)).toHaveLength(1);
    const job = await t.ctx.db.selectFrom("jobs").selectAll().where("queue", "=", "test.flaky").executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: "completed", attempts: 3 });
  });

  it("gives up after max attempts and keeps the last error", async () => {
    const jobs = new JobQueue(t.ctx.db, logger);
    jobs.define({ queue: "test.hopeless", maxAttempts: 2, backoffMs: () => 0, handler: async () => Promise.reject(new Error("always")) });
    await enqueue(t.ctx.db, "test.hopeless", {});
    for (let i = 0; i < 4; i++) await jobs.drain();
    const job = await t.ctx.db.selectFrom("jobs").selectAll().where("queue", "=", "test.hopeless").executeTakeFirstOrThrow();
    expect(job.status).toBe("failed");
    expect(job.attempts).toBe(2);
    expect(job.last_error).toContain("always");
  });

  it("queues with a batch handler take many due jobs in one transaction; a failing batch falls back to one by one", async () => {
    const jobs = new JobQueue(t.ctx.db, logger);
    const batchSizes: number[] = [];
    let failBatches = false;
    jobs.define<{ n: number }>({
      queue: "test.batch",
      batchSize: 20,
      backoffMs: () => 60_000,
      batchHandler: async (payloads, { trx }) => {
        if (failBatches) throw new Error("batch broke");
        batchSizes.push(payloads.length);
        for (const p of payloads) await sql`insert into test_effects values (${p.n}, 'batch')`.execute(trx);
      },
      handler: async (payload, { trx }) => {
        await sql`insert into test_effects values (${payload.n}, 'single')`.execute(trx);
        if (payload.n === 7013) throw new Error("poison");
      },
    });
    await t.ctx.db
      .insertInto("jobs")
      .values(Array.from({ length: 50 }, (_, i) => ({ queue: "test.batch", payload: JSON.stringify({ n: 7000 + i }) })))
      .execute();
    expect(await jobs.drain()).toBe(3);
    expect(batchSizes).toEqual([20, 20, 10]);
    failBatches = true;
    await t.ctx.db
      .insertInto("jobs")
      .values(Array.from({ length: 5 }, (_, i) => ({ queue: "test.batch", payload: JSON.stringify({ n: 7010 + i }) })))
      .execute();
    await jobs.drain();
    const singles = (await effects())
      .filter((e) => e.worker === "single")
      .map((e) => Number(e.event_id))
      .sort();
    expect(singles).toEqual([7010, 7011, 7012, 7014]);
    const poison = await t.ctx.db.selectFrom("jobs").selectAll().where("queue", "=", "test.batch").where("status", "=", "queued").execute();
    expect(poison).toHaveLength(1);
    expect(poison[0]).toMatchObject({ attempts: 1, payload: { n: 7013 } });
    expect(poison[0].last_error).toContain("poison");
  });

  it("a backlog of jobs leaves the server's other work its turns: a timer set meanwhile runs before the backlog is done", async () => {
    const jobs = new JobQueue(t.ctx.db, logger, { concurrency: 1 });
    let done = 0;
    jobs.define({
      queue: "test.backlog",
      handler: async (_payload, { trx }) => {
        await sql`select 1`.execute(trx);
        done++;
      },
    });
    const TOTAL = 60;
    for (let i = 0; i < TOTAL; i++) await enqueue(t.ctx.db, "test.backlog", { i });
    await jobs.start();
    jobs.wake();
    // Once the backlog is under way, a timer (as an HTTP request or a log write would) gets its turn before it ends.
    await expect.poll(() => done, { interval: 1 }).toBeGreaterThan(0);
    const doneWhenTimerRan = await new Promise<number>((resolve) => setTimeout(() => resolve(done), 0));
    await expect.poll(() => done, { timeout: 30_000 }).toBe(TOTAL);
    await jobs.stop();
    expect(doneWhenTimerRan).toBeLessThan(TOTAL);
  });

  it("several workers share the queue: every job runs exactly once", async () => {
    const makeWorker = (name: string) => {
      const q = new JobQueue(t.ctx.db, logger, { concurrency: 4 });
      q.define<{ n: number }>({
        queue: "test.shared",
        handler: async (payload, { trx }) => {
          await sql`insert into test_effects values (${payload.n}, ${name})`.execute(trx);
        },
      });
      return q;
    };
    const workers = [makeWorker("w1"), makeWorker("w2"), makeWorker("w3")];
    await t.ctx.db
      .insertInto("jobs")
      .values(Array.from({ length: 300 }, (_, i) => ({ queue: "test.shared", payload: JSON.stringify({ n: 5000 + i }) })))
      .execute();
    await Promise.all(workers.map((w) => w.drain()));
    const rows = (await effects()).filter((e) => Number(e.event_id) >= 5000 && Number(e.event_id) < 5300);
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => Number(r.event_id))).size).toBe(300);
  });

  it("a job held by a worker's open transaction is skipped by others, and runs once that worker is gone", async () => {
    if (inject("engine") !== "postgres") return; // one connection: PGlite cannot hold a transaction open beside another
    const jobs = new JobQueue(t.ctx.db, logger);
    jobs.define<{ n: number }>({
      queue: "test.orphan",
      handler: async (payload, { trx }) => {
        await sql`insert into test_effects values (${payload.n}, 'rescuer')`.execute(trx);
      },
    });
    await enqueue(t.ctx.db, "test.orphan", { n: 9000 });
    // A worker that locked the job and then died: its transaction is still open, then rolled back.
    const dying = await t.ctx.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await sql`select id from jobs where queue = 'test.orphan' for update`.execute(conn);
      expect(await jobs.drain()).toBe(0);
      await sql`rollback`.execute(conn);
      return true;
    });
    expect(dying).toBe(true);
    expect(await effects(9000)).toHaveLength(0);
    expect(await jobs.drain()).toBe(1);
    expect(await effects(9000)).toHaveLength(1);
    const job = await t.ctx.db.selectFrom("jobs").selectAll().where("queue", "=", "test.orphan").executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: "completed", attempts: 1 });
  });
});
