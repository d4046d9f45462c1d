import { createHash } from "node:crypto";
import { sql } from "kysely";
import type pg from "pg";

export const MARK = "/* prepared */";

/**
 * Marks a statement to be kept prepared on each PostgreSQL connection: parsed, analysed and
 * planned once, then only bound and executed. For the statements of the hot paths (a routing run,
 * the event outbox), where planning was about a quarter of the statements' time. Start a raw
 * statement with it (sql`${prepared} select …`) or append it to a built one (`.modifyEnd(prepared)`).
 * Only for statements whose text takes a bounded number of forms (arrays as parameters, not
 * lists of values) and whose result columns are named, never `*`: a migration that adds a column
 * must not change the result of a statement another process holds prepared.
 * On PGlite every statement is kept prepared anyway (one connection: db/pglite-statement.ts).
 */
export const prepared = sql.raw(`${MARK} `);

export const PLANNED_MARK = "/* planned with its values */";

/**
 * Marks a statement whose plan depends on its values — a search's words, a phone number's digits
 * (a LIKE prefix), the filters of a list. The embedded engine keeps every statement prepared
 * (db/pglite-statement.ts), and PostgreSQL plans a prepared statement once for any values after
 * its fifth run when that looks no costlier: marked, it is planned at every run with its values, as
 * the PostgreSQL engine plans its statements (unnamed). Append it: `.modifyEnd(plannedWithItsValues)`.
 */
export const plannedWithItsValues = sql.raw(` ${PLANNED_MARK}`);

const names = new Map<string, string>();
function nameOf(text: string) {
  let name = names.get(text);
  if (!name) {
    name = `ld_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

type Query = (...args: unknown[]) => unknown;

/**
 * Sends the marked statements of this connection as named statements (node-postgres prepares a
 * name once per connection and then reuses it).
 */
export function usePreparedStatements(client: pg.PoolClient) {
  // node-postgres types query() as a dozen overloads; Kysely calls it as query(text, values).
  const query = client.query.bind(client) as Query;
  (client as unknown as { query: Query }).query = (config: unknown, values?: unknown, ...rest: unknown[]) =>
    typeof config === "string" && Array.isArray(values) && config.includes(MARK)
      ? query({ name: nameOf(config), text: config, values }, ...rest)
      : query(config, values, ...rest);
}
