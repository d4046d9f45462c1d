import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { type Kysely, sql } from "kysely";
import * as tar from "tar";
import type { Engine } from "../../db/database";
import { schemaVersion } from "../../db/migrate";
import type { DB } from "../../db/schema";
import { BATCH_ROWS, RowDigest, readRows, writeRows } from "./table-rows";
import { type SequenceValue, type WorkspaceTable, sequenceValues, setSequences, workspaceTables } from "./workspace-tables";

export const ARCHIVE_FORMAT = "loopdesk-workspace";
export const ARCHIVE_VERSION = 1;

export type TableEntry = { rows: number; digest: string; sha256: string; bytes: number };
export type Manifest = {
  format: typeof ARCHIVE_FORMAT;
  version: typeof ARCHIVE_VERSION;
  createdAt: string;
  engine: Engine;
  /** The last migration of the schema the rows belong to. */
  migration: string;
  tables: Record<string, TableEntry>;
  sequences: SequenceValue[];
  files: { count: number; bytes: number };
};

export type Progress = (step: { table?: string; rows?: number; of?: number; files?: number }) => void;

export class ArchiveError extends Error {}

/**
 * Writes every table as NDJSON (`tables/<name>.ndjson`), every stored attachment (`files/…`, named
 * by its SHA-256 as in the store) and `manifest.json` with counts, digests and checksums. Rows are
 * read in one repeatable-read transaction, so the archive is one consistent moment of the
 * workspace. `out` ending in .tar.gz is written as one gzip'd tar; anything else as a directory.
 * Nothing appears under `out` until the whole archive is written.
 */
export async function exportWorkspace(
  db: Kysely<DB>,
  engine: Engine,
  filesRoot: string,
  out: string,
  progress: Progress = () => {},
): Promise<Manifest> {
  const packed = isTarball(out);
  const dir = packed ? fs.mkdtempSync(path.join(path.dirname(out), ".export-")) : `${out}.partial`;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "tables"), { recursive: true });
  fs.mkdirSync(path.join(dir, "files"), { recursive: true });
  try {
    const manifest = await db
      .transaction()
      .setIsolationLevel("repeatable read")
      .execute(async (trx) => {
        await sql`set local timezone = 'UTC'`.execute(trx);
        const migration = await schemaVersion(trx);
        if (!migration) throw new ArchiveError("the database has no schema yet");
        const tables: Record<string, TableEntry> = {};
        for (const table of await workspaceTables(trx)) {
          progress({ table: table.name, rows: 0 });
          tables[table.name] = await exportTable(trx, table, dir, progress);
        }
        return { migration, tables, sequences: await sequenceValues(trx) };
      });
    const files = await copyFiles(filesRoot, path.join(dir, "files"), progress);
    const full: Manifest = {
      format: ARCHIVE_FORMAT,
      version: ARCHIVE_VERSION,
      createdAt: new Date().toISOString(),
      engine,
      ...manifest,
      files,
    };
    fs.writeFileSync(path.join(dir, "manifest.json"), `${JSON.stringify(full, null, 2)}\n`);
    if (packed) {
      const partial = `${out}.partial`;
      await tar.c({ gzip: true, file: partial, cwd: dir, portable: true }, ["manifest.json", "tables", "files"]);
      fs.renameSync(partial, out);
    } else {
      fs.rmSync(out, { recursive: true, force: true });
      fs.renameSync(dir, out);
    }
    return full;
  } finally {
    fs.rmSync(packed ? dir : `${out}.partial`, { recursive: true, force: true });
  }
}

async function exportTable(db: Kysely<DB>, table: WorkspaceTable, dir: string, progress: Progress): Promise<TableEntry> {
  const file = fs.openSync(path.join(dir, "tables", `${table.name}.ndjson`), "w");
  const hash = createHash("sha256");
  const digest = new RowDigest();
  let bytes = 0;
  try {
    for await (const rows of readRows(db, table)) {
      const chunk = Buffer.from(`${rows.join("\n")}\n`);
      fs.writeSync(file, chunk);
      hash.update(chunk);
      bytes += chunk.length;
      digest.add(rows);
      progress({ table: table.name, rows: digest.rows });
    }
  } finally {
    fs.closeSync(file);
  }
  return { rows: digest.rows, digest: digest.value, sha256: hash.digest("hex"), bytes };
}

/** Hard links when the archive is on the store's disk (stored files never change), else copies. */
async function copyFiles(filesRoot: string, target: string, progress: Progress) {
  let count = 0;
  let bytes = 0;
  if (!fs.existsSync(filesRoot)) return { count, bytes };
  for (const entry of await fs.promises.readdir(filesRoot, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/^[0-9a-f]{64}$/.test(entry.name)) continue;
    const from = path.join(entry.parentPath, entry.name);
    const to = path.join(target, entry.name.slice(0, 2), entry.name.slice(2, 4), entry.name);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    linkOrCopySync(from, to);
    bytes += fs.statSync(from).size;
    if (++count % 500 === 0) progress({ files: count });
  }
  return { count, bytes };
}

export function linkOrCopySync(from: string, to: string) {
  try {
    fs.linkSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return;
    fs.copyFileSync(from, to);
  }
}

const isTarball = (p: string) => /\.(tar\.gz|tgz)$/i.test(p);

/** An archive opened for reading: a directory as it is, a .tar.gz unpacked to a temporary one. */
export async function openArchive(source: string): Promise<{ dir: string; manifest: Manifest; close: () => void }> {
  if (!fs.existsSync(source)) throw new ArchiveError(`${source} does not exist`);
  let dir = source;
  let close = () => {};
  if (isTarball(source)) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-import-"));
    close = () => fs.rmSync(dir, { recursive: true, force: true });
    try {
      await tar.x({ file: source, cwd: dir, strict: true });
    } catch (e) {
      close();
      throw new ArchiveError(`${source} is not a readable .tar.gz (${(e as Error).message})`);
    }
  }
  const manifestFile = path.join(dir, "manifest.json");
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
  } catch {
    close();
    throw new ArchiveError(`${source} has no readable manifest.json: it is not a complete Loopdesk export`);
  }
  if (manifest.format !== ARCHIVE_FORMAT || manifest.version !== ARCHIVE_VERSION) {
    close();
    throw new ArchiveError(`${source} is not a Loopdesk workspace export of version ${ARCHIVE_VERSION}`);
  }
  return { dir, manifest, close };
}

/** Checks every table file and attachment against the manifest before anything is written. */
export async function verifyArchive(dir: string, manifest: Manifest) {
  for (const [name, entry] of Object.entries(manifest.tables)) {
    const file = path.join(dir, "tables", `${name}.ndjson`);
    if (!fs.existsSync(file)) throw new ArchiveError(`tables/${name}.ndjson is missing`);
    if ((await sha256Of(file)) !== entry.sha256) throw new ArchiveError(`tables/${name}.ndjson does not match its checksum`);
  }
  let count = 0;
  for (const file of await archiveFiles(dir)) {
    if ((await sha256Of(file)) !== path.basename(file)) throw new ArchiveError(`${path.relative(dir, file)} does not match its name`);
    count++;
  }
  if (count !== manifest.files.count) throw new ArchiveError(`the archive has ${count} files, its manifest says ${manifest.files.count}`);
}

async function archiveFiles(dir: string) {
  const root = path.join(dir, "files");
  if (!fs.existsSync(root)) return [];
  return (await fs.promises.readdir(root, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && /^[0-9a-f]{64}$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

function sha256Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    fs.createReadStream(file)
      .on("data", (d) => hash.update(d))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

/** Counts of the tables that make a workspace "not empty" (first start's admin counts). */
export async function workspaceIsEmpty(db: Kysely<DB>) {
  const r = await sql<{ n: number }>`
    select (select count(*) from staff) + (select count(*) from customers) + (select count(*) from tickets) as n`.execute(db);
  return Number(r.rows[0].n) === 0;
}

export async function* ndjsonBatches(file: string): AsyncGenerator<string[]> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, "utf8"), crlfDelay: Number.POSITIVE_INFINITY });
  let batch: string[] = [];
  for await (const line of lines) {
    if (!line) continue;
    batch.push(line);
    if (batch.length >= BATCH_ROWS) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** Copies the archive's attachments into the store (content-addressed: ones already there stay). */
export async function loadFiles(dir: string, filesRoot: string) {
  for (const file of await archiveFiles(dir)) {
    const name = path.basename(file);
    const to = path.join(filesRoot, name.slice(0, 2), name.slice(2, 4), name);
    await fs.promises.mkdir(path.dirname(to), { recursive: true });
    if (!fs.existsSync(to)) await fs.promises.copyFile(file, to);
  }
}
