import { createHash } from "node:crypto";
import { type Kysely, type Transaction, sql } from "kysely";
import type { DB } from "../../db/schema";
import type { WorkspaceTable } from "./workspace-tables";

type Executor = Kysely<DB> | Transaction<DB>;

/** Rows read or written per statement: big enough to be fast, small enough to keep memory flat. */
export const BATCH_ROWS = 1000;

/**
 * A table's rows as JSON text (`to_jsonb` of the row: every type has a faithful JSON form — bytea
 * as \x-hex, timestamps as ISO text in the session's zone, tsvectors as their text), a batch at a
 * time in primary-key order. Callers read inside a transaction with the time zone set to UTC so
 * that two engines write the same text.
 */
export async function* readRows(db: Executor, table: WorkspaceTable): AsyncGenerator<string[]> {
  const keys = table.key.map((k) => sql.ref(`t.${k}`));
  let after: unknown[] | undefined;
  for (;;) {
    const where = after ? sql`where (${sql.join(keys)}) > (${sql.join(after)})` : sql``;
    // Text, not parsed values: numbers, keys and microseconds stay exactly as the database wrote them.
    const res = await sql<Record<string, unknown> & { row: string }>`
      select to_jsonb(t)::text as row, ${sql.join(keys.map((k, i) => sql`${k}::text as ${sql.id(`k${i}`)}`))}
      from ${sql.table(table.name)} t ${where}
      order by ${sql.join(keys)} limit ${BATCH_ROWS}`.execute(db);
    if (!res.rows.length) return;
    const last = res.rows[res.rows.length - 1];
    after = table.key.map((_, i) => last[`k${i}`]);
    yield res.rows.map((r) => r.row);
    if (res.rows.length < BATCH_ROWS) return;
  }
}

/**
 * Writes rows given as JSON text; `jsonb_populate_recordset` turns each JSON value back into its
 * column's type, and identity columns keep the values they had.
 */
export async function writeRows(db: Executor, table: WorkspaceTable, rows: string[]) {
  if (!rows.length) return;
  const columns = sql.join(table.columns.map((c) => sql.id(c)));
  await sql`insert into ${sql.table(table.name)} (${columns}) overriding system value
    select ${columns} from jsonb_populate_recordset(null::${sql.table(table.name)}, ${`[${rows.join(",")}]`}::jsonb)`.execute(db);
}

/**
 * An order-independent digest of a table's rows: the count and the sum (mod 2^64) of each row's
 * SHA-256 prefix. Two copies of a table have the same digest exactly when they hold the same rows,
 * whatever order either engine returns them in.
 */
export class RowDigest {
  rows = 0;
  private sum = 0n;
  add(rows: string[]) {
    for (const r of rows) {
      this.sum = (this.sum + createHash("sha256").update(r).digest().readBigUInt64BE(0)) & 0xffffffffffffffffn;
      this.rows++;
    }
  }
  get value() {
    return this.sum.toString(16).padStart(16, "0");
  }
}
