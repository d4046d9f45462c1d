import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

let t: TestApp;
let admin: Client;
beforeAll(async () => ({ t, admin } = await appWithAdmin()));
afterAll(() => t.close());

async function solvedTicket(departmentId: number | null = null, subject = "路由器掉线") {
  const customer = await t.factory.customer();
  const ticket = (await admin.post("/api/v1/tickets", { subject, description: "x", customer: { id: customer.id }, departmentId })).json();
  await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "已远程修复", status: "solved" });
  return { ticket, customer };
}

describe("follow-up visits (回访)", () => {
  it("a rule plans a visit for a bad rating; the visitor records the outcome; overdue visits have their view", async () => {
    const care = await t.factory.department();
    const visitor = await t.factory.staff({ departmentIds: [care.id] });
    const outsider = await t.factory.staff();
    await admin.post("/api/v1/triggers", {
      name: "差评回访",
      events: ["csat_received"],
      conditions: { all: [{ field: "csat.rating", op: "lt", value: 3 }] },
      actions: [{ type: "create_visit", reason: "客户给了差评（工单 #{{ticket.number}}）", dueHours: 24, departmentId: care.id }],
    });
    const { ticket, customer } = await solvedTicket();
    const portal = await t.signIn(customer.email, PASSWORD, "customer");
    await portal.post(`/api/v1/tickets/${ticket.id}/csat`, { rating: 1, comment: "还是掉线" });
    await t.ctx.jobs.drain();

    const me = await t.signIn(visitor.email, PASSWORD);
    const [visit] = (await me.get("/api/v1/visits?status=open")).json().items;
    expect(visit).toMatchObject({
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      reason: `客户给了差评（工单 #${ticket.number}）`,
      departmentId: care.id,
      status: "open",
      overdue: false,
      source: { kind: "trigger", name: "差评回访" },
    });
    // Someone outside the department neither sees nor changes it.
    const other = await t.signIn(outsider.email, PASSWORD);
    expect((await other.get("/api/v1/visits")).json().items.map((v: { id: number }) => v.id)).not.toContain(visit.id);
    expect((await other.patch(`/api/v1/visits/${visit.id}`, { status: "done", result: "satisfied" })).statusCode).toBe(404);

    // Past its due time it shows in the overdue view.
    await t.ctx.db
      .updateTable("follow_up_visits")
      .set({ due_at: new Date(Date.now() - 3_600_000) })
      .where("id", "=", visit.id)
      .execute();
    expect((await me.get("/api/v1/visits?overdue=true")).json().items).toEqual([expect.objectContaining({ id: visit.id, overdue: true })]);

    expect((await me.patch(`/api/v1/visits/${visit.id}`, { status: "done" })).statusCode).toBe(400); // needs a result
    const done = await me.patch(`/api/v1/visits/${visit.id}`, {
      status: "done",
      result: "resolved_now",
      outcome: "重新配置后恢复，客户认可",
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: "done", result: "resolved_now", overdue: false });
    expect((await me.get("/api/v1/visits?overdue=true")).json().items).toEqual([]);
    const history = (await admin.get(`/api/v1/tickets/${ticket.id}/events`)).json().items.map((e: { type: string }) => e.type);
    expect(history).toEqual(expect.arrayContaining(["visit_created", "visit_completed"]));
  });

  it("staff plan visits by hand, one open visit per ticket", async () => {
    const { ticket } = await solvedTicket(null, "VIP 客户回访");
    const res = await admin.post(`/api/v1/tickets/${ticket.id}/visits`, { reason: "VIP 客户例行回访", dueHours: 48 });
    expect(res.statusCode).toBe(201);
    expect(res.json().source).toMatchObject({ kind: "staff" });
    const again = await admin.post(`/api/v1/tickets/${ticket.id}/visits`, { reason: "再来一次" });
    expect(again.statusCode).toBe(409);
    expect((await admin.get(`/api/v1/visits?ticketId=${ticket.id}`)).json().items).toHaveLength(1);
    await admin.patch(`/api/v1/visits/${res.json().id}`, { status: "cancelled" });
    expect((await admin.post(`/api/v1/tickets/${ticket.id}/visits`, { reason: "重新安排" })).statusCode).toBe(201);
    const bad = await admin.post("/api/v1/triggers", {
      name: "x",
      events: ["created"],
      actions: [{ type: "create_visit", reason: "x", departmentId: 999999 }],
    });
    expect(bad.json().error.details).toEqual([expect.objectContaining({ path: "actions.0.departmentId", code: "unknown_reference" })]);
  });
});
