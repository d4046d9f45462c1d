import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

let t: TestApp;
let admin: Client;
beforeAll(async () => ({ t, admin } = await appWithAdmin()));
afterAll(() => t.close());

/** Polls until `check` holds, for at most `ms` — less than the 3 s a principal is kept without news of a change. */
async function within(ms: number, check: () => Promise<boolean>) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

// Who a token or session stands for is kept per process for a few seconds (platform/auth/principal-cache.ts);
// a change to staff, their departments or tokens must count from the next request, whoever made it.
describe("a signed-in principal kept between requests", () => {
  it("a role and departments changed by an administrator count from the next request, by token and by session", async () => {
    const dept = await t.factory.department();
    const agent = await t.factory.staff();
    const session = await t.signIn(agent.email, PASSWORD);
    const token = t.withToken((await session.post("/api/v1/tokens", { name: "kept" })).json().token);
    for (const c of [token, session]) expect((await c.get("/api/v1/me")).json().user).toMatchObject({ role: "agent" });
    expect((await admin.patch(`/api/v1/staff/${agent.id}`, { role: "supervisor", departmentIds: [dept.id] })).statusCode).toBe(200);
    for (const c of [token, session])
      expect((await c.get("/api/v1/me")).json().user).toMatchObject({ role: "supervisor", departmentIds: [dept.id] });
  });

  it("a change another process commits (written straight to the database) reaches this process at once", async () => {
    const agent = await t.factory.staff();
    const session = await t.signIn(agent.email, PASSWORD);
    const token = t.withToken((await session.post("/api/v1/tokens", { name: "elsewhere" })).json().token);
    expect((await token.get("/api/v1/me")).statusCode).toBe(200);
    expect((await session.get("/api/v1/me")).statusCode).toBe(200);
    await sql`update staff set name = '改名之后' where id = ${agent.id}`.execute(t.ctx.db);
    const renamed = async (c: typeof token) => (await c.get("/api/v1/me")).json().user?.name === "改名之后";
    expect(await within(1000, () => renamed(token))).toBe(true);
    expect(await within(1000, () => renamed(session))).toBe(true);
    await sql`update api_tokens set revoked_at = now() where staff_id = ${agent.id}`.execute(t.ctx.db);
    expect(await within(1000, async () => (await token.get("/api/v1/me")).statusCode === 401)).toBe(true);
    await sql`update staff set active = false where id = ${agent.id}`.execute(t.ctx.db);
    expect(await within(1000, async () => (await session.get("/api/v1/me")).statusCode === 401)).toBe(true);
  });

  it("a token kept is refused once it expires, though nothing changed", async () => {
    const agent = await t.factory.staff();
    const session = await t.signIn(agent.email, PASSWORD);
    const expiresAt = new Date(Date.now() + 1200).toISOString();
    const token = t.withToken((await session.post("/api/v1/tokens", { name: "brief", expiresAt })).json().token);
    expect((await token.get("/api/v1/me")).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, Date.parse(expiresAt) - Date.now() + 50));
    expect((await token.get("/api/v1/me")).statusCode).toBe(401);
  });

  it("an unknown token is refused every time, and a token made afterwards works at once", async () => {
    const agent = await t.factory.staff();
    const session = await t.signIn(agent.email, PASSWORD);
    const wrong = t.withToken("ldk_not-a-real-token");
    expect((await wrong.get("/api/v1/me")).statusCode).toBe(401);
    expect((await wrong.get("/api/v1/me")).statusCode).toBe(401);
    const token = t.withToken((await session.post("/api/v1/tokens", { name: "new" })).json().token);
    expect((await token.get("/api/v1/me")).json().user.id).toBe(agent.id);
  });
});
