import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../src/db/schema";

/**
 * Runs `work` in a transaction and keeps that transaction open, with its locks, until `release`
 * is called; resolves as soon as the work is done. `done` settles with the work's result once the
 * transaction has ended.
 */
export async function holdTransaction<T>(db: Kysely<DB>, work: (trx: Transaction<DB>) => Promise<T>) {
  let release = () => {};
  const held = new Promise<void>((r) => {
    release = r;
  });
  let worked = () => {};
  const workDone = new Promise<void>((r) => {
    worked = r;
  });
  const done = db.transaction().execute(async (trx) => {
    const result = await work(trx);
    worked();
    await held;
    return result;
  });
  // A failing work ends the transaction at once: its error surfaces here.
  await Promise.race([workDone, done]);
  return { done, release };
}
