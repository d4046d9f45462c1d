import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
let admin: Client;
let supervisor: Client;
let agentA: Client;
let agentB: Client;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
  supervisor = await t.signIn((await t.factory.staff({ role: "supervisor" })).email, PASSWORD);
  agentA = await t.signIn((await t.factory.staff()).email, PASSWORD);
  agentB = await t.signIn((await t.factory.staff()).email, PASSWORD);
});
afterAll(() => t.close());

const names = async (c: Client, url: string) =>
  ((await c.get(url)).json().items as { name?: string; title?: string }[]).map((x) => x.name ?? x.title);

describe("saved views", () => {
  it("a personal view is its owner's alone; a shared one every agent sees but only its owner or an admin changes", async () => {
    const own = await agentA.post("/api/v1/views", { name: "我的紧急", filters: { priority: "urgent,high", status: "new,open" } });
    expect(own.statusCode).toBe(201);
    expect(own.json()).toMatchObject({ name: "我的紧急", shared: false, editable: true, filters: { priority: "urgent,high" } });
    const shared = (await agentA.post("/api/v1/views", { name: "发票类", filters: { tag: "发票" }, shared: true })).json();

    expect(await names(agentA, "/api/v1/views")).toEqual(["我的紧急", "发票类"]);
    const seenByB = (await agentB.get("/api/v1/views")).json().items;
    expect(seenByB.map((v: { name: string }) => v.name)).toEqual(["发票类"]);
    expect(seenByB[0]).toMatchObject({ editable: false, ownerName: expect.any(String) });

    expect((await agentB.patch(`/api/v1/views/${own.json().id}`, { name: "x" })).statusCode).toBe(404);
    expect((await agentB.patch(`/api/v1/views/${shared.id}`, { name: "x" })).statusCode).toBe(404);
    expect((await agentB.delete(`/api/v1/views/${shared.id}`)).statusCode).toBe(404);
    const renamed = await admin.patch(`/api/v1/views/${shared.id}`, { name: "发票类（全员）" });
    expect(renamed.json()).toMatchObject({ name: "发票类（全员）", editable: true });

    expect((await agentA.patch(`/api/v1/views/${shared.id}`, { shared: false })).json().shared).toBe(false);
    expect(await names(agentB, "/api/v1/views")).toEqual([]);
    expect((await agentA.delete(`/api/v1/views/${own.json().id}`)).statusCode).toBe(204);
    expect(await names(agentA, "/api/v1/views")).toEqual(["发票类（全员）"]);
  });

  it("refuses filters the ticket list would refuse, naming the field", async () => {
    const res = await agentA.post("/api/v1/views", { name: "bad", filters: { status: "nonsense" } });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().error.details)).toContain("status");
    expect((await agentA.post("/api/v1/views", { name: "bad", filters: { unknown: "1" } })).statusCode).toBe(400);
  });

  it("customers have no saved views", async () => {
    const customer = await t.signIn((await t.factory.customer()).email, PASSWORD, "customer");
    expect((await customer.get("/api/v1/views")).statusCode).toBe(403);
  });
});

describe("the 我的团队 filter (department=mine)", () => {
  it("lists the tickets of the caller's departments only", async () => {
    const dep = await t.factory.department();
    const other = await t.factory.department();
    const member = await t.signIn((await t.factory.staff({ departmentIds: [dep.id] })).email, PASSWORD);
    const customer = await t.factory.customer();
    const mk = async (departmentId: number) =>
      (await admin.post("/api/v1/tickets", { subject: "团队", description: "x", customer: { id: customer.id }, departmentId })).json();
    const inMine = await mk(dep.id);
    await mk(other.id);
    const listed = (await member.get("/api/v1/tickets?department=mine")).json().items;
    expect(listed.map((x: { id: number }) => x.id)).toEqual([inMine.id]);
    expect((await admin.get("/api/v1/tickets?department=mine")).json().items).toEqual([]);
  });
});

describe("canned replies", () => {
  it("agents keep personal replies; shared ones are maintained by supervisors and admins", async () => {
    const mine = await agentA.post("/api/v1/canned-replies", { title: "问候", body: "您好 {{customer.name}}，" });
    expect(mine.statusCode).toBe(201);
    expect(mine.json()).toMatchObject({ shared: false, editable: true });
    expect((await agentA.post("/api/v1/canned-replies", { title: "x", body: "y", shared: true })).statusCode).toBe(403);
    const shared = (
      await supervisor.post("/api/v1/canned-replies", { title: "退货流程", body: "请在订单页申请退货。", shared: true })
    ).json();

    const listA = (await agentA.get("/api/v1/canned-replies")).json().items;
    expect(listA.map((r: { title: string }) => r.title)).toEqual(["退货流程", "问候"].sort());
    expect(listA.find((r: { id: number }) => r.id === shared.id).editable).toBe(false);
    expect(await names(agentB, "/api/v1/canned-replies")).toEqual(["退货流程"]);

    expect((await agentA.patch(`/api/v1/canned-replies/${shared.id}`, { body: "改" })).statusCode).toBe(403);
    expect((await agentB.patch(`/api/v1/canned-replies/${mine.json().id}`, { body: "改" })).statusCode).toBe(404);
    expect((await agentB.delete(`/api/v1/canned-replies/${mine.json().id}`)).statusCode).toBe(404);
    expect((await agentA.patch(`/api/v1/canned-replies/${mine.json().id}`, { shared: true })).statusCode).toBe(403);
    expect((await admin.patch(`/api/v1/canned-replies/${shared.id}`, { body: "请在“我的订单”申请退货。" })).json().body).toBe(
      "请在“我的订单”申请退货。",
    );
    expect((await agentA.delete(`/api/v1/canned-replies/${mine.json().id}`)).statusCode).toBe(204);
    expect(await names(agentA, "/api/v1/canned-replies")).toEqual(["退货流程"]);
  });
});
