import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

/** Macros: a canned reply that also changes the ticket, previewed, then applied in one step. */
let t: TestApp;
let admin: Client;
let supervisor: Client;
let agent: Client;
let other: Client;
let agentId: number;

beforeAll(async () => {
  ({ t, admin } = await appWithAdmin());
  supervisor = await t.signIn((await t.factory.staff({ role: "supervisor", name: "主管" })).email, PASSWORD);
  const a = await t.factory.staff({ name: "客服小林" });
  agentId = a.id;
  agent = await t.signIn(a.email, PASSWORD);
  other = await t.signIn((await t.factory.staff({ name: "客服小周" })).email, PASSWORD);
});
afterAll(() => t.close());

async function ticket() {
  const customer = await t.factory.customer({ name: "赵敏" });
  return (await admin.post("/api/v1/tickets", { subject: "退款没到账", description: "一周了", customer: { id: customer.id } })).json();
}

describe("macros", () => {
  it("previews, then applies its reply (filled in), status, priority, tags and assignee in one step", async () => {
    const created = await supervisor.post("/api/v1/canned-replies", {
      title: "退款处理中",
      body: "{{customer.name}}您好，工单 #{{ticket.number}} 的退款已提交财务，预计 3 个工作日到账。——{{agent.name}}",
      shared: true,
      actions: { status: "pending", priority: "high", addTags: ["退款"], assignee: "me" },
    });
    expect(created.statusCode).toBe(201);
    const macro = created.json();
    expect(macro.actions).toMatchObject({ status: "pending", assignee: "me" });
    const tk = await ticket();
    const preview = await agent.post(`/api/v1/tickets/${tk.id}/macros/${macro.id}`, { preview: true });
    expect(preview.statusCode).toBe(200);
    expect(preview.json().reply).toBe(`赵敏您好，工单 #${tk.number} 的退款已提交财务，预计 3 个工作日到账。——客服小林`);
    expect(preview.json().changes).toEqual(
      expect.arrayContaining([
        { field: "status", before: "new", after: "pending" },
        { field: "priority", before: "normal", after: "high" },
        { field: "tags", before: [], after: ["退款"] },
        { field: "assigneeId", before: null, after: agentId },
      ]),
    );
    // A preview changes nothing.
    expect((await admin.get(`/api/v1/tickets/${tk.id}`)).json()).toMatchObject({ status: "new", priority: "normal" });

    expect((await agent.post(`/api/v1/tickets/${tk.id}/macros/${macro.id}`, {})).statusCode).toBe(200);
    const after = (await admin.get(`/api/v1/tickets/${tk.id}`)).json();
    expect(after).toMatchObject({ status: "pending", priority: "high", tags: ["退款"], assigneeId: agentId });
    const messages = (await admin.get(`/api/v1/tickets/${tk.id}/messages`)).json().items as { bodyText: string; visibility: string }[];
    expect(messages.at(-1)).toMatchObject({ visibility: "public", bodyText: expect.stringContaining("赵敏您好") });
    const events = (await admin.get(`/api/v1/tickets/${tk.id}/events`)).json().items as {
      type: string;
      data: { via?: { kind: string } };
    }[];
    expect(events.filter((e) => e.data?.via?.kind === "macro").length).toBeGreaterThan(0);
  });

  it("an internal-note macro with only changes; another agent's own macro is not theirs to use; closed tickets refuse", async () => {
    const own = (
      await agent.post("/api/v1/canned-replies", {
        title: "转主管跟进",
        body: "请主管跟进",
        actions: { internal: true, priority: "urgent" },
      })
    ).json();
    const tk = await ticket();
    expect((await other.post(`/api/v1/tickets/${tk.id}/macros/${own.id}`, {})).statusCode).toBe(404);
    expect((await agent.post(`/api/v1/tickets/${tk.id}/macros/${own.id}`, {})).statusCode).toBe(200);
    const messages = (await admin.get(`/api/v1/tickets/${tk.id}/messages`)).json().items as { visibility: string }[];
    expect(messages.at(-1)?.visibility).toBe("internal");
    expect((await admin.get(`/api/v1/tickets/${tk.id}`)).json().priority).toBe("urgent");

    const onlyChanges = (await agent.post("/api/v1/canned-replies", { title: "标记 VIP", actions: { addTags: ["VIP"] } })).json();
    expect(onlyChanges.body).toBe("");
    expect((await agent.post("/api/v1/canned-replies", { title: "空的" })).json().error.details[0]).toMatchObject({ path: "body" });
    expect((await agent.post("/api/v1/canned-replies", { title: "坏的", actions: { status: "closed" } })).statusCode).toBe(400);
    expect((await agent.post("/api/v1/canned-replies", { title: "坏的", actions: { addTags: ["有 空格"] } })).statusCode).toBe(400);

    await t.ctx.db.updateTable("tickets").set({ status: "closed" }).where("id", "=", tk.id).execute();
    expect((await agent.post(`/api/v1/tickets/${tk.id}/macros/${onlyChanges.id}`, {})).statusCode).toBe(409);
  });
});
