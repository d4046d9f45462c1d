import type { Kysely } from "kysely";
import { appliedMigrations, knownMigrations, migrateToLatest, migrateUpTo } from "../../db/migrate";
import type { DB } from "../../db/schema";
import path from "node:path";
import { type LoadProgress, differences, loadTables, tableDigests } from "./load-tables";
import { ArchiveError, loadFiles, ndjsonBatches, openArchive, verifyArchive, workspaceIsEmpty } from "./workspace-archive";

export type OpenArchive = Awaited<ReturnType<typeof openArchive>>;

/**
 * The archive `loopdesk import` was given, checked against its manifest before any database is
 * opened or created: a damaged or foreign archive is refused with the target untouched.
 */
export async function openVerifiedArchive(source: string): Promise<OpenArchive> {
  const archive = await openArchive(source);
  try {
    if (!knownMigrations().includes(archive.manifest.migration))
      throw new ArchiveError(`the archive comes from a newer Loopdesk (schema ${archive.manifest.migration}); upgrade this one first`);
    await verifyArchive(archive.dir, archive.manifest);
    return archive;
  } catch (e) {
    archive.close();
    throw e;
  }
}

/**
 * `loopdesk import <archive>`: a verified export (openVerifiedArchive) into an empty database on
 * either engine. The schema is brought to the archive's migration, the rows loaded in one
 * transaction and compared with the manifest's digests, and the remaining migrations applied after
 * — so an archive from an older Loopdesk loads too.
 */
export async function importWorkspace(db: Kysely<DB>, filesRoot: string, archive: OpenArchive, progress?: LoadProgress) {
  const { manifest, dir } = archive;
  const applied = await appliedMigrations(db);
  if (applied.some((m) => m > manifest.migration))
    throw new ArchiveError(
      `this database's schema is newer than the archive's (${manifest.migration}): import into a new, empty database (a new DATA_DIR or DATABASE_URL)`,
    );
  await migrateUpTo(db, manifest.migration);
  if (!(await workspaceIsEmpty(db)))
    throw new ArchiveError("this database already holds a workspace (staff, customers or tickets): import needs an empty one");
  await loadFiles(dir, filesRoot);
  await loadTables(
    db,
    {
      tables: Object.keys(manifest.tables),
      rowsOf: (t) => (manifest.tables[t.name]?.rows ? ndjsonBatches(path.join(dir, "tables", `${t.name}.ndjson`)) : noRows()),
      expected: (name) => manifest.tables[name]?.rows,
      sequences: async () => manifest.sequences,
    },
    progress,
  );
  const wrong = differences(manifest.tables, await tableDigests(db));
  if (wrong.length) throw new ArchiveError(`the loaded rows differ from the archive in ${wrong.map((w) => w.table).join(", ")}`);
  await migrateToLatest(db);
  const rows = Object.values(manifest.tables).reduce((n, t) => n + t.rows, 0);
  return { tables: Object.keys(manifest.tables).length, rows, files: manifest.files.count, migration: manifest.migration };
}

async function* noRows(): AsyncGenerator<string[]> {}
