import type { Kysely } from "kysely";
import type { Database } from "../../db/database";
import type { DB } from "../../db/schema";

/**
 * How long a principal is kept when no change is heard of: the bound on how stale a copy can be
 * if a notification was missed while the listening connection was down.
 */
const TTL_MS = 3000;
/** Notified by migration 0060's triggers when a change to staff, their departments or API tokens commits. */
const CHANNEL = "loopdesk_principals";
/** Kept at most; past it the copies are dropped (many tokens in a few seconds: none is worth keeping). */
const MAX_ENTRIES = 10_000;

type Entry = { at: number; value: Promise<unknown> };
const caches = new WeakMap<object, Map<string, Entry>>();

/**
 * Who a bearer token or a signed-in staff member's id stands for, kept per process, so a request
 * costs no authentication query (it was a sixth of a ticket creation's database time on the
 * embedded engine). Every process that watches (watchPrincipals) drops its copies when a change to
 * staff, staff departments or API tokens commits, whichever process made it; the process making the
 * change drops them at once (forgetPrincipals), as on PostgreSQL its own listener hears of the
 * commit a moment later. A lookup that finds nothing is not kept. `db` keys the cache.
 */
export function keptPrincipal<T>(db: Kysely<DB>, key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.value as Promise<T | undefined>;
  if (cache.size >= MAX_ENTRIES) cache.clear();
  const value = load();
  const kept = cache;
  kept.set(key, { at: now, value });
  const drop = () => {
    if (kept.get(key)?.value === value) kept.delete(key);
  };
  value.then((found) => found === undefined && drop(), drop);
  return value;
}

/** Drops this process's copies (after a change to staff, their departments or API tokens). */
export function forgetPrincipals(db: Kysely<DB>) {
  caches.get(db)?.clear();
}

/** Listens for committed changes and drops this process's copies; resolves to a function that stops. */
export function watchPrincipals(database: Pick<Database, "listen">, db: Kysely<DB>) {
  return database.listen(CHANNEL, () => forgetPrincipals(db));
}
