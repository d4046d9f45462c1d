import { type Transaction, sql } from "kysely";
import { prepared } from "../../db/prepared-statements";
import type { DB } from "../../db/schema";

/**
 * Takes over up to `limit` due jobs of one queue in the caller's transaction: they are locked
 * (rows other workers hold are skipped) and marked completed in one statement, so they complete
 * exactly when the caller's work commits and become due again if it rolls back. For a batch
 * handler that had to wait (for a lock, its turn): what arrived meanwhile joins its run instead of
 * waiting for the next one.
 */
export async function takeDueJobs<P>(trx: Transaction<DB>, queue: string, limit: number): Promise<P[]> {
  if (limit <= 0) return [];
  const { rows } = await sql<{ payload: P }>`${prepared}
    update jobs set status = 'completed', attempts = attempts + 1, completed_at = now(), last_error = null
    where id in (
      select id from jobs
      where status = 'queued' and queue = ${queue} and run_at <= greatest(now(), ${new Date()}::timestamptz)
      order by run_at, id
      limit ${limit}
      for update skip locked
    )
    returning payload`.execute(trx);
  return rows.map((r) => r.payload);
}
