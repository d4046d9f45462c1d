import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { hashPassword } from "../../src/platform/auth/passwords";
import { type RunningServer, spawnServer } from "../support/spawn-server";
import { PASSWORD, type TestApp, createTestApp } from "../support/test-app";
import { openTestDatabase } from "../support/test-db";

/**
 * Rate limits on every API route: per signed-in person or token, per address for everyone else,
 * strictest on sign-in; 429 with Retry-After and the RateLimit headers; on PostgreSQL the count is
 * shared by every process.
 */
const apps: TestApp[] = [];
const servers: RunningServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop("SIGKILL");
  for (const a of apps) await a.close();
});

/** Counts run in one-minute windows: start a burst well inside one, so it is not split between two. */
async function awayFromMinuteTurn() {
  const seconds = new Date().getSeconds();
  if (seconds > 45) await new Promise((r) => setTimeout(r, (61 - seconds) * 1000));
}

async function appWithLimits(perPrincipal: number, publicPerAddress: number, signIn: number) {
  const t = await createTestApp({
    LOOPDESK_RATE_LIMIT_PER_MINUTE: String(perPrincipal),
    LOOPDESK_RATE_LIMIT_PUBLIC_PER_MINUTE: String(publicPerAddress),
    LOOPDESK_RATE_LIMIT_SIGN_IN_PER_MINUTE: String(signIn),
  });
  apps.push(t);
  return t;
}

describe("rate limits", () => {
  it("a token that floods the list is answered 429 with Retry-After and RateLimit headers; another person is not held up", async () => {
    const t = await appWithLimits(20, 1000, 1000);
    const agent = await t.signIn((await t.factory.staff()).email, PASSWORD);
    const token = t.withToken((await agent.post("/api/v1/tokens", { name: "flood" })).json().token);
    await awayFromMinuteTurn();
    const statuses: number[] = [];
    let last = await token.get("/api/v1/tickets");
    expect(last.headers["ratelimit-limit"]).toBe("20");
    expect(last.headers["ratelimit-remaining"]).toBe("19");
    expect(last.headers["ratelimit-policy"]).toBe("20;w=60");
    statuses.push(last.statusCode);
    for (let i = 0; i < 24; i++) {
      last = await token.get("/api/v1/tickets");
      statuses.push(last.statusCode);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    expect(last.json().error.code).toBe("too_many_requests");
    const retry = Number(last.headers["retry-after"]);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    expect(last.headers["ratelimit-remaining"]).toBe("0");
    // Writes are refused too, and nothing is written.
    expect((await token.post("/api/v1/tickets", { subject: "x", customer: { email: "flood@example.cn" } })).statusCode).toBe(429);
    expect(await t.ctx.db.selectFrom("tickets").select("id").executeTakeFirst()).toBeUndefined();
    // The token's owner in the browser is another principal (the session), and so is a colleague.
    expect((await agent.get("/api/v1/tickets")).statusCode).toBe(200);
    const colleague = await t.signIn((await t.factory.staff()).email, PASSWORD);
    expect((await colleague.get("/api/v1/tickets")).statusCode).toBe(200);
  });

  it("sign-in attempts from one address are limited more strictly than other public calls", async () => {
    const t = await appWithLimits(1000, 8, 3);
    const staff = await t.factory.staff();
    await awayFromMinuteTurn();
    const attempt = () => t.anonymous.post("/api/v1/auth/login", { email: staff.email, password: "wrong-password", as: "staff" });
    expect([(await attempt()).statusCode, (await attempt()).statusCode, (await attempt()).statusCode]).toEqual([401, 401, 401]);
    const fourth = await attempt();
    expect(fourth.statusCode).toBe(429);
    expect(fourth.headers["ratelimit-limit"]).toBe("3");
    // Other public routes count separately (8 a minute here).
    const publicCalls = [];
    for (let i = 0; i < 9; i++) publicCalls.push((await t.anonymous.get("/api/v1/auth/options")).statusCode);
    expect(publicCalls.filter((s) => s === 200)).toHaveLength(8);
    expect(publicCalls[8]).toBe(429);
    // Another address is not affected.
    const elsewhere = await t.app.inject({ method: "GET", url: "/api/v1/auth/options", remoteAddress: "10.0.0.9" });
    expect(elsewhere.statusCode).toBe(200);
  });

  it("on PostgreSQL two server processes share the count", async () => {
    if (inject("engine") !== "postgres") return; // the embedded engine belongs to one process
    const database = await openTestDatabase();
    try {
      await database.db
        .insertInto("staff")
        .values({ email: "limit@example.cn", name: "限流", role: "admin", password_hash: await hashPassword(PASSWORD) })
        .execute();
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-limits-"));
      const env = {
        DATABASE_URL: database.url as string,
        DATA_DIR: dataDir,
        LOOPDESK_ADMIN_EMAIL: "limit@example.cn",
        LOOPDESK_RATE_LIMIT_PER_MINUTE: "30",
      };
      const [a, b] = [await spawnServer(env), await spawnServer(env)];
      servers.push(a, b);
      const login = await fetch(`${a.url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "limit@example.cn", password: PASSWORD }),
      });
      const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] as string;
      await awayFromMinuteTurn();
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await fetch(`${(i % 2 ? a : b).url}/api/v1/tickets`, { headers: { cookie } })).status);
      // 30 a minute across both processes.
      expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
      expect(statuses.slice(30)).toEqual(Array(10).fill(429));
    } finally {
      await database.close();
    }
  });
});
