import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "kysely";
import pg from "pg";
import { type Database, openDatabase } from "../server/src/db/database";
import { type PostgresServer, startPostgres, startStandby } from "../server/test/support/postgres-server";
import { benchReplica } from "./lib/replica-bench";
import { type RunningServer, spawnServer } from "../server/test/support/spawn-server";
import { addTickets } from "./lib/bulk-tickets";
import { load, machineInfo, round } from "./lib/load";
import { writeReport } from "./lib/report";
import { benchSla } from "./lib/sla-bench";
import { benchAnalytics, seedReportWorkspace } from "./lib/analytics-bench";
import { benchRouting } from "./lib/routing-bench";
import { benchProcesses } from "./lib/process-bench";
import { benchClassification } from "./lib/classification-bench";
import { benchKnowledge } from "./lib/knowledge-bench";
import { migrateToLatest } from "../server/src/db/migrate";
import { benchImport } from "./lib/portability-bench";
import { benchScale } from "./lib/scale-bench";
import { benchCreation, cpuSeconds, postgresCpuSeconds } from "./lib/creation-bench";
import { measureCreationFloor } from "./lib/creation-floor";
import { benchNeighbourRequests } from "./lib/neighbour-requests";
import { measureHttpFloor } from "./lib/http-floor";
import { benchStartup } from "./lib/startup-bench";
import { loadSearchWorkspace, measureSearch } from "./lib/search-bench";
import { benchMixed } from "./lib/mixed-bench";
import {
  type Recorded,
  exerciseTickets,
  indexUsage,
  indexesIn,
  indexesOf,
  logPlans,
  planLogSettings,
  plansInLog,
  recording,
  sessionCaller,
  withoutIndex,
} from "./lib/index-review";
import { hashPassword } from "../server/src/platform/auth/passwords";
import { freePort } from "../server/test/support/postgres-server";

/**
 * `npm run bench`: ticket creation over HTTP (sequential and concurrency 16), queue listing
 * p50/p99 at 100k and 1M tickets, and the engine's raw single-row commit rate as the ceiling —
 * on embedded PGlite and on a real PostgreSQL server (durable default settings).
 */
const { values: args } = parseArgs({
  options: {
    engine: { type: "string", default: "all" },
    sizes: { type: "string", default: "" },
    quick: { type: "boolean", default: false },
    only: { type: "string", default: "" },
    "analytics-sizes": { type: "string", default: "" },
    mixed: { type: "boolean", default: false },
    rates: { type: "string", default: "" },
    agents: { type: "string", default: "" },
  },
});
const ADMIN = { email: "bench@loopdesk.local", password: "bench-password-1" };
/** A benchmark's server: its data directory, the bench administrator, no demo, quiet logs. */
const benchServerEnv = (dataDir: string) => ({
  DATA_DIR: dataDir,
  LOOPDESK_ADMIN_EMAIL: ADMIN.email,
  LOOPDESK_ADMIN_PASSWORD: ADMIN.password,
  LOOPDESK_DEMO: "false",
  LOG_LEVEL: "warn",
});
const here = path.dirname(new URL(import.meta.url).pathname);

type Json = Record<string, unknown>;
const log = (...a: unknown[]) => console.log(new Date().toISOString().slice(11, 19), ...a);

async function token(server: RunningServer, email: string, password: string) {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const created = await fetch(`${server.url}/api/v1/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, "x-csrf-token": csrfToken },
    body: JSON.stringify({ name: "bench", scopes: ["tickets:read", "tickets:write", "analytics", "intake", "admin"] }),
  });
  return ((await created.json()) as { token: string }).token;
}

function client(server: RunningServer, bearer: string) {
  return async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 200)}`);
    // JSON answers parsed; a file (CSV, Excel) as its text.
    return text ? (res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text) : undefined;
  };
}

/** A database of its own on the benchmark's PostgreSQL server. */
async function createDatabase(server: { url: (db: string) => string }, name: string) {
  const admin = new pg.Client({ connectionString: server.url("postgres") });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
}

async function rawCommitsPostgres(url: string, total: number, concurrency: number) {
  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  await pool.query(
    "create table if not exists bench_raw (id bigint generated always as identity primary key, v text, at timestamptz default now())",
  );
  const result = await load(total, concurrency, async (i) => {
    await pool.query("insert into bench_raw (v) values ($1)", [`row ${i}`]);
  });
  await pool.end();
  return result;
}

async function rawCommitsPglite(total: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-bench-raw-"));
  const db = await PGlite.create(path.join(dir, "pg"));
  await db.exec("create table bench_raw (id bigint generated always as identity primary key, v text, at timestamptz default now())");
  const result = await load(total, 1, async (i) => {
    await db.query("insert into bench_raw (v) values ($1)", [`row ${i}`]);
  });
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

async function benchEngine(engine: "pglite" | "postgres", sizes: number[]) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `loopdesk-bench-${engine}-`));
  const pgServer = engine === "postgres" ? await startPostgres({ durable: true }) : undefined;
  let databaseUrl: string | undefined;
  if (pgServer) {
    await createDatabase(pgServer, "loopdesk_bench");
    databaseUrl = pgServer.socketUrl("loopdesk_bench");
  }
  const env = {
    ...benchServerEnv(dataDir),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, DB_POOL_SIZE: "20" } : {}),
  };
  const openDb = (): Promise<Database> =>
    databaseUrl
      ? openDatabase({ engine: "postgres", url: databaseUrl, poolSize: 4 })
      : openDatabase({ engine: "pglite", dataDir: path.join(dataDir, "pg") });
  const result: Json = {
    engine,
    machine: machineInfo(),
  };

  try {
    log(engine, "raw single-row commits");
    result.rawCommits = databaseUrl
      ? {
          sequential: await rawCommitsPostgres(databaseUrl, args.quick ? 300 : 2000, 1),
          concurrency16: await rawCommitsPostgres(databaseUrl, args.quick ? 1000 : 8000, 16),
        }
      : { sequential: await rawCommitsPglite(args.quick ? 300 : 2000) };

    let server = await spawnServer(env, { timeoutMs: 120_000 });
    let api = client(server, await token(server, ADMIN.email, ADMIN.password));
    const dep = await api("POST", "/api/v1/departments", { name: "基准部门" });
    const otherDeps = await Promise.all([1, 2, 3, 4].map((i) => api("POST", "/api/v1/departments", { name: `部门 ${i}` })));
    const agent = await api("POST", "/api/v1/staff", {
      email: "agent@bench.local",
      name: "基准客服",
      password: "agent-password-1",
      departmentIds: [dep.id],
    });
    const others = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7].map((i) =>
        api("POST", "/api/v1/staff", { email: `a${i}@bench.local`, name: `客服 ${i}`, password: "agent-password-1" }),
      ),
    );

    // What any request costs before it does real work: HTTP alone (GET /healthz runs `select 1`)
    // and HTTP with authentication (GET /api/v1/me).
    log(engine, "HTTP baselines");
    const healthz = () => fetch(`${server.url}/healthz`).then((r) => r.text());
    await load(100, 4, async () => void (await healthz()));
    result.httpBaseline = {
      healthzSequential: await load(args.quick ? 200 : 1000, 1, async () => void (await healthz())),
      healthzConcurrency16: await load(args.quick ? 400 : 4000, 16, async () => void (await healthz())),
      authenticatedSequential: await load(args.quick ? 200 : 1000, 1, async () => void (await api("GET", "/api/v1/me"))),
    };

    log(engine, "ticket creation over HTTP");
    const create = (i: number) =>
      api("POST", "/api/v1/tickets", {
        subject: `性能测试 ${i}`,
        description: "登录不了账户，订单号 DD2026112101",
        customer: { email: `bench${i % 500}@example.cn` },
      });
    await load(50, 4, async (i) => void (await create(1_000_000 + i)));
    const sequential = await load(args.quick ? 100 : 500, 1, async (i) => void (await create(i)));
    const concurrent = await load(args.quick ? 400 : 3000, 16, async (i) => void (await create(10_000 + i)));
    result.creation = { sequential, concurrency16: concurrent };
    const raw = result.rawCommits as { sequential: { perSecond: number }; concurrency16?: { perSecond: number } };
    result.creationVsRaw = {
      sequential: round(sequential.perSecond / raw.sequential.perSecond),
      concurrency16: raw.concurrency16
        ? round(concurrent.perSecond / raw.concurrency16.perSecond)
        : round(concurrent.perSecond / raw.sequential.perSecond),
    };
    log(engine, "creation", { seq: sequential.perSecond, c16: concurrent.perSecond, raw: result.rawCommits });
    const agentApi = client(server, await token(server, "agent@bench.local", "agent-password-1"));
    await server.stop();

    const listing: Json[] = [];
    let have = 0;
    const customerIds: number[] = [];
    for (const size of sizes) {
      log(engine, `loading ${size} tickets`);
      const database = await openDb();
      if (customerIds.length === 0)
        customerIds.push(...(await database.db.selectFrom("customers").select("id").execute()).map((c) => c.id));
      const existing = Number(
        (
          await database.db
            .selectFrom("tickets")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
      have = existing;
      const t0 = performance.now();
      await addTickets(database.db, {
        from: have + 1,
        to: size,
        total: size,
        departmentIds: [dep.id, ...otherDeps.map((d: { id: number }) => d.id)],
        agentIds: [agent.id, ...others.map((o: { id: number }) => o.id)],
        customerIds,
      });
      log(engine, `loaded in ${round((performance.now() - t0) / 1000)} s`);
      await database.close();
      have = size;

      server = await spawnServer(env, { timeoutMs: 300_000 });
      api = client(server, await token(server, ADMIN.email, ADMIN.password));
      const agentClient = client(server, await token(server, "agent@bench.local", "agent-password-1"));
      // Measure a settled system: let the workers finish indexing what the creation phase left.
      for (let waited = 0; waited < 300; waited++) {
        const stats = (await api("GET", "/api/v1/system/jobs")) as { items: { queue: string; status: string; count: number }[] };
        if (!stats.items.some((s) => s.queue.startsWith("event:") && s.status === "queued" && s.count > 0)) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      void agentApi;
      const first = await api("GET", "/api/v1/tickets?status=new,open,pending&limit=50");
      const queries: [string, (u: string) => Promise<unknown>, string][] = [
        ["admin: open queue, newest first", (u) => api("GET", u), "/api/v1/tickets?status=new,open,pending&limit=50"],
        [
          "admin: open queue, page 2 (cursor)",
          (u) => api("GET", u),
          `/api/v1/tickets?status=new,open,pending&limit=50&cursor=${first.nextCursor}`,
        ],
        ["admin: all tickets by priority", (u) => api("GET", u), "/api/v1/tickets?sort=-priority&limit=50"],
        ["agent: department-scoped open queue", (u) => agentClient("GET", u), "/api/v1/tickets?status=new,open,pending&limit=50"],
        ["agent: assigned to me", (u) => agentClient("GET", u), "/api/v1/tickets?assignee=me&status=open,pending&limit=50"],
        ["admin: unassigned new", (u) => api("GET", u), "/api/v1/tickets?assignee=none&status=new&limit=50"],
      ];
      for (const [name, call, url] of queries) {
        for (let i = 0; i < 20; i++) await call(url);
        const stats = await load(args.quick ? 50 : 300, 1, async () => void (await call(url)));
        listing.push({ tickets: size, query: name, ...stats });
        log(engine, size, name, `p50 ${stats.p50Ms} ms, p99 ${stats.p99Ms} ms`);
      }
      await server.stop();
    }
    result.listing = listing;
    if (engine === "postgres") {
      log(engine, "SLA sweep and recomputation");
      const database = await openDb();
      result.sla = await benchSla(database, { recompute: args.quick ? 2_000 : 100_000 });
      await database.close();
      log(engine, "SLA", result.sla);
    }
  } finally {
    pgServer?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return result;
}

/** Issue 7: dashboards on large rollups and the cost of keeping them, in a database of their own. */
async function benchAnalyticsEngine(engine: "pglite" | "postgres") {
  const sizes = args["analytics-sizes"]
    ? args["analytics-sizes"].split(",").map(Number)
    : args.quick
      ? [20_000]
      : engine === "postgres"
        ? [1_000_000, 10_000_000]
        : [200_000];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `loopdesk-bench-analytics-${engine}-`));
  const pgServer = engine === "postgres" ? await startPostgres({ durable: true }) : undefined;
  try {
    if (pgServer) {
      await createDatabase(pgServer, "loopdesk_analytics");
    }
    const database = pgServer
      ? await openDatabase({ engine: "postgres", url: pgServer.socketUrl("loopdesk_analytics"), poolSize: 4 })
      : await openDatabase({ engine: "pglite", dataDir: path.join(dataDir, "pg") });
    await migrateToLatest(database.db);
    const machine = machineInfo();
    const file = path.join(
      here,
      "results",
      `${new Date().toISOString().slice(0, 10)}-${engine}-analytics${args.quick ? "-quick" : ""}.json`,
    );
    const save = (part: Json) =>
      fs.writeFileSync(file, `${JSON.stringify({ engine, machine, ...part, at: new Date().toISOString() }, null, 2)}\n`);
    save(await benchAnalytics(database.db, sizes, { quick: args.quick, onProgress: (p) => save({ ...p, maintenance: null }) }));
    await database.close();
    log("wrote", path.relative(process.cwd(), file));
  } finally {
    pgServer?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Issue 5: routing decisions (500 agents, 100,000 open tickets) on PostgreSQL, and the simulator, in a database of their own. */
async function benchRoutingPostgres() {
  const pgServer = await startPostgres({ durable: true });
  try {
    await createDatabase(pgServer, "loopdesk_routing");
    const database = await openDatabase({ engine: "postgres", url: pgServer.socketUrl("loopdesk_routing"), poolSize: 10 });
    await migrateToLatest(database.db);
    const machine = machineInfo();
    log("routing: loading agents and open tickets");
    const result = await benchRouting(database, { openTickets: args.quick ? 10_000 : 100_000, decisions: args.quick ? 1_000 : 5_000 });
    await database.close();
    const file = path.join(here, "results", `${new Date().toISOString().slice(0, 10)}-postgres-routing${args.quick ? "-quick" : ""}.json`);
    fs.writeFileSync(file, `${JSON.stringify({ engine: "postgres", machine, ...result, at: new Date().toISOString() }, null, 2)}\n`);
    log("routing", result.decisions, result.simulator.totalMs);
    log("wrote", path.relative(process.cwd(), file));
  } finally {
    pgServer.stop();
  }
}

/** Issue 19: process step completions against ticket updates over HTTP, and the task queue, with 10,000 running instances on PostgreSQL. */
async function benchProcessesPostgres() {
  const pgServer = await startPostgres({ durable: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-bench-processes-"));
  let server: RunningServer | undefined;
  try {
    await createDatabase(pgServer, "loopdesk_processes");
    const url = pgServer.socketUrl("loopdesk_processes");
    server = await spawnServer(
      {
        DATA_DIR: dataDir,
        DATABASE_URL: url,
        DB_POOL_SIZE: "20",
        LOOPDESK_ADMIN_EMAIL: ADMIN.email,
        LOOPDESK_ADMIN_PASSWORD: ADMIN.password,
        LOOPDESK_DEMO: "false",
        LOG_LEVEL: "warn",
      },
      { timeoutMs: 120_000, nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) },
    );
    const api = client(server, await token(server, ADMIN.email, ADMIN.password));
    const database = await openDatabase({ engine: "postgres", url, poolSize: 4 });
    const instances = args.quick ? 1_000 : 10_000;
    log("processes: loading tickets");
    const updated: number[] = [];
    await load(args.quick ? 100 : 500, 8, async (i) => {
      const t = (await api("POST", "/api/v1/tickets", {
        subject: `流程基准 ${i}`,
        description: "x",
        customer: { email: `pb${i % 200}@example.cn` },
      })) as { id: number };
      updated.push(t.id);
    });
    const dep = (await api("POST", "/api/v1/departments", { name: "工单部门" })) as { id: number };
    const customerIds = (await database.db.selectFrom("customers").select("id").execute()).map((c) => c.id);
    const staffIds = (await database.db.selectFrom("staff").select("id").execute()).map((c) => c.id);
    await addTickets(database.db, { from: 1, to: instances, total: instances, departmentIds: [dep.id], agentIds: staffIds, customerIds });
    const ticketIds = (await database.db.selectFrom("tickets").select("id").orderBy("id").execute()).map((t) => t.id);
    log("processes: measuring");
    const result = await benchProcesses(database, api, async (method, u, body) => memberApi(method, u, body), {
      instances,
      rounds: args.quick ? 2 : 6,
      perRound: args.quick ? 100 : 400,
      ticketIds,
      updateIds: updated,
      onDepartment: async (departmentId) => {
        await api("POST", "/api/v1/staff", {
          email: "clerk@bench.local",
          name: "仓库文员",
          password: "clerk-password-1",
          departmentIds: [departmentId],
        });
        memberApi = client(server as RunningServer, await token(server as RunningServer, "clerk@bench.local", "clerk-password-1"));
      },
    });
    await database.close();
    const machine = machineInfo();
    const file = path.join(
      here,
      "results",
      `${new Date().toISOString().slice(0, 10)}-postgres-processes${args.quick ? "-quick" : ""}.json`,
    );
    fs.writeFileSync(file, `${JSON.stringify({ engine: "postgres", machine, ...result, at: new Date().toISOString() }, null, 2)}\n`);
    log("processes", result.completionVsUpdate, { queueP99: result.taskQueue.p99Ms });
    log("wrote", path.relative(process.cwd(), file));
  } finally {
    await server?.stop();
    pgServer.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
let memberApi: ReturnType<typeof client> = async () => {
  throw new Error("no member yet");
};

/** Issue 20: smart classification's accuracy against keyword rules, its time per ticket and its training time. */
async function runClassificationBench() {
  log("classification: training and testing");
  const result = await benchClassification({ quick: args.quick });
  const file = path.join(here, "results", `${new Date().toISOString().slice(0, 10)}-classification${args.quick ? "-quick" : ""}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ ...result, at: new Date().toISOString() }, null, 2)}\n`);
  log("classification", result.heldOut, result.unseenSituations, { p99: result.perTicket.p99Ms, training100k: result.large.trainingMs });
  log("wrote", path.relative(process.cwd(), file));
}

/** Issue 20: knowledge search and recommendations on the labelled set (MRR@5), on the embedded engine. */
async function runKnowledgeBench() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-bench-knowledge-"));
  const server = await spawnServer(
    {
      ...benchServerEnv(dataDir),
    },
    { timeoutMs: 120_000 },
  );
  try {
    log("knowledge: articles, searches and recommendations");
    const result = await benchKnowledge(client(server, await token(server, ADMIN.email, ADMIN.password)), {
      distractors: args.quick ? 50 : 300,
    });
    const file = path.join(here, "results", `${new Date().toISOString().slice(0, 10)}-knowledge${args.quick ? "-quick" : ""}.json`);
    fs.writeFileSync(file, `${JSON.stringify({ engine: "pglite", ...result, at: new Date().toISOString() }, null, 2)}\n`);
    log("knowledge", result.search, result.recommendations);
    log("wrote", path.relative(process.cwd(), file));
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Issue 22: a 100,000-row Excel import on PostgreSQL (durable settings), then an export of the workspace it made. */
async function benchImportPostgres() {
  const pgServer = await startPostgres({ durable: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-bench-import-"));
  let server: RunningServer | undefined;
  try {
    await createDatabase(pgServer, "loopdesk_import");
    const url = pgServer.socketUrl("loopdesk_import");
    const env = { DATA_DIR: dataDir, DATABASE_URL: url };
    server = await spawnServer(
      { ...env, LOOPDESK_ADMIN_EMAIL: ADMIN.email, LOOPDESK_ADMIN_PASSWORD: ADMIN.password, LOOPDESK_DEMO: "false", LOG_LEVEL: "warn" },
      // BENCH_CPU_PROF=dir: the server's CPU profile of the run (written when it stops), to see where the time goes.
      { timeoutMs: 120_000, nodeArgs: process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [] },
    );
    const bearer = await token(server, ADMIN.email, ADMIN.password);
    const rows = args.quick ? 10_000 : 100_000;
    log(`import: ${rows} rows from Excel`);
    const result = await benchImport({ url: server.url, pid: server.child.pid as number }, client(server, bearer), bearer, {
      rows,
      dir: dataDir,
      exportEnv: env,
      serverDir: path.join(here, "..", "server"),
    });
    const file = path.join(here, "results", `${new Date().toISOString().slice(0, 10)}-postgres-import${args.quick ? "-quick" : ""}.json`);
    fs.writeFileSync(file, `${JSON.stringify({ engine: "postgres", import: result, at: new Date().toISOString() }, null, 2)}\n`);
    log("import", result);

    log("wrote", path.relative(process.cwd(), file));
  } finally {
    await server?.stop();
    pgServer.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Issue 22: export and move-to-postgres of a 1M-ticket embedded workspace (--quick: 20,000). */
async function benchScalePglite() {
  const pgServer = await startPostgres({ durable: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-bench-scale-"));
  try {
    await createDatabase(pgServer, "loopdesk_moved");
    const tickets = args.sizes ? Number(args.sizes) : args.quick ? 20_000 : 1_000_000;
    log(`scale: ${tickets} tickets on the embedded engine`);
    const result = await benchScale({
      tickets,
      dataDir,
      serverDir: path.join(here, "..", "server"),
      postgresUrl: pgServer.socketUrl("loopdesk_moved"),
    });
    const file = path.join(here, "results", `${new Date().toISOString().slice(0, 10)}-pglite-scale${args.quick ? "-quick" : ""}.json`);
    fs.writeFileSync(file, `${JSON.stringify({ engine: "pglite", scale: result, at: new Date().toISOString() }, null, 2)}\n`);
    log("scale", result);
    log("wrote", path.relative(process.cwd(), file));
  } finally {
    pgServer.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Issue 23: ticket creation against GET /healthz at concurrency 16, alternately in one run, with CPU per creation. */
async function benchCreationEngine(engine: "pglite" | "postgres") {
  const pgServer = engine === "postgres" ? await startPostgres({ durable: true }) : undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `loopdesk-bench-creation-${engine}-`));
  let server: RunningServer | undefined;
  try {
    let databaseUrl: string | undefined;
    if (pgServer) {
      await createDatabase(pgServer, "loopdesk_creation");
      databaseUrl = pgServer.socketUrl("loopdesk_creation");
    }
    server = await spawnServer(
      {
        ...benchServerEnv(dataDir),
        ...(databaseUrl ? { DATABASE_URL: databaseUrl, DB_POOL_SIZE: "20" } : {}),
      },
      {
        timeoutMs: 120_000,
        compiled: true,
        nodeArgs: process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [],
      },
    );
    const api = client(server, await token(server, ADMIN.email, ADMIN.password));
    log(engine, "creation against healthz, alternately");
    const result = await benchCreation({ url: server.url, pid: server.child.pid as number }, api, {
      engine,
      rounds: args.quick ? 3 : 5,
      perRound: args.quick ? 300 : 1000,
      healthzPerRound: args.quick ? 1000 : 4000,
    });
    log(engine, "beside the server's cheapest API requests");
    const listed = (await api("GET", "/api/v1/tickets?limit=100")) as { items: { id: number }[] };
    const neighbours = await benchNeighbourRequests({ url: server.url, pid: server.child.pid as number }, api, {
      engine,
      rounds: args.quick ? 2 : 3,
      perRound: args.quick ? 1000 : 3000,
      ticketIds: listed.items.map((t) => t.id),
    });
    log(engine, "the least a creation does, without the server");
    if (pgServer) await createDatabase(pgServer, "loopdesk_floor");
    const floor = await measureCreationFloor({
      engine,
      url: pgServer?.socketUrl("loopdesk_floor"),
      tickets: args.quick ? 500 : 2000,
    });
    log(engine, "HTTP and the ticket's insert only, against the server's /healthz");
    if (pgServer) await createDatabase(pgServer, "loopdesk_http_floor");
    const httpFloor = await measureHttpFloor({
      engine,
      url: pgServer?.socketUrl("loopdesk_http_floor"),
      server: { url: server.url, pid: server.child.pid as number },
      rounds: args.quick ? 2 : 4,
      perRound: args.quick ? 600 : 2000,
      healthzPerRound: args.quick ? 1000 : 4000,
    });
    const file = path.join(
      here,
      "results",
      `${new Date().toISOString().slice(0, 10)}-${engine}-creation${args.quick ? "-quick" : ""}.json`,
    );
    const machine = machineInfo();
    const creation = { ...result, floor, httpFloor, neighbours };
    fs.writeFileSync(file, `${JSON.stringify({ engine, machine, creation, at: new Date().toISOString() }, null, 2)}\n`);
    log(engine, "creation", {
      ratio: result.ratio,
      p99: result.p99Ms,
      cpuMs: result.cpuMsPerCreation,
      search: result.searchedAtOnce.found,
      floor,
      httpFloor,
      refused: neighbours.refused.ratio,
      read: neighbours.read.ratio,
    });
    log("wrote", path.relative(process.cwd(), file));
  } finally {
    await server?.stop();
    pgServer?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Issue 23: start-up time, idle memory and data size of the compiled server on the embedded engine. */
async function runStartupBench() {
  log("startup: first start with the demo, restarts, idle memory, data size");
  const result = await benchStartup({
    quick: args.quick,
    admin: ADMIN,
    client: async (url, email, password) => {
      const server = { url } as RunningServer;
      return client(server, await token(server, email, password));
    },
  });
  const file = path.join(here, "results", `${new Date().toISOString().slice(0, 10)}-pglite-startup${args.quick ? "-quick" : ""}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ engine: "pglite", startup: result, at: new Date().toISOString() }, null, 2)}\n`);
  log("startup", result);
  log("wrote", path.relative(process.cwd(), file));
}

/** Issue 23: Chinese full-text and phone search at 1M tickets on PostgreSQL and 100k on PGlite (--quick: 20k). */
async function benchSearchEngine(engine: "pglite" | "postgres") {
  const pgServer = engine === "postgres" ? await startPostgres({ durable: true }) : undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `loopdesk-bench-search-${engine}-`));
  let server: RunningServer | undefined;
  try {
    let databaseUrl: string | undefined;
    if (pgServer) {
      await createDatabase(pgServer, "loopdesk_search");
      databaseUrl = pgServer.socketUrl("loopdesk_search");
    }
    const env = {
      ...benchServerEnv(dataDir),
      ...(databaseUrl ? { DATABASE_URL: databaseUrl, DB_POOL_SIZE: "20" } : {}),
    };
    server = await spawnServer(env, { timeoutMs: 120_000, compiled: true });
    let api = client(server, await token(server, ADMIN.email, ADMIN.password));
    const deps = (await Promise.all([1, 2, 3, 4, 5].map((i) => api("POST", "/api/v1/departments", { name: `部门 ${i}` })))) as {
      id: number;
    }[];
    const agent = (await api("POST", "/api/v1/staff", {
      email: "agent@bench.local",
      name: "基准客服",
      password: "agent-password-1",
      departmentIds: [deps[0]?.id],
    })) as { id: number };
    await server.stop();
    const tickets = args.sizes ? Number(args.sizes) : args.quick ? 20_000 : engine === "postgres" ? 1_000_000 : 100_000;
    log(engine, `search: loading ${tickets} tickets`);
    const database = databaseUrl
      ? await openDatabase({ engine: "postgres", url: databaseUrl, poolSize: 4 })
      : await openDatabase({ engine: "pglite", dataDir: path.join(dataDir, "pg") });
    const t0 = performance.now();
    const { customers } = await loadSearchWorkspace(database.db, {
      tickets,
      departmentIds: deps.map((d) => d.id),
      agentIds: [agent.id],
      onProgress: (step) => log(engine, "search:", step),
    });
    const loadSeconds = round((performance.now() - t0) / 1000);
    await database.close();
    server = await spawnServer(env, { timeoutMs: 300_000, compiled: true });
    api = client(server, await token(server, ADMIN.email, ADMIN.password));
    const agentApi = client(server, await token(server, "agent@bench.local", "agent-password-1"));
    log(engine, "search: measuring");
    const result = await measureSearch(
      { admin: api, agent: agentApi },
      { runs: args.quick ? 30 : 200, customers, agent: { id: agent.id, departmentId: deps[0]?.id as number } },
    );
    const file = path.join(here, "results", `${new Date().toISOString().slice(0, 10)}-${engine}-search${args.quick ? "-quick" : ""}.json`);
    const machine = machineInfo();
    fs.writeFileSync(
      file,
      `${JSON.stringify({ engine, machine, search: { tickets, customers, loadSeconds, ...result }, at: new Date().toISOString() }, null, 2)}\n`,
    );
    log(engine, "search: worst p99", result.worstP99Ms, "ms");
    log("wrote", path.relative(process.cwd(), file));
  } finally {
    await server?.stop();
    pgServer?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Issue 23: report reads on the primary against a streaming replica (two servers, the same primary, alternately). */
async function benchReplicaPostgres() {
  const pgServer = await startPostgres({ durable: true });
  let standby: PostgresServer | undefined;
  const servers: RunningServer[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-bench-replica-"));
  try {
    await createDatabase(pgServer, "loopdesk_replica");
    const databaseUrl = pgServer.socketUrl("loopdesk_replica");
    const env = {
      ...benchServerEnv(dataDir),
      DATABASE_URL: databaseUrl,
    };
    // The first start creates the administrator; then a year of tickets with their report rollups.
    const first = await spawnServer(env, { timeoutMs: 120_000, compiled: true });
    await first.stop();
    const tickets = args.sizes ? Number(args.sizes) : args.quick ? 20_000 : 300_000;
    log(`replica: loading ${tickets} tickets`);
    const database = await openDatabase({ engine: "postgres", url: databaseUrl, poolSize: 4 });
    await seedReportWorkspace(database.db, tickets);
    await database.close();
    log("replica: base backup for the standby");
    standby = await startStandby(pgServer);
    const withReplica = await spawnServer(
      { ...env, DATABASE_READ_URL: standby.socketUrl("loopdesk_replica") },
      { timeoutMs: 120_000, compiled: true },
    );
    servers.push(withReplica);
    const primaryOnly = await spawnServer(env, { timeoutMs: 120_000, compiled: true });
    servers.push(primaryOnly);
    const modes = [
      {
        name: "primary" as const,
        api: client(primaryOnly, await token(primaryOnly, ADMIN.email, ADMIN.password)),
        serverPid: primaryOnly.child.pid as number,
      },
      {
        name: "replica" as const,
        api: client(withReplica, await token(withReplica, ADMIN.email, ADMIN.password)),
        serverPid: withReplica.child.pid as number,
      },
    ];
    log("replica: measuring");
    const result = await benchReplica(modes, {
      primaryDir: pgServer.dataDir,
      standbyDir: standby.dataDir,
      rounds: args.quick ? 2 : 4,
      reportsPerRound: args.quick ? 20 : 80,
      mixedSeconds: args.quick ? 5 : 15,
    });
    const status = await modes[1]?.api("GET", "/api/v1/system/database");
    const file = path.join(here, "results", `${new Date().toISOString().slice(0, 10)}-postgres-replica${args.quick ? "-quick" : ""}.json`);
    fs.writeFileSync(
      file,
      `${JSON.stringify({ engine: "postgres", machine: machineInfo(), tickets, replica: result, replicaStatus: status, at: new Date().toISOString() }, null, 2)}\n`,
    );
    log("replica", JSON.stringify(result.summary));
    log("wrote", path.relative(process.cwd(), file));
  } finally {
    for (const s of servers) await s.stop();
    standby?.stop();
    pgServer.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Issue 23: which of the tickets table's indexes the application's statements use, on a year of
 * tickets — every statement's plan logged (auto_explain) while the API is used as people use it
 * and the background passes run.
 */
async function benchIndexesPostgres() {
  const pgServer = await startPostgres({ durable: true, settings: planLogSettings });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-bench-indexes-"));
  let server: RunningServer | undefined;
  try {
    await createDatabase(pgServer, "loopdesk_indexes");
    const databaseUrl = pgServer.socketUrl("loopdesk_indexes");
    const env = { ...benchServerEnv(dataDir), DATABASE_URL: databaseUrl };
    const first = await spawnServer(env, { timeoutMs: 120_000, compiled: true });
    await first.stop();
    const tickets = args.sizes ? Number(args.sizes) : args.quick ? 20_000 : 300_000;
    log(`indexes: loading ${tickets} tickets`);
    const database = await openDatabase({ engine: "postgres", url: databaseUrl, poolSize: 2 });
    // Half a year of report data (categories, facts), half a desk's tickets in every status, priority and with tags.
    await seedReportWorkspace(database.db, tickets / 2);
    const idsOf = async (table: "departments" | "staff" | "customers", limit: number) =>
      (await database.db.selectFrom(table).select("id").orderBy("id").limit(limit).execute()).map((r) => r.id);
    await addTickets(database.db, {
      from: 1,
      to: tickets / 2,
      total: tickets / 2,
      departmentIds: await idsOf("departments", 10),
      agentIds: await idsOf("staff", 200),
      customerIds: await idsOf("customers", 20_000),
    });
    server = await spawnServer(env, { timeoutMs: 120_000, compiled: true });
    const admin = client(server, await token(server, ADMIN.email, ADMIN.password));
    const departments = (await admin("GET", "/api/v1/departments")) as { items: { id: number }[] };
    const department = departments.items[0]?.id as number;
    const password = "review-password-1";
    const agent = (await admin("POST", "/api/v1/staff", {
      email: "agent@review.local",
      name: "客服",
      password,
      departmentIds: [department],
    })) as {
      id: number;
    };
    await admin("POST", "/api/v1/staff", {
      email: "lead@review.local",
      name: "主管",
      password,
      role: "supervisor",
      departmentIds: departments.items.map((d) => d.id),
    });
    await admin("POST", "/api/v1/tickets", { subject: "登录不了", description: "登录不了账户", customer: { email: "review@example.cn" } });
    await database.db
      .updateTable("customers")
      .set({ password_hash: await hashPassword(password) })
      .where("id", "in", (eb) => eb.selectFrom("customer_identities").select("customer_id").where("value", "=", "review@example.cn"))
      .execute();
    const busiest = await database.db
      .selectFrom("tickets")
      .select(["customer_id", "category_id"])
      .where("category_id", "is not", null)
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    const logFile = path.join(path.dirname(pgServer.dataDir), "log");
    const requests: Recorded[] = [];
    const plain = {
      admin,
      supervisor: client(server, await token(server, "lead@review.local", password)),
      agent: client(server, await token(server, "agent@review.local", password)),
      customer: await sessionCaller(server.url, "review@example.cn", password, "customer"),
    };
    const callers = Object.fromEntries(
      Object.entries(plain).map(([name, api]) => [name, recording(api, name, logFile, requests)]),
    ) as typeof plain;
    const from = fs.statSync(logFile).size;
    await logPlans(database.db, true);
    log("indexes: using the API");
    await exerciseTickets(callers, {
      department,
      category: busiest.category_id as number,
      agent: agent.id,
      customer: busiest.customer_id as number,
    });
    // The background passes (SLA sweep, automations, routing, auto-close) run meanwhile.
    await new Promise((r) => setTimeout(r, args.quick ? 10_000 : 70_000));
    await logPlans(database.db, false);
    const plans = plansInLog(logFile, from);
    const indexes = await indexesOf(database.db, "tickets");
    const usage = indexUsage(
      plans,
      indexes.map((i) => i.name),
      "tickets",
    ).map((u, i) => ({ ...u, definition: indexes[i]?.definition, sizeMiB: indexes[i]?.sizeMiB }));
    // Each index that a read request used (keys aside): those requests with it and without it.
    log("indexes: the requests that used each index, with and without it");
    const readsByIndex = new Map<string, Recorded[]>();
    for (const r of requests.filter((r) => r.method === "GET")) {
      const used = new Set<string>();
      for (const { plan } of plansInLog(logFile, r.from, r.to)) for (const i of indexesIn(plan, "tickets")) used.add(i);
      for (const i of used) readsByIndex.set(i, [...(readsByIndex.get(i) ?? []), r]);
    }
    const withAndWithout: Json[] = [];
    for (const index of indexes.filter((i) => !/_pkey$|_key$/.test(i.name))) {
      const reads = readsByIndex.get(index.name) ?? [];
      if (!reads.length) continue;
      // At most 8 of them, spread over the callers and kinds.
      const sample = reads.filter((_, i) => i % Math.ceil(reads.length / 8) === 0);
      const timed = await withoutIndex(
        database.db,
        index,
        sample.map((r) => ({ api: plain[r.caller as keyof typeof plain], url: r.url, caller: r.caller })),
        args.quick ? 3 : 7,
      );
      const worst = timed.reduce((a, b) => (b.withoutMs - b.withMs > a.withoutMs - a.withMs ? b : a));
      log(`${index.name}: ${reads.length} requests; worst without it ${worst.withMs} → ${worst.withoutMs} ms (${worst.url})`);
      withAndWithout.push({ index: index.name, requests: reads.length, timed: timed.map((t, i) => ({ ...t, caller: sample[i]?.caller })) });
    }
    await database.close();
    const file = path.join(here, "results", `${new Date().toISOString().slice(0, 10)}-postgres-indexes${args.quick ? "-quick" : ""}.json`);
    fs.writeFileSync(
      file,
      `${JSON.stringify({ engine: "postgres", machine: machineInfo(), tickets, statements: plans.length, usage, withAndWithout, at: new Date().toISOString() }, null, 2)}\n`,
    );
    for (const u of usage) log(`${u.statements.toString().padStart(4)}  ${u.index}`);
    log("wrote", path.relative(process.cwd(), file));
  } finally {
    await server?.stop();
    pgServer.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Issue 23: the mixed-load day (agents and customers together) at rising arrival rates, on PostgreSQL. */
async function benchMixedPostgres() {
  const pgServer = await startPostgres({ durable: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-bench-mixed-"));
  let server: RunningServer | undefined;
  try {
    await createDatabase(pgServer, "loopdesk_mixed");
    const url = pgServer.socketUrl("loopdesk_mixed");
    const smtpPort = await freePort();
    server = await spawnServer(
      {
        DATA_DIR: dataDir,
        DATABASE_URL: url,
        DB_POOL_SIZE: "20",
        LOOPDESK_ADMIN_EMAIL: ADMIN.email,
        LOOPDESK_ADMIN_PASSWORD: ADMIN.password,
        LOOPDESK_DEMO: "false",
        LOG_LEVEL: "warn",
        SMTP_INBOUND_PORT: String(smtpPort),
        SMTP_INBOUND_HOST: "127.0.0.1",
      },
      { timeoutMs: 120_000, compiled: true },
    );
    const database = await openDatabase({ engine: "postgres", url, poolSize: 2 });
    const pid = server.child.pid as number;
    const agents = args.agents ? Number(args.agents) : args.quick ? 60 : 300;
    const rates = args.rates ? args.rates.split(",").map(Number) : args.quick ? [5, 10] : [5, 10, 15, 20, 25, 30];
    log(`mixed: ${agents} agents, arrival rates ${rates.join(", ")}/s`);
    const result = await benchMixed({
      url: server.url,
      smtpPort,
      admin: ADMIN,
      agents,
      rates,
      stepSeconds: args.quick ? 20 : 60,
      portalCustomers: args.quick ? 30 : 200,
      backlog: async () =>
        Number(
          (
            await database.db
              .selectFrom("jobs")
              .select((eb) => eb.fn.countAll<number>().as("n"))
              .where("status", "=", "queued")
              .where("run_at", "<=", new Date())
              .executeTakeFirstOrThrow()
          ).n,
        ),
      // CPU of the server process and of every PostgreSQL process (the benchmark's server is the only one).
      cpu: () => cpuSeconds(pid) + postgresCpuSeconds(),
      setCustomerPassword: async (email, password) => {
        const hash = await hashPassword(password);
        const row = await database.db
          .updateTable("customers")
          .set({ password_hash: hash })
          .where("id", "in", (eb) =>
            eb.selectFrom("customer_identities").select("customer_id").where("kind", "=", "email").where("value", "=", email),
          )
          .executeTakeFirst();
        return Number(row.numUpdatedRows) > 0;
      },
      onStep: (step) =>
        log("mixed", {
          rate: step.ratePerSecond,
          held: step.held,
          worstP99: step.worstP99Ms,
          errors: step.errors,
          cpuMsPerTicket: step.cpuMsPerTicket,
        }),
    });
    // Which of the tickets table's indexes the day's queries used (the index review reads this).
    const ticketIndexUsage = (
      await sql<{ index: string; scans: number; sizeMiB: number }>`
        select indexrelname as index, idx_scan::int as scans, round(pg_relation_size(indexrelid) / 1048576.0, 1)::float as "sizeMiB"
        from pg_stat_user_indexes where relname = 'tickets' order by idx_scan desc, indexrelname`.execute(database.db)
    ).rows;
    await database.close();
    const machine = machineInfo();
    const file = path.join(here, "results", `${new Date().toISOString().slice(0, 10)}-postgres-mixed${args.quick ? "-quick" : ""}.json`);
    fs.writeFileSync(
      file,
      `${JSON.stringify({ engine: "postgres", machine, mixed: result, ticketIndexUsage, at: new Date().toISOString() }, null, 2)}\n`,
    );
    log("mixed: highest rate held", result.highestHeldPerSecond);
    log("wrote", path.relative(process.cwd(), file));
  } finally {
    await server?.stop();
    pgServer.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Creation and queue listings at 100,000 and 1,000,000 tickets (`--only listing` runs just these). */
async function benchListing(engine: "pglite" | "postgres") {
  const sizes = args.sizes ? args.sizes.split(",").map(Number) : args.quick ? [10_000] : [100_000, 1_000_000];
  const result = await benchEngine(engine, sizes);
  const at = new Date().toISOString();
  result.at = at;
  const file = path.join(here, "results", `${at.slice(0, 10)}-${engine}${args.quick ? "-quick" : ""}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log("wrote", path.relative(process.cwd(), file));
}

async function main() {
  const engines = args.engine === "all" ? (["pglite", "postgres"] as const) : [args.engine as "pglite" | "postgres"];
  if (args.only === "routing") {
    await benchRoutingPostgres();
    if (!args.quick) writeReport(path.join(here, "results"), path.join(here, "..", "docs", "performance.md"));
    return;
  }
  if (args.only === "processes") {
    await benchProcessesPostgres();
    if (!args.quick) writeReport(path.join(here, "results"), path.join(here, "..", "docs", "performance.md"));
    return;
  }
  if (args.only === "classification") {
    await runClassificationBench();
    if (!args.quick) writeReport(path.join(here, "results"), path.join(here, "..", "docs", "performance.md"));
    return;
  }
  if (args.only === "knowledge") {
    await runKnowledgeBench();
    if (!args.quick) writeReport(path.join(here, "results"), path.join(here, "..", "docs", "performance.md"));
    return;
  }
  if (args.only === "import") {
    await benchImportPostgres();
    if (!args.quick) writeReport(path.join(here, "results"), path.join(here, "..", "docs", "performance.md"));
    return;
  }
  if (args.only === "scale") {
    await benchScalePglite();
    if (!args.quick) writeReport(path.join(here, "results"), path.join(here, "..", "docs", "performance.md"));
    return;
  }
  if (args.mixed || args.only === "mixed") {
    await benchMixedPostgres();
    if (!args.quick) writeReport(path.join(here, "results"), path.join(here, "..", "docs", "performance.md"));
    return;
  }
  if (args.only === "search") {
    for (const engine of engines) await benchSearchEngine(engine);
    if (!args.quick) writeReport(path.join(here, "results"), path.join(here, "..", "docs", "performance.md"));
    return;
  }
  if (args.only === "indexes") {
    await benchIndexesPostgres();
    return;
  }
  if (args.only === "replica") {
    await benchReplicaPostgres();
    if (!args.quick) writeReport(path.join(here, "results"), path.join(here, "..", "docs", "performance.md"));
    return;
  }
  if (args.only === "startup") {
    await runStartupBench();
    if (!args.quick) writeReport(path.join(here, "results"), path.join(here, "..", "docs", "performance.md"));
    return;
  }
  if (args.only === "creation") {
    for (const engine of engines) await benchCreationEngine(engine);
    if (!args.quick) writeReport(path.join(here, "results"), path.join(here, "..", "docs", "performance.md"));
    return;
  }
  if (args.only === "analytics") {
    for (const engine of engines) await benchAnalyticsEngine(engine);
    if (!args.quick) writeReport(path.join(here, "results"), path.join(here, "..", "docs", "performance.md"));
    return;
  }
  for (const engine of engines) {
    await benchListing(engine);
    if (args.only === "listing") continue;
    await benchAnalyticsEngine(engine);
    if (engine === "postgres") {
      await benchRoutingPostgres();
      await benchProcessesPostgres();
    }
  }
  if (args.only !== "listing") {
    await runClassificationBench();
    await runKnowledgeBench();
    await benchImportPostgres();
  }
  if (!args.quick) writeReport(path.join(here, "results"), path.join(here, "..", "docs", "performance.md"));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
