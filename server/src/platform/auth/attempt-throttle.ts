import type { Kysely } from "kysely";
import type { DB } from "../../db/schema";
import { TooManyRequestsError } from "../errors";

/**
 * A key's limit in the window. `growingFromMs`: past the limit the key is not shut for the whole
 * window but made to wait after its last failure, twice as long for each further failure
 * (starting at this many milliseconds, never longer than the window).
 */
export type ThrottleKey = { key: string; max: number; growingFromMs?: number };

/**
 * Failed attempts (sign-ins, status look-ups) counted per key in a sliding window; past a key's
 * limit every attempt answers 429 with Retry-After, even a correct one, until the window moves
 * (or, for a growing key, until its delay after the last failure has passed).
 */
export async function checkThrottle(db: Kysely<DB>, keys: ThrottleKey[], windowMs: number) {
  const since = new Date(Date.now() - windowMs);
  for (const { key, max, growingFromMs } of keys) {
    const rows = await db
      .selectFrom("login_failures")
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.min("failed_at").as("first"), eb.fn.max("failed_at").as("last")])
      .where("key", "=", key)
      .where("failed_at", ">", since)
      .executeTakeFirstOrThrow();
    const n = Number(rows.n);
    if (n < max) continue;
    const until =
      growingFromMs === undefined
        ? new Date(rows.first as Date).getTime() + windowMs
        : new Date(rows.last as Date).getTime() + Math.min(windowMs, growingFromMs * 2 ** (n - max));
    if (until > Date.now()) throw TooManyRequestsError(Math.max(1, Math.ceil((until - Date.now()) / 1000)));
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
