import { type Kysely, sql } from "kysely";
import type { DB } from "../../db/schema";
import { RowDigest, readRows, writeRows } from "./table-rows";
import { type SequenceValue, type WorkspaceTable, setSequences, workspaceTables } from "./workspace-tables";

export type LoadProgress = (step: { table: string; rows: number; of?: number }) => void;

/**
 * Loads a whole workspace into this database (which holds the same schema and no workspace yet),
 * table by table, parents before children. One transaction: triggers are off while rows go in
 * (they already did their work where the rows come from — counters, search text, analytics marks),
 * rows the migrations seeded are replaced, every sequence is set where it stood, and either all of
 * it is there afterwards or none of it.
 */
export async function loadTables(
  db: Kysely<DB>,
  source: {
    tables?: string[];
    rowsOf: (table: WorkspaceTable) => AsyncIterable<string[]>;
    expected?: (table: string) => number | undefined;
    sequences: () => Promise<SequenceValue[]>;
  },
  progress: LoadProgress = () => {},
) {
  await db.transaction().execute(async (trx) => {
    await sql`set local timezone = 'UTC'`.execute(trx);
    const tables = await workspaceTables(trx);
    const unknown = (source.tables ?? []).filter((n) => !tables.some((t) => t.name === n));
    if (unknown.length) throw new Error(`the source has tables this schema does not: ${unknown.join(", ")}`);
    for (const t of tables) await sql`alter table ${sql.table(t.name)} disable trigger user`.execute(trx);
    await sql`truncate ${sql.join(tables.map((t) => sql.table(t.name)))}`.execute(trx);
    for (const table of tables) {
      let done = 0;
      for await (const rows of source.rowsOf(table)) {
        await writeRows(trx, table, rows);
        done += rows.length;
        progress({ table: table.name, rows: done, of: source.expected?.(table.name) });
      }
    }
    await setSequences(trx, await source.sequences());
    for (const t of tables) await sql`alter table ${sql.table(t.name)} enable trigger user`.execute(trx);
  });
}

export type Digests = Record<string, { rows: number; digest: string }>;

/** Each table's count and digest as stored now (read at one moment, times in UTC). */
export async function tableDigests(db: Kysely<DB>): Promise<Digests> {
  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => {
      await sql`set local timezone = 'UTC'`.execute(trx);
      const out: Digests = {};
      for (const table of await workspaceTables(trx)) {
        const digest = new RowDigest();
        for await (const rows of readRows(trx, table)) digest.add(rows);
        out[table.name] = { rows: digest.rows, digest: digest.value };
      }
      return out;
    });
}

/** Tables whose rows differ between two sets of digests (empty when the copy is exact). */
export function differences(expected: Digests, found: Digests) {
  const names = new Set([...Object.keys(expected), ...Object.keys(found)]);
  return [...names]
    .filter(
      (n) =>
        (expected[n]?.rows ?? 0) !== (found[n]?.rows ?? 0) || ((expected[n]?.rows ?? 0) > 0 && expected[n].digest !== found[n]?.digest),
    )
    .map((n) => ({ table: n, expected: expected[n]?.rows ?? 0, found: found[n]?.rows ?? 0 }));
}
