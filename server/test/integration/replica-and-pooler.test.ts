import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { type PgBouncer, type PostgresServer, startPgBouncer, startPostgres, startStandby } from "../support/postgres-server";
import { type RunningServer, followStream, httpClient, spawnServer } from "../support/spawn-server";

/**
 * The scaled-out layout of docs/scaling.md on real servers: a primary, a hot standby streaming
 * from it, PgBouncer in transaction mode in front of the primary; two web processes and a worker
 * whose pooled connections go through PgBouncer, LISTEN directly to the primary, and report and
 * export reads to the standby.
 */
const ADMIN = { LOOPDESK_ADMIN_EMAIL: "replica@test.local", LOOPDESK_ADMIN_PASSWORD: "replica-test-pass" };
const running: RunningServer[] = [];
let primary: PostgresServer | undefined;
let standby: PostgresServer | undefined;
let bouncer: PgBouncer | undefined;
let dataDir: string | undefined;
afterAll(async () => {
  for (const s of running) await s.stop("SIGKILL");
  bouncer?.stop();
  standby?.stop();
  primary?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function onServer(url: string, statement: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(statement)).rows;
  } finally {
    await client.end();
  }
}

type Api = Awaited<ReturnType<typeof httpClient>>;
let customers = 0;
const createTicket = async (api: Api, subject: string) => {
  const res = await api("/api/v1/tickets", {
    method: "POST",
    body: JSON.stringify({ subject, description: `${subject}：客户描述`, customer: { email: `caller${++customers}@example.cn` } }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: number; number: number };
};
const exported = async (api: Api) => {
  const res = await api("/api/v1/tickets/export?format=csv&status=new");
  expect(res.status).toBe(200);
  return res.text();
};
type DatabaseStatus = {
  engine: string;
  readReplica: { reachable: boolean; standby: boolean; lagBytes: number | null; reads: { replica: number; primary: number } };
};
const status = async (api: Api) => (await (await api("/api/v1/system/database")).json()) as DatabaseStatus;

describe("PostgreSQL behind PgBouncer, with a hot standby for reports", () => {
  it("serves, streams, runs jobs and reads reports through the pooler and the replica", async () => {
    if (inject("engine") !== "postgres") return; // replicas and poolers are PostgreSQL's
    primary = await startPostgres();
    await onServer(primary.url("postgres"), "create database loopdesk");
    standby = await startStandby(primary);
    bouncer = await startPgBouncer(primary, { poolSize: 4 });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-replica-"));
    const env = {
      ...ADMIN,
      DATA_DIR: dataDir,
      DATABASE_URL: bouncer.url("loopdesk"),
      DATABASE_LISTEN_URL: primary.url("loopdesk"),
      DATABASE_READ_URL: standby.url("loopdesk"),
      // PgBouncer 1.18 (Debian 12) cannot carry named statements across server connections.
      DATABASE_PREPARED_STATEMENTS: "false",
    };
    // The first process migrates the new database through the pooler.
    const webA = await spawnServer(env, { args: ["--role", "web"] });
    running.push(webA);
    const webB = await spawnServer(env, { args: ["--role", "web"] });
    running.push(webB);
    const viaA = await httpClient(webA.url, ADMIN.LOOPDESK_ADMIN_EMAIL, ADMIN.LOOPDESK_ADMIN_PASSWORD);
    const viaB = await httpClient(webB.url, ADMIN.LOOPDESK_ADMIN_EMAIL, ADMIN.LOOPDESK_ADMIN_PASSWORD);

    // A live stream on B hears of a ticket created on A (LISTEN on its direct connection).
    const stream = await followStream((signal) => viaB("/api/v1/stream", { signal }));
    await expect.poll(() => stream.text()).toContain("connected");
    const first = await createTicket(viaA, "连接池 第一单");
    await expect.poll(() => stream.text()).toContain(`"ticketId":${first.id}`);
    await stream.close();

    // Many clients at once share four server connections, a transaction at a time.
    const created = await Promise.all(Array.from({ length: 30 }, (_, i) => createTicket(i % 2 ? viaA : viaB, `连接池 并发 ${i}`)));
    expect(new Set(created.map((t) => t.number)).size).toBe(30);

    // An export right after a write reads the replica once it has replayed that write.
    const next = await createTicket(viaA, "副本 读己之写");
    expect(await exported(viaA)).toContain("副本 读己之写");
    const caughtUp = await status(viaA);
    expect(caughtUp).toMatchObject({ engine: "postgres", readReplica: { reachable: true, standby: true } });
    expect(caughtUp.readReplica.reads.replica).toBeGreaterThan(0);

    // Every report reads on the read-only standby without trying to write.
    const today = new Date().toISOString().slice(0, 10);
    for (const report of [
      `/api/v1/analytics/overview?from=${today}&to=${today}`,
      `/api/v1/analytics/agents?from=${today}&to=${today}`,
      `/api/v1/analytics/teams?from=${today}&to=${today}`,
      `/api/v1/analytics/me?from=${today}&to=${today}`,
      `/api/v1/analytics/tickets?from=${today}&to=${today}&metric=created`,
      `/api/v1/analytics/export?from=${today}&to=${today}&table=daily&format=xlsx`,
    ]) {
      const res = await viaA(report);
      expect(res.status, `${report}: ${await res.clone().text()}`).toBe(200);
    }
    expect((await status(viaA)).readReplica.reads.replica).toBeGreaterThan(caughtUp.readReplica.reads.replica);

    // A standby that stops replaying is behind: the export still has the newest ticket (read on the primary).
    await onServer(standby.url("loopdesk"), "select pg_wal_replay_pause()");
    await createTicket(viaA, "副本 暂停回放");
    const behind = await exported(viaA);
    expect(behind).toContain("副本 暂停回放");
    const paused = await status(viaA);
    expect(paused.readReplica.reads.primary).toBeGreaterThan(caughtUp.readReplica.reads.primary);
    expect(paused.readReplica.lagBytes).toBeGreaterThan(0);
    await onServer(standby.url("loopdesk"), "select pg_wal_replay_resume()");
    await expect.poll(async () => (await status(viaA)).readReplica.lagBytes).toBe(0);

    // A worker on the same layout picks up the jobs the web processes queue (woken over LISTEN).
    const changed = await viaB(`/api/v1/tickets/${next.id}`, { method: "PATCH", body: JSON.stringify({ priority: "urgent" }) });
    expect(changed.status).toBe(200);
    const worker = await spawnServer(env, { args: ["--role", "worker"], noHttp: true });
    running.push(worker);
    const rescoreJobs = async () =>
      ((await (await viaA("/api/v1/system/jobs")).json()) as { items: { queue: string; status: string; count: number }[] }).items.filter(
        (s) => s.queue === "event:routing-score",
      );
    await expect.poll(async () => (await rescoreJobs()).find((s) => s.status === "completed")?.count ?? 0).toBeGreaterThan(0);
    expect((await rescoreJobs()).find((s) => s.status === "failed")).toBeUndefined();

    // The standby goes away: reports and exports carry on from the primary.
    standby.stop();
    standby = undefined;
    await createTicket(viaA, "副本 已停机");
    expect(await exported(viaA)).toContain("副本 已停机");
    expect((await viaA(`/api/v1/analytics/overview?from=${today}&to=${today}`)).status).toBe(200);
    expect((await status(viaA)).readReplica).toMatchObject({ reachable: false, lagBytes: null });
  }, 180_000);
});
