import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CompiledQuery } from "kysely";
import pg from "pg";
import { openDatabase } from "../../server/src/db/database";
import { migrateToLatest } from "../../server/src/db/migrate";
import { generateCorpus } from "./classification-corpus";
import { cpuSeconds, postgresCpuSeconds } from "./creation-bench";
import { round } from "./load";

/** One statement inserting tickets, each with its first history event and search document (ids in the given order). */
export function floorInsert(tickets: { subject: string; description: string }[]) {
  const rows: string[] = [];
  const values: unknown[] = [];
  for (const t of tickets) {
    rows.push(`($${values.length + 1}, $${values.length + 2})`);
    values.push(t.subject, t.description);
  }
  const text = `with src (subject, description) as (values ${rows.join(", ")}),
    new_ticket as (
      insert into tickets (subject, description, customer_id, tags, custom_fields, missing_fields, participant_ids, priority_score, priority_parts, status_changed_at)
      select subject, description, (select min(id) from customers), '{}', '{}', '{}', '{}', 10, '{}', now() from src
      returning id, description),
    new_events as (insert into ticket_events (ticket_id, type, actor_type) select id, 'created', 'system' from new_ticket),
    new_search as (insert into ticket_search (ticket_id, document) select id, to_tsvector('simple', description) from new_ticket)
    select id from new_ticket order by id`;
  return { text, values, name: `floor_${tickets.length}` };
}

/**
 * The least a ticket creation has to do, measured without the server: a transaction that inserts
 * the ticket row, its first history event and its search document (one statement, the tables'
 * own indexes and triggers) — no authentication, customer, duplicate check, domain event or HTTP.
 * CPU per ticket is the database's plus the sending client's, one ticket per transaction as the
 * server commits them and, for comparison, 16 tickets per transaction (what a design that batched
 * concurrent requests together could reach at the database).
 */
export async function measureCreationFloor(opts: { engine: "pglite" | "postgres"; url?: string; tickets: number }) {
  const corpus = generateCorpus(4000, 23);
  let n = 0;
  const statement = (batch: number) =>
    floorInsert(
      Array.from({ length: batch }, () => {
        const i = n++;
        const text = (corpus[i % corpus.length] as { text: string }).text;
        return { subject: text.slice(0, 24), description: `${text}\n订单号 DD${String(40260000 + i)}` };
      }),
    );

  if (opts.engine === "postgres") {
    const url = opts.url as string;
    const schema = await openDatabase({ engine: "postgres", url, poolSize: 1 });
    await migrateToLatest(schema.db);
    await schema.close();
    const clients = await Promise.all(
      Array.from({ length: 16 }, async () => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        return c;
      }),
    );
    await clients[0]?.query("insert into customers (name, custom_fields) values ('floor', '{}')");
    const run = async (batch: number, total: number) => {
      let started = 0;
      const cpu0 = postgresCpuSeconds() + cpuSeconds(process.pid);
      await Promise.all(
        clients.map(async (c) => {
          while (started < total) {
            started += batch;
            await c.query("begin");
            await c.query(statement(batch));
            await c.query("commit");
          }
        }),
      );
      return round(((postgresCpuSeconds() + cpuSeconds(process.pid) - cpu0) * 1000) / started);
    };
    try {
      await run(1, opts.tickets / 4); // warm-up
      return { single: await run(1, opts.tickets), batchOf16: await run(16, opts.tickets * 4) };
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  }

  // PGlite: its own database in this process, through the server's dialect (one connection).
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-floor-"));
  const database = await openDatabase({ engine: "pglite", dataDir });
  try {
    await migrateToLatest(database.db);
    await database.db.executeQuery(CompiledQuery.raw("insert into customers (name, custom_fields) values ('floor', '{}')"));
    const run = async (batch: number, total: number) => {
      const cpu0 = cpuSeconds(process.pid);
      let done = 0;
      for (; done < total; done += batch) {
        const { text, values } = statement(batch);
        await database.db.transaction().execute((trx) => trx.executeQuery(CompiledQuery.raw(text, values)));
      }
      return round(((cpuSeconds(process.pid) - cpu0) * 1000) / done);
    };
    await run(1, opts.tickets / 4);
    return { single: await run(1, opts.tickets), batchOf16: await run(16, opts.tickets * 4) };
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
