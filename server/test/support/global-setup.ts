import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../src/db/database";
import { migrateToLatest } from "../../src/db/migrate";
import { type PostgresServer, startPostgres } from "./postgres-server";

declare module "vitest" {
  export interface ProvidedContext {
    engine: "pglite" | "postgres";
    pgliteTemplate: string;
    postgresUrl: string;
  }
}

/**
 * Prepares one migrated template per run: a PGlite data-dir dump that each test file loads
 * into its own in-memory database, or a PostgreSQL template database each file clones.
 */
export default async function setup(project: TestProject) {
  const engine = (project.config.env?.LOOPDESK_TEST_DB ?? "pglite") as "pglite" | "postgres";
  project.provide("engine", engine);
  if (engine === "pglite") {
    const database = await openDatabase({ engine: "pglite" });
    await migrateToLatest(database.db);
    const dump = await database.pglite?.dumpDataDir("none");
    await database.close();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-tpl-")), "template.tar");
    fs.writeFileSync(file, Buffer.from(await (dump as Blob).arrayBuffer()));
    project.provide("pgliteTemplate", file);
    project.provide("postgresUrl", "");
    return () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
  const server: PostgresServer = await startPostgres();
  const admin = new pg.Client({ connectionString: server.url("postgres") });
  await admin.connect();
  await admin.query("create database loopdesk_template");
  await admin.end();
  const database = await openDatabase({ engine: "postgres", url: server.url("loopdesk_template"), poolSize: 1 });
  await migrateToLatest(database.db);
  await database.close();
  project.provide("pgliteTemplate", "");
  project.provide("postgresUrl", server.url("postgres"));
  return () => server.stop();
}
