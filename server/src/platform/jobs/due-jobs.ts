import { type Kysely, type Transaction, sql } from "kysely";
import { prepared } from "../../db/prepared-statements";
import type { DB } from "../../db/schema";

/** Jobs waiting to run whose time has come. */
const queuedAndDue = (db: Kysely<DB> | Transaction<DB>) =>
  db
    .selectFrom("jobs")
    .where("status", "=", "queued")
    // The database's clock as well as ours: a job written a moment ago (run_at = the database's
    // now(), in microseconds) is due even when our millisecond clock has not passed it yet.
    .where("run_at", "<=", sql<Date>`greatest(now(), ${new Date()}::timestamptz)`);

/** Due jobs, oldest first, locked for this transaction; rows other workers hold are skipped. */
export const dueJobs = (trx: Transaction<DB>) =>
  queuedAndDue(trx).select(["id", "queue", "payload", "attempts", "max_attempts"]).orderBy("run_at").orderBy("id").forUpdate().skipLocked();

/** Whether any job of these queues is due: one plain read, no transaction (an idle worker's poll). */
export async function anyJobDue(db: Kysely<DB>, queues: string[]) {
  // Kept prepared: a worker's queues are the same at every poll.
  return (await queuedAndDue(db).select("id").where("queue", "in", queues).limit(1).modifyEnd(prepared).executeTakeFirst()) !== undefined;
}
