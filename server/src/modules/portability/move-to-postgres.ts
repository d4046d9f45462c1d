import { type Kysely, sql } from "kysely";
import { appliedMigrations, migrateToLatest } from "../../db/migrate";
import type { DB } from "../../db/schema";
import { type Digests, type LoadProgress, differences, loadTables, tableDigests } from "./load-tables";
import { RowDigest, readRows } from "./table-rows";
import { ArchiveError, workspaceIsEmpty } from "./workspace-archive";
import { sequenceValues } from "./workspace-tables";

/**
 * `loopdesk move-to-postgres`: the embedded database's workspace into an empty PostgreSQL database.
 * The target gets its schema from the migrations; rows are copied table by table in batches (one
 * target transaction: a failed move leaves the target empty), sequences — ticket numbers among
 * them — carried over, and afterwards every table's count and digest read back from the target
 * and compared with what was read from the source. Attachments stay where they are (DATA_DIR/files).
 */
export async function moveToPostgres(source: Kysely<DB>, target: Kysely<DB>, progress?: LoadProgress) {
  const sourceSchema = (await appliedMigrations(source)).at(-1);
  if ((await appliedMigrations(target)).some((m) => sourceSchema && m > sourceSchema))
    throw new ArchiveError("the target database has a newer schema than this Loopdesk: point --to at an empty database");
  await migrateToLatest(target);
  if (!(await workspaceIsEmpty(target)))
    throw new ArchiveError("the target database already holds a workspace (staff, customers or tickets): point --to at an empty database");
  const read: Digests = {};
  await source
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (src) => {
      await sql`set local timezone = 'UTC'`.execute(src);
      const counts = await sql<{ name: string; n: number }>`
        select c.relname as name, c.reltuples::bigint as n from pg_class c join pg_namespace ns on ns.oid = c.relnamespace
        where ns.nspname = 'public' and c.relkind = 'r'`.execute(src);
      const estimate = new Map(counts.rows.map((r) => [r.name, Math.max(0, Number(r.n))]));
      await loadTables(
        target,
        {
          rowsOf: (table) => {
            read[table.name] = { rows: 0, digest: "" };
            return digesting(readRows(src, table), read[table.name]);
          },
          expected: (name) => estimate.get(name),
          sequences: () => sequenceValues(src),
        },
        progress,
      );
    });
  const wrong = differences(read, await tableDigests(target));
  if (wrong.length) throw new ArchiveError(`the copy differs from the source in ${wrong.map((w) => w.table).join(", ")}`);
  return {
    tables: Object.keys(read).length,
    rows: Object.values(read).reduce((n, t) => n + t.rows, 0),
    tickets: read.tickets?.rows ?? 0,
  };
}

async function* digesting(batches: AsyncIterable<string[]>, into: { rows: number; digest: string }) {
  const digest = new RowDigest();
  for await (const rows of batches) {
    digest.add(rows);
    into.rows = digest.rows;
    into.digest = digest.value;
    yield rows;
  }
}
