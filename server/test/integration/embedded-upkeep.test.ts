import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { UPKEEP_QUEUE } from "../../src/platform/jobs/embedded-upkeep";
import { enqueue } from "../../src/platform/jobs/job-queue";
import { type Client, type TestApp, appWithAdmin } from "../support/test-app";

let t: TestApp;
let admin: Client;
beforeAll(async () => ({ t, admin } = await appWithAdmin()));
afterAll(() => t.close());

const engine = inject("engine");
const pagesOf = async (table: string) =>
  Number((await sql<{ n: string }>`select pg_relation_size(${table}::regclass) / 8192 as n`.execute(t.ctx.db)).rows[0]?.n);
/** 2,000 finished jobs, as a busy day leaves them. */
const finishedJobs = (tag: string) => sql`insert into jobs (queue, payload, status, completed_at, dedupe_key)
  select 'upkeep.test', '{"ticketId": 1, "note": "a payload of a realistic size for a finished job"}', 'completed', now(), ${tag} || g
  from generate_series(1, 2000) g`;
const upkeep = async () => {
  await enqueue(t.ctx.db, UPKEEP_QUEUE, {});
  await t.ctx.jobs.drain();
  return (await admin.get("/api/v1/system/database")).json().upkeep;
};

describe("upkeep of the embedded database (no autovacuum in single-user PostgreSQL)", () => {
  it.runIf(engine === "pglite")(
    "vacuums and analyses the tables that changed: deleted rows' space is used again, and the planner knows the tables",
    async () => {
      expect((await admin.get("/api/v1/system/database")).json().upkeep).toBeNull();
      await finishedJobs("a").execute(t.ctx.db);
      const grown = await pagesOf("jobs");
      // The jobs' weekly clean-up deletes them; the next day's jobs should fit where they were.
      await sql`delete from jobs where queue = 'upkeep.test'`.execute(t.ctx.db);
      const run = await upkeep();
      expect(run.tables.map((x: { name: string }) => x.name)).toContain("jobs");
      expect(run.tables.find((x: { name: string }) => x.name === "jobs")).toMatchObject({ pagesBefore: grown });
      await finishedJobs("b").execute(t.ctx.db);
      expect(await pagesOf("jobs")).toBeLessThanOrEqual(grown + 2);
      // Statistics: the row count is known (not PostgreSQL's -1 for "never counted") and columns have their figures.
      const known = await sql<{ reltuples: number }>`select reltuples from pg_class where relname = 'jobs'`.execute(t.ctx.db);
      expect(Number(known.rows[0]?.reltuples)).toBeGreaterThanOrEqual(0);
      const columns = await sql<{ n: string }>`select count(*) as n from pg_stats where tablename = 'jobs'`.execute(t.ctx.db);
      expect(Number(columns.rows[0]?.n)).toBeGreaterThan(0);
      // Nothing changed since: the next run has nothing to do.
      expect((await upkeep()).tables.filter((x: { name: string }) => x.name === "jobs")).toEqual([]);
    },
  );

  it.runIf(engine === "postgres")("is left to PostgreSQL's autovacuum on a server", async () => {
    await enqueue(t.ctx.db, UPKEEP_QUEUE, {});
    await t.ctx.jobs.drain();
    expect((await admin.get("/api/v1/system/database")).json().upkeep).toBeNull();
  });
});
