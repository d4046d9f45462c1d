import fs from "node:fs";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { type Database, openDatabase } from "../../src/db/database";

/** A database of this test file's own: a fresh clone of the migrated template. */
export async function openTestDatabase(): Promise<Database & { url?: string }> {
  if (inject("engine") === "pglite") {
    const data = fs.readFileSync(inject("pgliteTemplate"));
    return openDatabase({ engine: "pglite", loadDataDir: new Blob([data]) });
  }
  const adminUrl = inject("postgresUrl");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template loopdesk_template`);
  await admin.end();
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  const database = await openDatabase({ engine: "postgres", url, poolSize: 10 });
  return {
    ...database,
    url,
    close: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
