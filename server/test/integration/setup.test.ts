import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firstStart } from "../../src/modules/setup/first-start";
import { seedDemo } from "../../src/modules/setup/seed-demo";
import { expectTicketInvariants } from "../support/invariants";
import { PASSWORD, type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ LOOPDESK_DEMO: "false", LOOPDESK_ADMIN_EMAIL: "owner@example.cn" });
});
afterAll(() => t.close());

describe("first start", () => {
  it("creates the administrator once, printing a generated password only that time", async () => {
    const printed: string[] = [];
    expect((await firstStart(t.ctx, (l) => printed.push(l))).created).toBe(true);
    const passwordLine = printed.find((l) => l.includes("password:"));
    expect(passwordLine).toBeDefined();
    const password = (passwordLine as string).split("password:")[1].trim();
    const login = await t.anonymous.post("/api/v1/auth/login", { email: "owner@example.cn", password });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.role).toBe("admin");
    const again: string[] = [];
    expect((await firstStart(t.ctx, (l) => again.push(l))).created).toBe(false);
    expect(again).toEqual([]);
    const tickets = await t.ctx.db
      .selectFrom("tickets")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(tickets.n)).toBe(0); // LOOPDESK_DEMO=false
  });
});

describe("demo workspace", () => {
  it("adds consistent Chinese demo data: departments, agents, customers and tickets with their history", async () => {
    const summary = await seedDemo(t.ctx, { tickets: 400, customers: 60 });
    expect(summary).toMatchObject({ tickets: 400, customers: 60, agents: 12 });
    const departments = (await t.ctx.db.selectFrom("departments").select("name").execute()).map((d) => d.name);
    expect(departments).toEqual(expect.arrayContaining(["售前咨询", "售后服务", "技术支持", "仓储物流", "财务"]));
    const tiers = (await t.ctx.db.selectFrom("customers").select("tier").distinct().execute()).map((c) => c.tier);
    expect(tiers).toEqual(expect.arrayContaining(["normal", "silver", "gold"]));
    await expectTicketInvariants(t.ctx.db, {
      "answered tickets have a first response": `select id from tickets where status <> 'new' and first_response_at is null and assignee_id is not null`,
      "every customer has an email": `select c.id from customers c where not exists (select 1 from customer_identities i where i.customer_id = c.id and i.kind = 'email')`,
      "all within the last 90 days": `select id from tickets where created_at < now() - interval '91 days' or created_at > now()`,
    });
    const agent = await t.signIn("wangfang@demo.loopdesk.local", "loopdesk-demo");
    const found = (await agent.get(`/api/v1/tickets?q=${encodeURIComponent("退货")}&limit=200`)).json().items;
    expect(found.length).toBeGreaterThan(0);

    // SLA: a working calendar, three policies, and clocks on the open tickets once the jobs ran.
    await t.ctx.jobs.drain();
    expect((await agent.get("/api/v1/sla-policies")).json().items.map((p: { name: string }) => p.name)).toEqual([
      "VIP 客户",
      "紧急工单",
      "标准",
    ]);
    const admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
    const breached = (await admin.get("/api/v1/tickets/count?sla=breached")).json().count;
    const open = (await admin.get("/api/v1/tickets/count?status=new,open")).json().count;
    expect(breached).toBeGreaterThan(0);
    expect(breached).toBeLessThanOrEqual(open);
    expect((await agent.get("/api/v1/canned-replies")).json().items.length).toBeGreaterThanOrEqual(4);
  });
});

describe("API documentation", () => {
  it("serves an OpenAPI 3.1 document built from the request schemas, and the docs page", async () => {
    const res = await t.anonymous.get("/api/v1/openapi.json");
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe("3.1.0");
    const create = doc.paths["/api/v1/tickets"].post;
    expect(create.requestBody.content["application/json"].schema.properties).toHaveProperty("subject");
    expect(create.responses["201"]).toBeDefined();
    expect(doc.paths["/api/v1/tickets/{id}"].patch.parameters.map((p: { name: string }) => p.name)).toContain("id");
    expect(doc.paths["/api/v1/tickets"].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["status", "q", "cursor"]),
    );
    const docs = await t.anonymous.get("/api/docs");
    expect(docs.statusCode).toBe(200);
    expect(docs.headers["content-type"]).toContain("text/html");
    expect((await t.anonymous.get("/api/docs/assets/swagger-ui-bundle.js")).statusCode).toBe(200);
    const health = await t.anonymous.get("/healthz");
    expect(health.json()).toMatchObject({ status: "ok" });
  });
});
