import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

/**
 * Every visibility and role rule, each checked from both sides so removing the rule fails a test.
 */
let t: TestApp;
let admin: Client;
let depA: { id: number };
let depASub: { id: number };
let depB: { id: number };
let agentA: Client;
let agentAId: number;
let agentB: Client;
let agentBId: number;
let supervisorA: Client;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
  depA = await t.factory.department("技术支持");
  depASub = await t.factory.department("技术支持-二线", depA.id);
  depB = await t.factory.department("财务");
  const a = await t.factory.staff({ departmentIds: [depA.id] });
  agentAId = a.id;
  agentA = await t.signIn(a.email, PASSWORD);
  const b = await t.factory.staff({ departmentIds: [depB.id] });
  agentBId = b.id;
  agentB = await t.signIn(b.email, PASSWORD);
  supervisorA = await t.signIn((await t.factory.staff({ role: "supervisor", departmentIds: [depA.id] })).email, PASSWORD);
});
afterAll(() => t.close());

const create = async (over: Record<string, unknown>) => {
  const res = await admin.post("/api/v1/tickets", { subject: "权限测试", customer: { email: "perm@example.cn" }, ...over });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: number; customerId: number };
};

describe("staff department scoping", () => {
  it("an agent sees their department's tickets (including sub-departments), not another department's: 404, not 403", async () => {
    const inA = await create({ departmentId: depA.id });
    const inSub = await create({ departmentId: depASub.id });
    const inB = await create({ departmentId: depB.id });
    expect((await agentA.get(`/api/v1/tickets/${inA.id}`)).statusCode).toBe(200);
    expect((await agentA.get(`/api/v1/tickets/${inSub.id}`)).statusCode).toBe(200);
    for (const path of ["", "/messages", "/events"]) {
      const res = await agentA.get(`/api/v1/tickets/${inB.id}${path}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe("not_found");
    }
    expect((await agentA.patch(`/api/v1/tickets/${inB.id}`, { priority: "high" })).statusCode).toBe(404);
    expect((await agentA.post(`/api/v1/tickets/${inB.id}/messages`, { body: "x" })).statusCode).toBe(404);
    const listA = (await agentA.get("/api/v1/tickets?limit=200")).json().items.map((x: { id: number }) => x.id);
    expect(listA).toEqual(expect.arrayContaining([inA.id, inSub.id]));
    expect(listA).not.toContain(inB.id);
    const listB = (await agentB.get("/api/v1/tickets?limit=200")).json().items.map((x: { id: number }) => x.id);
    expect(listB).toContain(inB.id);
    expect(listB).not.toContain(inA.id);
    expect((await supervisorA.get(`/api/v1/tickets/${inB.id}`)).statusCode).toBe(404);
    const countB = (await agentB.get(`/api/v1/tickets/count?department=${depB.id}`)).json().count;
    expect(countB).toBeGreaterThan(0);
    expect((await agentA.get(`/api/v1/tickets/count?department=${depB.id}`)).json().count).toBe(0);
    expect((await admin.get(`/api/v1/tickets/${inB.id}`)).statusCode).toBe(200);
  });

  it("an agent sees a ticket of another department once it is assigned to them", async () => {
    const inB = await create({ departmentId: depB.id });
    expect((await agentA.get(`/api/v1/tickets/${inB.id}`)).statusCode).toBe(404);
    await admin.patch(`/api/v1/tickets/${inB.id}`, { assigneeId: agentAId });
    expect((await agentA.get(`/api/v1/tickets/${inB.id}`)).statusCode).toBe(200);
    const mine = (await agentA.get("/api/v1/tickets?assignee=me")).json().items.map((x: { id: number }) => x.id);
    expect(mine).toContain(inB.id);
  });

  it("tickets without a department are the shared inbox every agent sees", async () => {
    const inbox = await create({});
    expect((await agentA.get(`/api/v1/tickets/${inbox.id}`)).statusCode).toBe(200);
    expect((await agentB.get(`/api/v1/tickets/${inbox.id}`)).statusCode).toBe(200);
  });
});

describe("customers", () => {
  it("see only their own tickets; another customer's answer 404", async () => {
    const alice = await t.factory.customer();
    const bob = await t.factory.customer();
    const aliceClient = await t.signIn(alice.email, PASSWORD, "customer");
    const own = await create({ customer: { email: alice.email } });
    const bobs = await create({ customer: { email: bob.email } });
    expect((await aliceClient.get(`/api/v1/tickets/${own.id}`)).statusCode).toBe(200);
    expect((await aliceClient.get(`/api/v1/tickets/${bobs.id}`)).statusCode).toBe(404);
    expect((await aliceClient.post(`/api/v1/tickets/${bobs.id}/messages`, { body: "hi" })).statusCode).toBe(404);
    const list = (await aliceClient.get("/api/v1/tickets")).json().items.map((x: { id: number }) => x.id);
    expect(list).toEqual([own.id]);
    expect((await aliceClient.get(`/api/v1/customers/${bob.id}`)).statusCode).toBe(404);
    expect((await aliceClient.get(`/api/v1/customers/${alice.id}`)).statusCode).toBe(200);
  });

  it("an organization's designated contact sees the organization's tickets; a plain member does not", async () => {
    const org = await t.factory.organization();
    const contact = await t.factory.customer({ organizationId: org.id, isOrgContact: true });
    const member = await t.factory.customer({ organizationId: org.id });
    const colleagueTicket = await create({ customer: { email: member.email } });
    const contactClient = await t.signIn(contact.email, PASSWORD, "customer");
    const memberOwn = await t.signIn(member.email, PASSWORD, "customer");
    expect((await contactClient.get(`/api/v1/tickets/${colleagueTicket.id}`)).statusCode).toBe(200);
    const other = await t.factory.customer({ organizationId: org.id });
    const otherTicket = await create({ customer: { email: other.email } });
    expect((await memberOwn.get(`/api/v1/tickets/${otherTicket.id}`)).statusCode).toBe(404);
  });

  it("create tickets only for themselves, cannot edit tickets, set assignees or use staff endpoints", async () => {
    const alice = await t.factory.customer();
    const client = await t.signIn(alice.email, PASSWORD, "customer");
    const res = await client.post("/api/v1/tickets", { subject: "门户提交", description: "我的问题" });
    expect(res.statusCode).toBe(201);
    // The customer gets their own view of the ticket: never a staff-only field.
    expect(res.json()).toMatchObject({ subject: "门户提交", state: "in_progress" });
    const staffOnly = [
      "priority",
      "channel",
      "status",
      "assigneeId",
      "teamId",
      "departmentId",
      "priorityScore",
      "routingStatus",
      "tags",
      "customerId",
    ];
    for (const view of [
      res.json(),
      (await client.get(`/api/v1/tickets/${res.json().id}`)).json(),
      (await client.get("/api/v1/tickets")).json().items[0],
    ])
      for (const key of staffOnly) expect(view, key).not.toHaveProperty(key);
    expect(
      await t.ctx.db.selectFrom("tickets").select(["customer_id", "channel"]).where("id", "=", res.json().id).executeTakeFirst(),
    ).toEqual({
      customer_id: alice.id,
      channel: "portal",
    });
    expect((await client.post("/api/v1/tickets", { subject: "x", customer: { email: "other@example.cn" } })).statusCode).toBe(403);
    expect((await client.post("/api/v1/tickets", { subject: "x", assigneeId: agentAId })).statusCode).toBe(403);
    expect((await client.patch(`/api/v1/tickets/${res.json().id}`, { priority: "urgent" })).statusCode).toBe(403);
    for (const url of [
      "/api/v1/staff",
      "/api/v1/customers",
      "/api/v1/organizations",
      "/api/v1/departments",
      "/api/v1/teams",
      "/api/v1/tokens",
    ])
      expect((await client.get(url)).statusCode).toBe(403);
  });
});

describe("roles", () => {
  it("only admins manage staff, departments, teams, skills, categories and custom fields", async () => {
    const cases: [string, string, unknown][] = [
      ["POST", "/api/v1/staff", { email: "new-agent@test.local", name: "新人", password: "password-123" }],
      ["POST", "/api/v1/departments", { name: "新部门" }],
      ["POST", "/api/v1/teams", { name: "新团队", departmentId: depA.id }],
      ["POST", "/api/v1/skills", { name: "新技能" }],
      ["POST", "/api/v1/categories", { name: "新分类" }],
      ["POST", "/api/v1/custom-fields", { entity: "ticket", key: "new_field", label: "新字段", type: "text" }],
    ];
    for (const [method, url, body] of cases) {
      const denied = await agentA.request(method as "POST", url, body);
      expect(denied.statusCode, `${method} ${url} as agent`).toBe(403);
      expect((await supervisorA.request(method as "POST", url, body)).statusCode, `${method} ${url} as supervisor`).toBe(403);
      expect((await admin.request(method as "POST", url, body)).statusCode, `${method} ${url} as admin`).toBe(201);
    }
  });

  it("only admins change staff, departments, categories and custom fields", async () => {
    const target = await t.factory.staff();
    const category = (await admin.post("/api/v1/categories", { name: "改动测试" })).json();
    const field = (await admin.post("/api/v1/custom-fields", { entity: "ticket", key: "patch_probe", label: "探针", type: "text" })).json();
    const cases: [string, unknown][] = [
      [`/api/v1/staff/${target.id}`, { role: "admin" }],
      [`/api/v1/departments/${depA.id}`, { name: "改名" }],
      [`/api/v1/categories/${category.id}`, { name: "改名" }],
      [`/api/v1/custom-fields/${field.id}`, { label: "改名" }],
    ];
    for (const [url, body] of cases) {
      expect((await agentA.patch(url, body)).statusCode, `PATCH ${url} as agent`).toBe(403);
      expect((await supervisorA.patch(url, body)).statusCode, `PATCH ${url} as supervisor`).toBe(403);
    }
    expect((await t.ctx.db.selectFrom("staff").select("role").where("id", "=", target.id).executeTakeFirstOrThrow()).role).toBe("agent");
    for (const [url, body] of cases.slice(1)) expect((await admin.patch(url, body)).statusCode, `PATCH ${url} as admin`).toBe(200);
  });

  it("supervisors (and admins) may change team membership; agents may not", async () => {
    const team = (await admin.post("/api/v1/teams", { name: "技术一组", departmentId: depA.id })).json();
    expect((await agentA.patch(`/api/v1/teams/${team.id}`, { memberIds: [agentAId] })).statusCode).toBe(403);
    const ok = await supervisorA.patch(`/api/v1/teams/${team.id}`, { memberIds: [agentAId, agentBId] });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().memberIds.sort()).toEqual([agentAId, agentBId].sort());
  });
});
