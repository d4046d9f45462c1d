import { createHash } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/schema";
import { AppError, ValidationError } from "../errors";

export type StoredResponse = { status: number; body: unknown };

/**
 * Runs `work` once per (principal, Idempotency-Key). The key is reserved inside the same
 * transaction as the work, so a retry after a crash either finds the committed response or
 * redoes the work; a concurrent duplicate waits for the first and gets its response.
 */
export async function withIdempotency(
  db: Kysely<DB>,
  opts: { principal: string; key: string | undefined; request: unknown },
  work: (trx: Transaction<DB>) => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  if (opts.key === undefined) return { ...(await db.transaction().execute(work)), replayed: false };
  if (opts.key.length < 1 || opts.key.length > 200)
    throw ValidationError([{ path: "Idempotency-Key", code: "invalid", message: "Idempotency-Key must be 1–200 characters." }]);
  const key = opts.key;
  const requestHash = createHash("sha256").update(JSON.stringify(opts.request)).digest("hex");
  const replay = async () => {
    const row = await db
      .selectFrom("idempotency_keys")
      .selectAll()
      .where("principal", "=", opts.principal)
      .where("key", "=", key)
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.request_hash !== requestHash)
      throw new AppError(422, "idempotency_conflict", "This Idempotency-Key was used with a different request.");
    return { status: row.status_code, body: row.response, replayed: true };
  };
  const earlier = await replay();
  if (earlier) return earlier;
  const result = await db.transaction().execute(async (trx) => {
    const reserved = await trx
      .insertInto("idempotency_keys")
      .values({ principal: opts.principal, key, request_hash: requestHash, status_code: 0, response: "null" })
      .onConflict((oc) => oc.columns(["principal", "key"]).doNothing())
      .returning("key")
      .executeTakeFirst();
    if (!reserved) return undefined; // a concurrent request with this key committed first
    const res = await work(trx);
    await trx
      .updateTable("idempotency_keys")
      .set({ status_code: res.status, response: JSON.stringify(res.body) })
      .where("principal", "=", opts.principal)
      .where("key", "=", key)
      .execute();
    return res;
  });
  if (result) return { ...result, replayed: false };
  const winner = await replay();
  if (!winner) throw new AppError(409, "conflict", "A request with this Idempotency-Key is in progress; retry.");
  return winner;
}
