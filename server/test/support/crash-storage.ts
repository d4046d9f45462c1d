import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { type Database, openDatabase } from "../../src/db/database";
import { openTestDatabase } from "./test-db";

export type Cleanups = (() => Promise<void> | void)[];

/**
 * Storage for a server the test kills and restarts: a data directory (PGlite) or a fresh
 * PostgreSQL database the server migrates itself, and a way to open it afterwards to read what
 * survived. What it creates is removed by `cleanups`.
 */
export async function crashStorage(
  prefix: string,
  cleanups: Cleanups,
): Promise<{ env: Record<string, string>; open: () => Promise<Database> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  if (inject("engine") === "pglite")
    return { env: { DATA_DIR: dataDir }, open: () => openDatabase({ engine: "pglite", dataDir: path.join(dataDir, "pg") }) };
  const db = await openTestDatabase();
  const url = db.url as string;
  await db.db.destroy(); // keep the database, release our connections; the server migrates it itself
  cleanups.push(() => db.close().catch(() => {}));
  return { env: { DATA_DIR: dataDir, DATABASE_URL: url }, open: () => openDatabase({ engine: "postgres", url }) };
}
