import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("sign-in and sessions", () => {
  it("signs in with a session cookie that is httpOnly and SameSite=Lax, and /me returns the CSRF token", async () => {
    const staff = await t.factory.staff({ role: "agent" });
    const res = await t.anonymous.post("/api/v1/auth/login", { email: staff.email, password: PASSWORD });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({ kind: "staff", id: staff.id, role: "agent" });
    expect(body.csrfToken).toEqual(expect.any(String));
    const cookie = res.cookies.find((c) => c.name === "loopdesk_session");
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Lax");
    const me = await t.anonymous.get("/api/v1/me", { cookie: `loopdesk_session=${cookie?.value}` });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { id: staff.id }, csrfToken: body.csrfToken, timeZone: "Asia/Shanghai" });
  });

  it("stores passwords hashed, never in clear", async () => {
    const staff = await t.factory.staff();
    const row = await t.ctx.db.selectFrom("staff").select("password_hash").where("id", "=", staff.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  it("rejects a wrong password with 401 in the error shape", async () => {
    const staff = await t.factory.staff();
    const res = await t.anonymous.post("/api/v1/auth/login", { email: staff.email, password: "wrong-password" });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe("unauthorized");
  });

  it("throttles repeated failures with 429 and Retry-After, even for the right password", async () => {
    const staff = await t.factory.staff();
    for (let i = 0; i < 5; i++) {
      const res = await t.anonymous.post("/api/v1/auth/login", { email: staff.email, password: `nope-${i}` });
      expect(res.statusCode).toBe(401);
    }
    const blocked = await t.anonymous.post("/api/v1/auth/login", { email: staff.email, password: PASSWORD });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
    expect(blocked.json().error.code).toBe("too_many_requests");
  });

  it("requires the CSRF header on cookie-authenticated writes", async () => {
    const staff = await t.factory.staff({ role: "admin" });
    const client = await t.signIn(staff.email, PASSWORD);
    const without = await client.post("/api/v1/skills", { name: "csrf-test" }, { "x-csrf-token": "" });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe("csrf_failed");
    const wrong = await client.post("/api/v1/skills", { name: "csrf-test" }, { "x-csrf-token": "forged" });
    expect(wrong.statusCode).toBe(403);
    const ok = await client.post("/api/v1/skills", { name: "csrf-test" });
    expect(ok.statusCode).toBe(201);
  });

  it("signs out: the session no longer authenticates", async () => {
    const staff = await t.factory.staff();
    const client = await t.signIn(staff.email, PASSWORD);
    expect((await client.post("/api/v1/auth/logout")).statusCode).toBe(204);
    expect((await client.get("/api/v1/me")).statusCode).toBe(401);
  });

  it("answers 401 without credentials", async () => {
    const res = await t.anonymous.get("/api/v1/tickets");
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe("unauthorized");
  });

  it("deactivating a staff member ends their sessions and stops their API tokens", async () => {
    const admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
    const agent = await t.factory.staff();
    const agentClient = await t.signIn(agent.email, PASSWORD);
    const token = t.withToken((await agentClient.post("/api/v1/tokens", { name: "x" })).json().token);
    expect((await token.get("/api/v1/me")).statusCode).toBe(200);
    expect((await admin.patch(`/api/v1/staff/${agent.id}`, { active: false })).statusCode).toBe(200);
    expect((await agentClient.get("/api/v1/me")).statusCode).toBe(401);
    expect((await token.get("/api/v1/me")).statusCode).toBe(401);
    const again = await t.anonymous.post("/api/v1/auth/login", { email: agent.email, password: PASSWORD });
    expect(again.statusCode).toBe(401);
  });

  it("signs in customers separately from staff", async () => {
    const customer = await t.factory.customer();
    const asStaff = await t.anonymous.post("/api/v1/auth/login", { email: customer.email, password: PASSWORD });
    expect(asStaff.statusCode).toBe(401);
    const res = await t.anonymous.post("/api/v1/auth/login", { email: customer.email, password: PASSWORD, as: "customer" });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ kind: "customer", id: customer.id });
  });
});

describe("API tokens", () => {
  it("shows the token once, stores it hashed, authenticates without CSRF, and stops working when revoked", async () => {
    const staff = await t.factory.staff({ role: "admin" });
    const client = await t.signIn(staff.email, PASSWORD);
    const created = await client.post("/api/v1/tokens", { name: "CRM 集成", scopes: ["tickets:read", "admin"] });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^ldk_/);
    const stored = await t.ctx.db.selectFrom("api_tokens").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    const listed = await client.get("/api/v1/tokens");
    expect(JSON.stringify(listed.json())).not.toContain(token);

    const api = t.withToken(token);
    expect((await api.get("/api/v1/me")).json().user.id).toBe(staff.id);
    const write = await api.post("/api/v1/skills", { name: `via-token-${id}` });
    expect(write.statusCode).toBe(201);
    const used = (await client.get("/api/v1/tokens")).json().items.find((x: { id: number }) => x.id === id);
    expect(used.lastUsedAt).not.toBeNull();

    expect((await client.delete(`/api/v1/tokens/${id}`)).statusCode).toBe(204);
    expect((await api.get("/api/v1/me")).statusCode).toBe(401);
  });

  it("rejects an expired token", async () => {
    const staff = await t.factory.staff();
    const client = await t.signIn(staff.email, PASSWORD);
    const created = await client.post("/api/v1/tokens", { name: "short", expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect((await t.withToken(created.json().token).get("/api/v1/me")).statusCode).toBe(401);
  });

  it("a customer cannot create API tokens", async () => {
    const customer = await t.factory.customer();
    const client = await t.signIn(customer.email, PASSWORD, "customer");
    expect((await client.post("/api/v1/tokens", { name: "x" })).statusCode).toBe(403);
  });
});
