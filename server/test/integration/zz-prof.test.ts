import { it } from "vitest";
import { startPostgres } from "../support/postgres-server";
import { buildApp, createContext } from "../../src/app";
import { loadConfig } from "../../src/config";
import { openDatabase } from "../../src/db/database";
import { migrateToLatest } from "../../src/db/migrate";
import { createLogger } from "../../src/platform/logger";
import { createApiToken } from "../../src/modules/auth/api-token-service";
import pg from "pg";

it("prof", async () => {
  const server = await startPostgres({ durable: true });
  const c = new pg.Client({ connectionString: server.url("postgres") });
  await c.connect();
  await c.query("create database b");
  await c.end();
  const database = await openDatabase({ engine: "postgres", url: server.url("b"), poolSize: 10 });
  await migrateToLatest(database.db);
  const config = loadConfig({ DATA_DIR: "/tmp/prof", LOG_LEVEL: "silent" });
  const ctx = createContext(config, database, createLogger("silent"));
  const app = await buildApp(ctx);
  const staff = await database.db
    .insertInto("staff")
    .values({ email: "a@b.cn", name: "a", role: "admin", password_hash: "x" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const { token } = await createApiToken(database.db, staff.id, { name: "t" });
  const run = async (label: string, n: number) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const r = await app.inject({
        method: "POST",
        url: "/api/v1/tickets",
        headers: { authorization: `Bearer ${token}` },
        payload: { subject: "性能 " + i, description: "登录不了账户", customer: { email: `c${i % 50}@x.cn` } },
      });
      if (r.statusCode !== 201) throw new Error(r.body);
    }
    console.log(label, ((performance.now() - t0) / n).toFixed(2), "ms/ticket");
  };
  await run("warm", 100);
  await run("no worker", 300);
  const t0 = performance.now();
  await ctx.jobs.drain();
  console.log("drain 400 jobs", (performance.now() - t0).toFixed(0), "ms");
  const t1 = performance.now();
  for (let i = 0; i < 300; i++) await app.inject({ method: "GET", url: "/api/v1/me", headers: { authorization: `Bearer ${token}` } });
  console.log("GET /me", ((performance.now() - t1) / 300).toFixed(2), "ms");
  await app.close();
  await database.close();
  server.stop();
}, 120000);
