import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { PGliteDialect } from "./pglite-dialect";
import type { DB } from "./schema";

export type Engine = "pglite" | "postgres";

export type Database = {
  db: Kysely<DB>;
  engine: Engine;
  /** The embedded engine, when that is the one in use (tests dump and load it). */
  pglite?: PGlite;
  close(): Promise<void>;
};

// int8 (count(*), bigint ids) as JS numbers; all our values stay far below 2^53.
const INT8_OID = 20;
const parseInt8 = (v: string) => Number(v);

export type DatabaseOptions =
  | { engine: "postgres"; url: string; poolSize?: number }
  | { engine: "pglite"; dataDir?: string; loadDataDir?: Blob | File };

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.engine === "postgres") {
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      types: {
        getTypeParser: ((oid: number, format?: "text" | "binary") =>
          oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // A dropped connection must not crash the process; the next query reconnects.
    pool.on("error", () => {});
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: "postgres", close: () => db.destroy() };
  }
  if (opts.dataDir) fs.mkdirSync(path.dirname(opts.dataDir), { recursive: true });
  const pglite = await PGlite.create({
    dataDir: opts.dataDir,
    loadDataDir: opts.loadDataDir,
    parsers: { [INT8_OID]: parseInt8 },
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return { db, engine: "pglite", pglite, close: () => db.destroy() };
}

export function databaseOptionsFromConfig(config: { databaseUrl?: string; dataDir: string; dbPoolSize: number }): DatabaseOptions {
  return config.databaseUrl
    ? { engine: "postgres", url: config.databaseUrl, poolSize: config.dbPoolSize }
    : { engine: "pglite", dataDir: path.join(config.dataDir, "pg") };
}
