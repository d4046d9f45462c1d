import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

let t: TestApp;
let admin: Client;
beforeAll(async () => ({ t, admin } = await appWithAdmin()));
afterAll(() => t.close());

async function setUp() {
  const dep = await t.factory.department();
  const assignee = await t.factory.staff({ departmentIds: [dep.id] });
  const supervisor = await t.factory.staff({ role: "supervisor", departmentIds: [dep.id] });
  const customer = await t.factory.customer();
  const ticket = (
    await admin.post("/api/v1/tickets", {
      subject: "发票还没开",
      description: "x",
      customer: { id: customer.id },
      departmentId: dep.id,
      assigneeId: assignee.id,
    })
  ).json();
  const assigneeClient = await t.signIn(assignee.email, PASSWORD);
  // The assignment itself was a notification; start from a quiet bell.
  await t.ctx.jobs.drain();
  await assigneeClient.post("/api/v1/notifications/read", { all: true });
  return {
    ticket,
    customer,
    assignee: assigneeClient,
    supervisor: await t.signIn(supervisor.email, PASSWORD),
    customerClient: await t.signIn(customer.email, PASSWORD, "customer"),
  };
}

describe("one-click urge (催办)", () => {
  it("counts and records the urge, notifies the assignee and supervisor, and limits repeats with a clear answer", async () => {
    const { ticket, assignee, supervisor, customerClient } = await setUp();
    const first = await customerClient.post(`/api/v1/tickets/${ticket.id}/urge`, { note: "很急，明天要报销" });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ urgeCount: 1 });
    const again = await customerClient.post(`/api/v1/tickets/${ticket.id}/urge`, {});
    expect(again.statusCode).toBe(429);
    expect(again.json().error.code).toBe("already_urged");
    expect(Number(again.headers["retry-after"])).toBeGreaterThan(25 * 60);
    // The holder herself cannot: it would only notify her.
    const own = await assignee.post(`/api/v1/tickets/${ticket.id}/urge`, {});
    expect(own.statusCode).toBe(409);
    expect(own.json().error.code).toBe("own_ticket");
    // Another person may urge too.
    expect((await supervisor.post(`/api/v1/tickets/${ticket.id}/urge`, {})).json()).toEqual({ urgeCount: 2 });
    expect((await admin.get(`/api/v1/tickets/${ticket.id}`)).json().urgeCount).toBe(2);
    const events = (await customerClient.get(`/api/v1/tickets/${ticket.id}/events`)).json().items;
    expect(events.filter((e: { type: string }) => e.type === "urged")).toHaveLength(2);

    await t.ctx.jobs.drain();
    const forAssignee = (await assignee.get("/api/v1/notifications")).json();
    expect(forAssignee.unreadCount).toBe(2);
    expect(forAssignee.items[1]).toMatchObject({
      type: "urged",
      ticketId: ticket.id,
      ticketSubject: "发票还没开",
      data: expect.objectContaining({ note: "很急，明天要报销" }),
    });
    // The supervisor hears about the customer's urge, not about their own.
    const forSupervisor = (await supervisor.get("/api/v1/notifications")).json();
    expect(forSupervisor.items).toHaveLength(1);
    expect((await assignee.post("/api/v1/notifications/read", { ids: [forAssignee.items[0].id] })).statusCode).toBe(204);
    expect((await assignee.get("/api/v1/notifications")).json().unreadCount).toBe(1);
    await assignee.post("/api/v1/notifications/read", { all: true });
    expect((await assignee.get("/api/v1/notifications")).json().unreadCount).toBe(0);
    // Someone else's notifications stay theirs.
    expect((await supervisor.post("/api/v1/notifications/read", { ids: [forAssignee.items[1].id] })).statusCode).toBe(204);
    expect((await assignee.get("/api/v1/notifications")).json().items[1].readAt).not.toBeNull();
    expect((await customerClient.get("/api/v1/notifications")).statusCode).toBe(403);
  });

  it("works from the public status page with the number and contact; nobody urges what they cannot see or what is solved", async () => {
    const { ticket, customer } = await setUp();
    const res = await t.anonymous.post("/api/v1/public/ticket-urge", { number: ticket.number, contact: customer.email });
    expect(res.json()).toEqual({ urgeCount: 1 });
    expect((await t.anonymous.post("/api/v1/public/ticket-urge", { number: ticket.number, contact: "x@example.cn" })).statusCode).toBe(404);
    const stranger = await t.signIn((await t.factory.customer()).email, PASSWORD, "customer");
    expect((await stranger.post(`/api/v1/tickets/${ticket.id}/urge`, {})).statusCode).toBe(404);
    await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "已开具", status: "solved" });
    const solved = await admin.post(`/api/v1/tickets/${ticket.id}/urge`, {});
    expect(solved.statusCode).toBe(409);
  });
});
