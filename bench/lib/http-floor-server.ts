/**
 * A server that does nothing but HTTP, JSON and a ticket's insert (bench/lib/http-floor.ts runs it):
 * the ceiling for any creation design that keeps those. POST /floor/single commits each ticket in
 * its own transaction; POST /floor/batched queues concurrent requests and commits up to 16 tickets
 * per transaction, one transaction under way at a time as the real server's creation queue does. No authentication, validation, customer, duplicate check or domain event.
 * Env: FLOOR_ENGINE (pglite | postgres), FLOOR_DB_URL or FLOOR_DIR, PORT.
 */
import Fastify from "fastify";
import { CompiledQuery } from "kysely";
import pg from "pg";
import { openDatabase } from "../../server/src/db/database";
import { migrateToLatest } from "../../server/src/db/migrate";
import { floorInsert } from "./creation-floor";

type Ticket = { subject: string; description: string };
type Statement = ReturnType<typeof floorInsert>;
/** Runs statements in one transaction and returns the last one's ids. */
type Commit = (statement: Statement) => Promise<number[]>;

const BATCH = 16;

async function committer(): Promise<{ commit: Commit; ping: () => Promise<void> }> {
  if (process.env.FLOOR_ENGINE === "pglite") {
    const database = await openDatabase({ engine: "pglite", dataDir: process.env.FLOOR_DIR as string });
    await migrateToLatest(database.db);
    await database.db.executeQuery(CompiledQuery.raw("insert into customers (name, custom_fields) values ('floor', '{}')"));
    return {
      commit: (s) =>
        database.db
          .transaction()
          .execute(async (trx) =>
            (await trx.executeQuery<{ id: number }>(CompiledQuery.raw(s.text, s.values))).rows.map((r) => Number(r.id)),
          ),
      ping: async () => void (await database.db.executeQuery(CompiledQuery.raw("select 1"))),
    };
  }
  const url = process.env.FLOOR_DB_URL as string;
  const schema = await openDatabase({ engine: "postgres", url, poolSize: 1 });
  await migrateToLatest(schema.db);
  await schema.close();
  const pool = new pg.Pool({ connectionString: url, max: 20 });
  await pool.query("insert into customers (name, custom_fields) values ('floor', '{}')");
  return {
    commit: async (s) => {
      const client = await pool.connect();
      try {
        await client.query("begin");
        const result = await client.query<{ id: string }>(s);
        await client.query("commit");
        return result.rows.map((r) => Number(r.id));
      } catch (error) {
        await client.query("rollback").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    ping: async () => void (await pool.query("select 1")),
  };
}

const { commit, ping } = await committer();

// Batched: requests wait in a queue; one flush at a time (as server/src/modules/tickets/creation-queue.ts), up to 16 per transaction.
const queue: { ticket: Ticket; done: (id: number) => void; failed: (e: unknown) => void }[] = [];
let flushing = 0;
let scheduled = false;
const batches = { transactions: 0, tickets: 0 };
async function flush() {
  flushing++;
  try {
    while (queue.length) {
      const batch = queue.splice(0, BATCH);
      batches.transactions++;
      batches.tickets += batch.length;
      try {
        const ids = await commit(floorInsert(batch.map((b) => b.ticket)));
        for (const [i, b] of batch.entries()) b.done(ids[i] as number);
      } catch (error) {
        for (const b of batch) b.failed(error);
      }
    }
  } finally {
    flushing--;
  }
}
const queued = (ticket: Ticket) =>
  new Promise<number>((done, failed) => {
    queue.push({ ticket, done, failed });
    // After this turn's other requests are read, so they join the same transaction.
    if (flushing < 1 && !scheduled) {
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        void flush();
      });
    }
  });

const app = Fastify({ logger: false });
app.get("/healthz", async () => {
  await ping();
  return { status: "ok" };
});
/** How full the batched transactions were. */
app.get("/floor/batches", async () => batches);
const ticketOf = (body: unknown): Ticket => {
  const { subject, description } = body as Ticket;
  return { subject, description };
};
app.post("/floor/single", async (req, reply) => {
  const ticket = ticketOf(req.body);
  const [id] = await commit(floorInsert([ticket]));
  return reply.code(201).send({ id, ...ticket });
});
app.post("/floor/batched", async (req, reply) => {
  const ticket = ticketOf(req.body);
  return reply.code(201).send({ id: await queued(ticket), ...ticket });
});
const address = await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
console.log(`listening ${address}`);
// Stopped by the benchmark: exit normally (so a --cpu-prof profile is written).
process.once("SIGTERM", () => void app.close().finally(() => process.exit(0)));
