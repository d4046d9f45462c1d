import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

/**
 * A person sees where they are signed in and ends any session; an administrator signs a person
 * out everywhere; API tokens do only what their scopes allow, on every route.
 */
let t: TestApp;
let admin: Client;
const WINDOWS_EDGE =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

beforeAll(async () => {
  ({ t, admin } = await appWithAdmin());
});
afterAll(() => t.close());

/** Signs in with a given browser; the client carries the session cookie and CSRF header. */
async function signInWith(email: string, userAgent: string): Promise<Client> {
  const res = await t.app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    headers: { "user-agent": userAgent },
    payload: { email, password: PASSWORD },
  });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = `loopdesk_session=${res.cookies.find((c) => c.name === "loopdesk_session")?.value}`;
  const csrf = res.json().csrfToken as string;
  const request: Client["request"] = (method, url, body, headers = {}) =>
    t.app.inject({
      method,
      url,
      headers: { cookie, "x-csrf-token": csrf, "user-agent": userAgent, ...headers },
      ...(body === undefined ? {} : { payload: body as string }),
    });
  return {
    request,
    get: (url, h) => request("GET", url, undefined, h),
    post: (url, b, h) => request("POST", url, b ?? {}, h),
    patch: (url, b, h) => request("PATCH", url, b ?? {}, h),
    delete: (url, h) => request("DELETE", url, undefined, h),
  };
}

type Session = { id: string; device: string; ip: string | null; current: boolean; lastSeenAt: string };

describe("sessions", () => {
  it("lists one's sessions with device and address, and ends another one", async () => {
    const agent = await t.factory.staff({ name: "多设备客服" });
    const desk = await signInWith(agent.email, WINDOWS_EDGE);
    const phone = await signInWith(agent.email, IPHONE);
    const listed = (await desk.get("/api/v1/me/sessions")).json().items as Session[];
    expect(listed).toHaveLength(2);
    const mine = listed.find((s) => s.current) as Session;
    const other = listed.find((s) => !s.current) as Session;
    expect(mine.device).toBe("Microsoft Edge 131 · Windows 10");
    expect(other.device).toMatch(/^Safari 17 · iOS 17/);
    expect(mine.ip).toBe("127.0.0.1");
    expect(other.id).toMatch(/^[0-9a-f]{16}$/);
    expect((await phone.get("/api/v1/me")).statusCode).toBe(200);
    expect((await desk.delete(`/api/v1/me/sessions/${other.id}`)).statusCode).toBe(204);
    expect((await phone.get("/api/v1/me")).statusCode).toBe(401);
    expect((await desk.get("/api/v1/me")).statusCode).toBe(200);
    const [ended] = (await admin.get("/api/v1/audit-log?action=sessions.delete")).json().items;
    expect(ended.actor.id).toBe(agent.id);
  });

  it("another person's session, or a made-up handle, is not found", async () => {
    const a = await t.factory.staff();
    const b = await t.factory.staff();
    const clientA = await signInWith(a.email, WINDOWS_EDGE);
    const clientB = await signInWith(b.email, WINDOWS_EDGE);
    const [sessionB] = (await clientB.get("/api/v1/me/sessions")).json().items as Session[];
    expect((await clientA.delete(`/api/v1/me/sessions/${sessionB?.id}`)).statusCode).toBe(404);
    expect((await clientA.delete("/api/v1/me/sessions/%25")).statusCode).toBe(404);
    expect((await clientA.delete("/api/v1/me/sessions/")).statusCode).toBe(404);
    expect((await clientB.get("/api/v1/me")).statusCode).toBe(200);
    expect((await clientA.get("/api/v1/me/sessions")).json().items).toHaveLength(1);
  });

  it("an administrator signs a person out everywhere, which the audit log records; nobody else may", async () => {
    const person = await t.factory.staff({ name: "离职员工" });
    const one = await signInWith(person.email, WINDOWS_EDGE);
    const two = await signInWith(person.email, IPHONE);
    expect((await admin.get(`/api/v1/staff/${person.id}/sessions`)).json().items).toHaveLength(2);
    const lead = await t.signIn((await t.factory.staff({ role: "supervisor" })).email, PASSWORD);
    expect((await lead.delete(`/api/v1/staff/${person.id}/sessions`)).statusCode).toBe(403);
    expect((await lead.get(`/api/v1/staff/${person.id}/sessions`)).statusCode).toBe(403);
    expect((await one.get("/api/v1/me")).statusCode).toBe(200);
    expect((await admin.delete(`/api/v1/staff/${person.id}/sessions`)).statusCode).toBe(204);
    expect((await one.get("/api/v1/me")).statusCode).toBe(401);
    expect((await two.get("/api/v1/me")).statusCode).toBe(401);
    expect((await admin.delete("/api/v1/staff/999999/sessions")).statusCode).toBe(404);
    const [entry] = (await admin.get(`/api/v1/audit-log?action=staff.sessions.delete&targetId=${person.id}`)).json().items;
    expect(entry.target).toMatchObject({ type: "staff", id: String(person.id) });
  });
});

describe("API token scopes", () => {
  async function tokenFor(client: Client, scopes?: string[]) {
    const res = await client.post("/api/v1/tokens", { name: "集成", ...(scopes ? { scopes } : {}) });
    expect(res.statusCode, res.body).toBe(201);
    return t.withToken(res.json().token);
  }
  const ticketBody = { subject: "令牌建单", description: "来自 ERP", customer: { email: "erp@example.cn" } };

  it("a token reads and writes tickets by default, and nothing else", async () => {
    const token = await tokenFor(admin);
    expect((await admin.get("/api/v1/tokens")).json().items[0].scopes).toEqual(["tickets:read", "tickets:write"]);
    expect((await token.get("/api/v1/tickets")).statusCode).toBe(200);
    expect((await token.post("/api/v1/tickets", ticketBody)).statusCode).toBe(201);
    const report = await token.get("/api/v1/analytics/overview?from=2026-11-01&to=2026-11-30");
    expect(report.statusCode).toBe(403);
    expect(report.json().error).toMatchObject({ code: "insufficient_scope", details: { scope: "analytics" } });
    const settings = await token.post("/api/v1/departments", { name: "令牌部门" });
    expect(settings.json().error).toMatchObject({ code: "insufficient_scope", details: { scope: "admin" } });
    // A token cannot make itself a stronger token.
    expect((await token.post("/api/v1/tokens", { name: "more", scopes: ["admin"] })).json().error.code).toBe("insufficient_scope");
  });

  it("a read-only token cannot write; a reports token reads only reports", async () => {
    const reader = await tokenFor(admin, ["tickets:read"]);
    expect((await reader.get("/api/v1/tickets")).statusCode).toBe(200);
    const write = await reader.post("/api/v1/tickets", ticketBody);
    expect(write.statusCode).toBe(403);
    expect(write.json().error.details).toEqual({ scope: "tickets:write" });
    const reports = await tokenFor(admin, ["analytics"]);
    expect((await reports.get("/api/v1/analytics/overview?from=2026-11-01&to=2026-11-30")).statusCode).toBe(200);
    expect((await reports.get("/api/v1/tickets")).statusCode).toBe(403);
  });

  it("an admin-scoped token changes settings, but never beyond its owner's role", async () => {
    const adminToken = await tokenFor(admin, ["admin"]);
    expect((await adminToken.post("/api/v1/departments", { name: "令牌新建的部门" })).statusCode).toBe(201);
    const agent = await t.signIn((await t.factory.staff()).email, PASSWORD);
    const agentToken = await tokenFor(agent, ["admin", "tickets:read"]);
    const refused = await agentToken.post("/api/v1/departments", { name: "越权" });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe("forbidden");
    expect((await admin.post("/api/v1/tokens", { name: "x", scopes: ["everything"] })).statusCode).toBe(400);
    expect((await admin.post("/api/v1/tokens", { name: "x", scopes: [] })).statusCode).toBe(400);
  });

  it("every route but the public ones names the scope a token needs", async () => {
    const doc = (await t.anonymous.get("/api/v1/openapi.json")).json() as {
      paths: Record<string, Record<string, { security: unknown[]; "x-token-scope"?: string }>>;
    };
    const ops = Object.entries(doc.paths).flatMap(([path, o]) =>
      Object.entries(o).map(([method, op]) => ({ route: `${method} ${path}`, op })),
    );
    const missing = ops.filter(({ op }) => op.security.length > 0 && !op["x-token-scope"]).map((o) => o.route);
    expect(missing).toEqual([]);
    const scope = (route: string) => ops.find((o) => o.route === route)?.op["x-token-scope"];
    expect(scope("get /api/v1/tickets")).toBe("tickets:read");
    expect(scope("post /api/v1/tickets/{id}/messages")).toBe("tickets:write");
    expect(scope("patch /api/v1/sla-policies/{id}")).toBe("admin");
    expect(scope("get /api/v1/analytics/overview")).toBe("analytics");
    expect(scope("post /api/v1/calls")).toBe("intake");
  });
});
