import type { Kysely } from "kysely";
import type { DB } from "../../db/schema";
import { TooManyRequestsError } from "../errors";

export type ThrottleKey = { key: string; max: number };

/**
 * Failed attempts (sign-ins, status look-ups) counted per key in a sliding window; past a key's
 * limit every attempt answers 429 with Retry-After, even a correct one, until the window moves.
 */
export async function checkThrottle(db: Kysely<DB>, keys: ThrottleKey[], windowMs: number) {
  const since = new Date(Date.now() - windowMs);
  for (const { key, max } of keys) {
    const rows = await db
      .selectFrom("login_failures")
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.min("failed_at").as("first")])
      .where("key", "=", key)
      .where("failed_at", ">", since)
      .executeTakeFirstOrThrow();
    if (Number(rows.n) >= max) {
      const first = rows.first ? new Date(rows.first as Date).getTime() : Date.now();
      throw TooManyRequestsError(Math.max(1, Math.ceil((first + windowMs - Date.now()) / 1000)));
    }
  }
}

export async function recordFailure(db: Kysely<DB>, keys: ThrottleKey[]) {
  await db
    .insertInto("login_failures")
    .values(keys.map((k) => ({ key: k.key })))
    .execute();
}

/** Forgets a key's failures (after a success). */
export async function clearFailures(db: Kysely<DB>, key: string) {
  await db.deleteFrom("login_failures").where("key", "=", key).execute();
}
