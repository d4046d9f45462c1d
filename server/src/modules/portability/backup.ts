import fs from "node:fs";
import path from "node:path";
import { type Kysely, sql } from "kysely";
import { schemaVersion } from "../../db/migrate";
import type { DB } from "../../db/schema";
import { linkOrCopySync } from "./workspace-archive";

export type BackupInfo = {
  name: string;
  createdAt: string;
  migration: string;
  databaseBytes: number;
  files: number;
  /** How long requests waited while the database files were copied. */
  pausedMs: number;
  tookMs: number;
};

export class BackupError extends Error {}

const BACKUP_NAME = /^\d{8}-\d{6}(-\d+)?$/;
const INFO = "backup.json";

/**
 * Copies the embedded database's directory while holding its only connection: no statement runs
 * and no transaction is open during the copy, and a CHECKPOINT first puts every committed change
 * in the data files — the copy is the database as of that moment, started like after a clean
 * shutdown. Requests wait for the copy (a fraction of a second for a typical workspace; the time
 * is recorded).
 */
export async function snapshotDatabase(db: Kysely<DB>, pgDir: string, target: string) {
  let pausedMs = 0;
  await db.connection().execute(async (conn) => {
    const started = performance.now();
    await sql`checkpoint`.execute(conn);
    // Synchronous: requests wait for the database either way, and nothing else interleaves with the copy.
    fs.cpSync(pgDir, target, { recursive: true, filter: (src) => path.basename(src) !== "postmaster.pid" });
    pausedMs = Math.round(performance.now() - started);
  });
  return pausedMs;
}

let running: Promise<BackupInfo> | undefined;

/**
 * A backup of an embedded-engine workspace while it serves: `<dir>/<time>/` holds the database
 * (`pg/`), the attachments (`files/`, hard links: stored files never change) and `backup.json`.
 * It is written under `.partial-<time>` and renamed when complete, so a crash mid-way leaves every
 * earlier backup as it was and no half backup that looks whole. One backup at a time.
 */
export function backupWorkspace(db: Kysely<DB>, dataDir: string, dir: string, keep: number): Promise<BackupInfo> {
  if (running) return running;
  running = makeBackup(db, dataDir, dir, keep).finally(() => {
    running = undefined;
  });
  return running;
}

async function makeBackup(db: Kysely<DB>, dataDir: string, dir: string, keep: number): Promise<BackupInfo> {
  const started = performance.now();
  fs.mkdirSync(dir, { recursive: true });
  for (const e of fs.readdirSync(dir)) if (e.startsWith(".partial-")) fs.rmSync(path.join(dir, e), { recursive: true, force: true });
  const name = uniqueName(dir);
  const partial = path.join(dir, `.partial-${name}`);
  fs.mkdirSync(partial);
  const migration = (await schemaVersion(db)) ?? "";
  const pausedMs = await snapshotDatabase(db, path.join(dataDir, "pg"), path.join(partial, "pg"));
  const files = linkFiles(path.join(dataDir, "files"), path.join(partial, "files"));

  const info: BackupInfo = {
    name,
    createdAt: new Date().toISOString(),
    migration,
    databaseBytes: directorySize(path.join(partial, "pg")),
    files,
    pausedMs,
    tookMs: Math.round(performance.now() - started),
  };
  fs.writeFileSync(path.join(partial, INFO), `${JSON.stringify(info, null, 2)}\n`, { flush: true });
  fs.renameSync(partial, path.join(dir, name));
  for (const old of listBackups(dir).slice(keep)) fs.rmSync(path.join(dir, old.name), { recursive: true, force: true });
  return info;
}

function uniqueName(dir: string) {
  const base = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  let name = base;
  for (let i = 2; fs.existsSync(path.join(dir, name)); i++) name = `${base}-${i}`;
  return name;
}

// The walks below are synchronous on purpose: each step is a quick system call, and in a busy
// server every await would queue behind the requests' database work (seconds for a few thousand files).

function linkFiles(root: string, target: string) {
  let count = 0;
  if (!fs.existsSync(root)) return count;
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/^[0-9a-f]{64}$/.test(entry.name)) continue;
    const to = path.join(target, path.relative(root, path.join(entry.parentPath, entry.name)));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    linkOrCopySync(path.join(entry.parentPath, entry.name), to);
    count++;
  }
  return count;
}

function directorySize(dir: string) {
  let bytes = 0;
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) bytes += fs.statSync(path.join(e.parentPath, e.name)).size;
  return bytes;
}

/** Complete backups, newest first (a directory without backup.json is not one). */
export function listBackups(dir: string): BackupInfo[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((n) => BACKUP_NAME.test(n) && fs.existsSync(path.join(dir, n, INFO)))
    .map((n) => JSON.parse(fs.readFileSync(path.join(dir, n, INFO), "utf8")) as BackupInfo)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.name.localeCompare(a.name));
}

/**
 * Puts a backup in place of the embedded database (the server must be stopped). The database it
 * replaces is kept beside it as `pg.before-restore-<time>`; attachments the backup has and the
 * store lacks are put back.
 */
export async function restoreBackup(source: string, dataDir: string) {
  if (!fs.existsSync(path.join(source, INFO)) || !fs.existsSync(path.join(source, "pg")))
    throw new BackupError(`${source} is not a complete Loopdesk backup (no ${INFO} or pg/)`);
  const info = JSON.parse(fs.readFileSync(path.join(source, INFO), "utf8")) as BackupInfo;
  const pgDir = path.join(dataDir, "pg");
  const incoming = path.join(dataDir, `pg.restoring-${process.pid}`);
  fs.rmSync(incoming, { recursive: true, force: true });
  await fs.promises.cp(path.join(source, "pg"), incoming, { recursive: true });
  let keptAs: string | undefined;
  if (fs.existsSync(pgDir)) {
    keptAs = `${pgDir}.before-restore-${new Date().toISOString().replace(/[-:.]/g, "").slice(0, 15)}`;
    fs.renameSync(pgDir, keptAs);
  }
  fs.renameSync(incoming, pgDir);
  linkFiles(path.join(source, "files"), path.join(dataDir, "files"));
  return { info, keptAs };
}
