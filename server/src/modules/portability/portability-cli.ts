import fs from "node:fs";
import path from "node:path";
import type { Config } from "../../config";
import { ConfigError } from "../../config";
import { type Database, databaseOptionsFromConfig, openDatabase } from "../../db/database";
import { migrateToLatest } from "../../db/migrate";
import { type DataDirLock, claimDataDir, lockHolder } from "../../platform/data-dir-lock";
import { backupWorkspace, restoreBackup } from "./backup";
import { PG_BACKUP_POINTER } from "./backups";
import type { LoadProgress } from "./load-tables";
import { moveToPostgres } from "./move-to-postgres";
import { exportWorkspace } from "./workspace-archive";
import { type OpenArchive, importWorkspace, openVerifiedArchive } from "./workspace-import";

export const PORTABILITY_COMMANDS = ["backup", "restore", "export", "import", "move-to-postgres"] as const;
export type PortabilityCommand = (typeof PORTABILITY_COMMANDS)[number];

export const portabilityUsage = `  backup                          back up the embedded database and attachments (also while the
                                  server runs) into LOOPDESK_BACKUP_DIR (default DATA_DIR/backups)
  restore <backup-dir>            put a backup in place of the embedded database (server stopped)
  export [--out PATH]             write the whole workspace (NDJSON per table, attachments, manifest)
                                  to PATH: a directory, or a file ending in .tar.gz (the default)
  import <export>                 load an export into an empty workspace (either engine)
  move-to-postgres --to URL       copy the embedded workspace to an empty PostgreSQL database
`;

const say = (line: string) => process.stderr.write(`${line}\n`);

/** Prints a table's progress now and then (a line per table, and every 2 s inside a long one). */
function progressPrinter(verb: string): LoadProgress {
  let current = "";
  let last = 0;
  return ({ table, rows, of }) => {
    const now = Date.now();
    if (table === current && now - last < 2000) return;
    if (table !== current && rows === 0) return;
    current = table;
    last = now;
    say(`  ${verb} ${table}: ${rows.toLocaleString("en")}${of ? ` of ~${of.toLocaleString("en")}` : ""} rows`);
  };
}

/** Asks the running server (it holds the embedded database) to do it; see the control route. */
async function askServer(dataDir: string, body: Record<string, unknown>) {
  const holder = lockHolder(dataDir);
  if (!holder?.port) return undefined;
  const res = await fetch(`http://127.0.0.1:${holder.port}/api/v1/system/control`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-loopdesk-control": holder.token },
    body: JSON.stringify(body),
  }).catch((e) => {
    throw new ConfigError(`Could not reach the running server on port ${holder.port}: ${e.cause?.message ?? e.message}`);
  });
  const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new ConfigError(`The running server refused: ${(answer as { message?: string }).message ?? res.status}`);
  return answer;
}

export async function runPortabilityCommand(
  command: PortabilityCommand,
  args: { positionals: string[]; out?: string; to?: string },
  config: Config,
) {
  const embedded = !config.databaseUrl;
  const claim = (): DataDirLock | undefined => (embedded ? claimDataDir(config.dataDir, command) : undefined);
  const filesRoot = path.join(config.dataDir, "files");

  if (command === "backup") {
    if (!embedded) throw new ConfigError(PG_BACKUP_POINTER);
    const viaServer = await askServer(config.dataDir, { action: "backup" });
    if (viaServer)
      return say(
        `Backup ${viaServer.name} written by the running server in ${viaServer.tookMs} ms (requests paused ${viaServer.pausedMs} ms).`,
      );
    const lock = claim();
    const database = await openDatabase(databaseOptionsFromConfig(config));
    try {
      await migrateToLatest(database.db);
      const info = await backupWorkspace(database.db, config.dataDir, config.backup.dir, config.backup.keep);
      say(`Backup ${info.name} written to ${path.join(config.backup.dir, info.name)}.`);
    } finally {
      await database.close();
      lock?.release();
    }
    return;
  }

  if (command === "restore") {
    if (!embedded) throw new ConfigError(PG_BACKUP_POINTER);
    const source = args.positionals[1];
    if (!source) throw new ConfigError("restore needs the backup's directory: loopdesk restore DATA_DIR/backups/<name>");
    const lock = claim();
    try {
      const { info, keptAs } = await restoreBackup(path.resolve(source), config.dataDir);
      const database = await openDatabase(databaseOptionsFromConfig(config));
      const tickets = await database.db
        .selectFrom("tickets")
        .select((e) => e.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      await database.close();
      say(
        `Restored backup ${info.name} (${info.createdAt}): ${tickets.n} tickets.${keptAs ? ` The database it replaced is kept in ${keptAs}.` : ""}`,
      );
    } finally {
      lock?.release();
    }
    return;
  }

  if (command === "export") {
    const out = path.resolve(args.out ?? `loopdesk-export-${new Date().toISOString().replace(/[-:]/g, "").slice(0, 15)}.tar.gz`);
    if (embedded) {
      const viaServer = await askServer(config.dataDir, { action: "export", out });
      if (viaServer) return say(`Exported by the running server to ${out}.`);
    }
    const lock = claim();
    const database = await openDatabase(databaseOptionsFromConfig(config));
    try {
      await migrateToLatest(database.db);
      const manifest = await exportWorkspace(database.db, database.engine, filesRoot, out, ({ table, rows }) => {
        if (table && rows === 0) say(`  exporting ${table}`);
      });
      const rows = Object.values(manifest.tables).reduce((n, t) => n + t.rows, 0);
      say(`Exported ${Object.keys(manifest.tables).length} tables (${rows} rows) and ${manifest.files.count} files to ${out}.`);
    } finally {
      await database.close();
      lock?.release();
    }
    return;
  }

  if (command === "import") {
    const source = args.positionals[1];
    if (!source) throw new ConfigError("import needs an export: loopdesk import loopdesk-export-….tar.gz (or its directory)");
    const lock = claim();
    let archive: OpenArchive | undefined;
    let database: Database | undefined;
    try {
      // The archive first: a damaged one is refused before a database is opened (or, new, created).
      archive = await openVerifiedArchive(path.resolve(source));
      database = await openDatabase(databaseOptionsFromConfig(config));
      const done = await importWorkspace(database.db, filesRoot, archive, progressPrinter("loading"));
      say(`Imported ${done.tables} tables (${done.rows} rows) and ${done.files} files; every table matches the export's checksums.`);
    } finally {
      await database?.close();
      archive?.close();
      lock?.release();
    }
    return;
  }

  // move-to-postgres
  if (!embedded) throw new ConfigError("move-to-postgres copies the embedded database: run it without DATABASE_URL set.");
  if (!args.to || !/^postgres(ql)?:\/\//.test(args.to))
    throw new ConfigError("move-to-postgres needs --to postgres://user:password@host/database");
  if (!fs.existsSync(path.join(config.dataDir, "pg"))) throw new ConfigError(`There is no embedded database in ${config.dataDir}.`);
  const lock = claim();
  const source = await openDatabase(databaseOptionsFromConfig(config));
  const target = await openDatabase({ engine: "postgres", url: args.to, poolSize: 2 });
  try {
    await migrateToLatest(source.db);
    const started = Date.now();
    const done = await moveToPostgres(source.db, target.db, progressPrinter("copying"));
    say(
      `Copied ${done.tables} tables (${done.rows} rows, ${done.tickets} tickets) in ${Math.round((Date.now() - started) / 1000)} s; counts and checksums match.`,
    );
    say("Attachments stay in DATA_DIR/files. Start Loopdesk on PostgreSQL with the same DATA_DIR and:");
    process.stdout.write(`DATABASE_URL=${args.to}\n`);
  } finally {
    await target.close();
    await source.close();
    lock?.release();
  }
}
