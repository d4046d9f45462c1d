import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { PGliteDialect } from "./pglite-dialect";
import { onNotification } from "./pglite-statement";
import { usePreparedStatements } from "./prepared-statements";
import type { DB } from "./schema";

export type Engine = "pglite" | "postgres";

export type Database = {
  db: Kysely<DB>;
  engine: Engine;
  /** A streaming replica reports and exports may read (DATABASE_READ_URL); see read-router.ts. */
  replica?: Kysely<DB>;
  /** The embedded engine, when that is the one in use (tests dump and load it). */
  pglite?: PGlite;
  /** LISTEN on a channel; resolves to a function that stops listening. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
};

// int8 (count(*), bigint ids) as JS numbers; all our values stay far below 2^53.
const INT8_OID = 20;
const parseInt8 = (v: string) => Number(v);

export type DatabaseOptions =
  | {
      engine: "postgres";
      url: string;
      poolSize?: number;
      /** A streaming replica for report reads. */
      readUrl?: string;
      /** LISTEN's own connection (default: url); needed when url is a transaction-pooling proxy. */
      listenUrl?: string;
      /** Named statements for the hot paths (default true); off behind PgBouncer before 1.21. */
      preparedStatements?: boolean;
    }
  | { engine: "pglite"; dataDir?: string; loadDataDir?: Blob | File; sharedBuffers?: string };

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.engine === "postgres") {
    const db = new Kysely<DB>({
      dialect: new PostgresDialect({ pool: postgresPool(opts.url, opts.poolSize ?? 10, opts.preparedStatements !== false) }),
    });
    // Report reads are few and long: a small pool of their own on the replica.
    const replica = opts.readUrl
      ? new Kysely<DB>({ dialect: new PostgresDialect({ pool: postgresPool(opts.readUrl, Math.min(opts.poolSize ?? 10, 4), false) }) })
      : undefined;
    return {
      db,
      replica,
      engine: "postgres",
      listen: (channel, onNotify) => listenPostgres(opts.listenUrl ?? opts.url, channel, onNotify),
      close: async () => {
        await replica?.destroy();
        await db.destroy();
      },
    };
  }
  if (opts.dataDir) fs.mkdirSync(path.dirname(opts.dataDir), { recursive: true });
  const pglite = await PGlite.create({
    dataDir: opts.dataDir,
    loadDataDir: opts.loadDataDir,
    parsers: { [INT8_OID]: parseInt8 },
    // PostgreSQL's default 128MB of shared buffers is most of an idle server's memory; the files
    // stay in the OS's cache below a smaller one.
    ...(opts.sharedBuffers ? { startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${opts.sharedBuffers}`] } : {}),
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    engine: "pglite",
    pglite,
    listen: async (channel, onNotify) => {
      // Notifications arrive in the answers of the dialect's exchanges and of PGlite's own calls.
      const stopOurs = onNotification(pglite, channel, onNotify);
      const stop = await pglite.listen(channel, onNotify);
      return async () => {
        stopOurs();
        if (!pglite.closed) await stop();
      };
    },
    close: () => db.destroy(),
  };
}

function postgresPool(url: string, max: number, preparedStatements: boolean) {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // A dropped connection must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  if (preparedStatements) pool.on("connect", usePreparedStatements);
  return pool;
}

/**
 * A dedicated connection for LISTEN (pooled connections cannot hold it). If the connection
 * drops it reconnects with backoff; notifications sent meanwhile are missed, which realtime
 * clients tolerate by refetching when they reconnect.
 */
async function listenPostgres(url: string, channel: string, onNotify: (payload: string) => void) {
  let client: pg.Client | undefined;
  let stopped = false;
  let delay = 500;
  const reconnect = () => {
    if (stopped) return;
    delay = Math.min(delay * 2, 30_000);
    setTimeout(() => connect().catch(reconnect), delay);
  };
  const connect = async (): Promise<void> => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url });
    c.on("notification", (n) => {
      if (n.channel === channel && n.payload !== undefined) onNotify(n.payload);
    });
    c.on("error", () => {
      c.end().catch(() => {});
      reconnect();
    });
    await c.connect();
    await c.query(`listen "${channel.replace(/"/g, '""')}"`);
    delay = 500;
    client = c;
  };
  await connect();
  return async () => {
    stopped = true;
    await client?.end().catch(() => {});
  };
}

export function databaseOptionsFromConfig(config: {
  databaseUrl?: string;
  databaseReadUrl?: string;
  databaseListenUrl?: string;
  preparedStatements?: boolean;
  dataDir: string;
  dbPoolSize: number;
  pgliteBuffers?: string;
}): DatabaseOptions {
  return config.databaseUrl
    ? {
        engine: "postgres",
        url: config.databaseUrl,
        poolSize: config.dbPoolSize,
        readUrl: config.databaseReadUrl,
        listenUrl: config.databaseListenUrl,
        preparedStatements: config.preparedStatements,
      }
    : { engine: "pglite", dataDir: path.join(config.dataDir, "pg"), sharedBuffers: config.pgliteBuffers };
}
