import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { openDatabase } from "../../server/src/db/database";
import { migrateToLatest } from "../../server/src/db/migrate";
import { addTickets } from "./bulk-tickets";
import { round } from "./load";
import { watchRss } from "./portability-bench";

const log = (...a: unknown[]) => console.log(new Date().toISOString().slice(11, 19), ...a);

/** Bytes of every file under a directory. */
export function dirSize(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? dirSize(p) : fs.statSync(p).size;
  }
  return total;
}

/** Runs a `loopdesk` command to its end: its time and its peak resident set. */
async function timed(serverDir: string, args: string[], env: Record<string, string>) {
  const t = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
    cwd: serverDir,
    env: { ...process.env, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => {
    out += String(d);
  });
  child.stderr?.on("data", (d) => {
    out += String(d);
  });
  const peak = watchRss(child.pid as number);
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? -1)));
  if (code !== 0) throw new Error(`loopdesk ${args[0]} exited ${code}: ${out.slice(-2000)}`);
  return { seconds: round((performance.now() - t) / 1000), peakRssMiB: peak(), output: out };
}

/**
 * Issue 22: an embedded (PGlite) workspace with N tickets — each with a reply and its history
 * (created, status changes), 50,000 customers with their email — made straight in SQL; then
 * `loopdesk export` of it and `loopdesk move-to-postgres` into an empty PostgreSQL database,
 * each timed with the command's peak RSS.
 */
export async function benchScale(opts: { tickets: number; dataDir: string; serverDir: string; postgresUrl: string }) {
  const pgDir = path.join(opts.dataDir, "pg");
  let t = performance.now();
  const database = await openDatabase({ engine: "pglite", dataDir: pgDir });
  const db = database.db;
  await migrateToLatest(db);
  const customers = 50_000;
  await sql`insert into departments (name) select '部门 ' || g from generate_series(1, 5) g`.execute(db);
  await sql`insert into staff (email, name, role, password_hash)
    select 'agent' || g || '@scale.test', '客服 ' || g, 'agent', 'x' from generate_series(1, 40) g`.execute(db);
  await sql`insert into customers (name, custom_fields) select '客户 ' || g, '{}' from generate_series(1, ${customers}::int) g`.execute(db);
  await sql`insert into customer_identities (customer_id, kind, value) select id, 'email', 'c' || id || '@scale.test' from customers`.execute(
    db,
  );
  const ids = async (table: "departments" | "staff" | "customers") =>
    (await db.selectFrom(table).select("id").orderBy("id").execute()).map((r) => r.id);
  const [departmentIds, agentIds, customerIds] = await Promise.all([ids("departments"), ids("staff"), ids("customers")]);
  const batch = 100_000;
  for (let from = 1; from <= opts.tickets; from += batch) {
    const to = Math.min(opts.tickets, from + batch - 1);
    await addTickets(db, { from, to, total: opts.tickets, departmentIds, agentIds, customerIds, batch });
    const range = await sql<{
      lo: number;
      hi: number;
    }>`select min(id) as lo, max(id) as hi from tickets where id > (select coalesce(max(ticket_id), 0) from ticket_events)`.execute(db);
    const { lo, hi } = range.rows[0];
    await sql`insert into ticket_messages (ticket_id, visibility, author_type, author_customer_id, body_text, channel, created_at)
      select id, 'public', 'customer', customer_id, subject || '：设备开机后没有反应，指示灯不亮，已经试过换插座。', channel, created_at
      from tickets where id between ${lo} and ${hi}`.execute(db);
    await sql`insert into ticket_messages (ticket_id, visibility, author_type, author_staff_id, body_text, channel, created_at)
      select id, 'public', 'staff', assignee_id, '您好，已为您安排工程师上门检修，请保持电话畅通。', channel, first_response_at
      from tickets where id between ${lo} and ${hi} and first_response_at is not null and assignee_id is not null`.execute(db);
    await sql`insert into ticket_events (ticket_id, type, actor_type, actor_id, data, created_at)
      select id, 'created', 'customer', customer_id, '{"complete": true}'::jsonb, created_at from tickets where id between ${lo} and ${hi}`.execute(
      db,
    );
    await sql`insert into ticket_events (ticket_id, type, actor_type, actor_id, field, before, after, created_at)
      select id, 'status_changed', 'staff', assignee_id, 'status', '"new"'::jsonb, to_jsonb(status), coalesce(solved_at, updated_at)
      from tickets where id between ${lo} and ${hi} and status <> 'new'`.execute(db);
    log(`scale: ${to} tickets`);
  }
  const counts = await sql<{ tickets: number; messages: number; events: number }>`select
      (select count(*)::int from tickets) as tickets, (select count(*)::int from ticket_messages) as messages,
      (select count(*)::int from ticket_events) as events`.execute(db);
  await database.close();
  const buildSeconds = round((performance.now() - t) / 1000);
  const dataDirMiB = round(dirSize(pgDir) / 1024 / 1024);
  log("scale: built", counts.rows[0], `${buildSeconds} s, ${dataDirMiB} MiB`);

  const env = { DATA_DIR: opts.dataDir };
  const archive = path.join(opts.dataDir, "..", `scale-export-${Date.now()}.tar.gz`);
  log("scale: export");
  const exported = await timed(opts.serverDir, ["export", "--out", archive], env);
  const archiveMiB = round(fs.statSync(archive).size / 1024 / 1024);
  fs.rmSync(archive, { force: true });
  log("scale: move-to-postgres");
  t = performance.now();
  const moved = await timed(opts.serverDir, ["move-to-postgres", "--to", opts.postgresUrl], env);
  return {
    ...counts.rows[0],
    customers,
    buildSeconds,
    dataDirMiB,
    export: { seconds: exported.seconds, peakRssMiB: exported.peakRssMiB, archiveMiB },
    moveToPostgres: {
      seconds: moved.seconds,
      peakRssMiB: moved.peakRssMiB,
      rowsPerSecond: Math.round((counts.rows[0].tickets + counts.rows[0].messages + counts.rows[0].events) / moved.seconds),
    },
  };
}
