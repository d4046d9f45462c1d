import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
let agent: Client;
beforeAll(async () => {
  t = await createTestApp();
  agent = await t.signIn((await t.factory.staff({ role: "agent" })).email, PASSWORD);
});
afterAll(() => t.close());

const ticketsOf = async (customerId: number) =>
  (await agent.get(`/api/v1/tickets?customer=${customerId}&sort=created_at`)).json().items as { id: number; customerId: number }[];

describe("merging customers", () => {
  it("moves contacts, tickets, messages and calls to the customer kept; the duplicate points at it; history records it", async () => {
    // The same person: once by email (portal), once by phone (a call).
    const byEmail = await t.factory.customer({ name: "刘女士" });
    const portal = await t.signIn(byEmail.email, PASSWORD, "customer");
    const emailTicket = (await portal.post("/api/v1/tickets", { subject: "扫地机不回充", description: "型号 X200" })).json();
    await portal.post(`/api/v1/tickets/${emailTicket.id}/messages`, { body: "补充：已清洁触点" });
    const call = (
      await agent.post("/api/v1/calls", {
        callId: "merge-1",
        customerNumber: "13600136000",
        customerName: "刘",
        startedAt: "2026-11-22T10:00:00+08:00",
      })
    ).json();
    await agent.patch(`/api/v1/customers/${byEmail.id}`, { tier: "silver" });
    await agent.patch(`/api/v1/customers/${call.customerId}`, { tier: "vip" });

    const merged = await agent.post(`/api/v1/customers/${byEmail.id}/merge`, { customerId: call.customerId });
    expect(merged.statusCode).toBe(200);
    expect(merged.json().movedTickets).toBe(1);
    const kept = merged.json().customer;
    expect(kept).toMatchObject({ id: byEmail.id, name: "刘女士", tier: "vip", mergedIntoId: null });
    expect(kept.identities.map((i: { kind: string; value: string }) => `${i.kind}:${i.value}`).sort()).toEqual([
      `email:${byEmail.email}`,
      "phone:13600136000",
    ]);
    expect((await ticketsOf(byEmail.id)).map((x) => x.id).sort()).toEqual([emailTicket.id, call.ticketId].sort());
    expect(await ticketsOf(call.customerId)).toHaveLength(0);
    expect((await agent.get(`/api/v1/customers/${call.customerId}`)).json().mergedIntoId).toBe(byEmail.id);
    const events = (await agent.get(`/api/v1/tickets/${call.ticketId}/events`)).json().items as {
      type: string;
      before: unknown;
      after: unknown;
    }[];
    expect(events.find((e) => e.type === "customer_merged")).toMatchObject({ before: call.customerId, after: byEmail.id });
    // The duplicate's contacts now resolve to the customer kept: the next call joins the same ticket.
    const next = (
      await agent.post("/api/v1/calls", { callId: "merge-2", customerNumber: "136 0013 6000", startedAt: "2026-11-22T11:00:00+08:00" })
    ).json();
    expect(next).toMatchObject({ customerId: byEmail.id, ticketId: call.ticketId, outcome: "appended" });
    // The customer still sees all their tickets in the portal, including the phone one.
    const mine = (await portal.get("/api/v1/tickets")).json().items as { id: number }[];
    expect(mine.map((x) => x.id).sort()).toEqual([emailTicket.id, call.ticketId].sort());
    // Duplicates of the list: the merged customer no longer shows up.
    expect((await agent.get("/api/v1/customers?q=13600136000")).json().items.map((c: { id: number }) => c.id)).toEqual([byEmail.id]);
  });

  it("refuses merging into itself, an already merged customer, unknown customers and customers' requests", async () => {
    const a = await t.factory.customer();
    const b = await t.factory.customer();
    const self = await agent.post(`/api/v1/customers/${a.id}/merge`, { customerId: a.id });
    expect(self.statusCode).toBe(400);
    expect(self.json().error.details[0]).toMatchObject({ path: "customerId", code: "same_customer" });
    expect((await agent.post(`/api/v1/customers/${a.id}/merge`, { customerId: b.id })).statusCode).toBe(200);
    expect((await agent.post(`/api/v1/customers/${a.id}/merge`, { customerId: b.id })).statusCode).toBe(409);
    expect((await agent.post(`/api/v1/customers/${b.id}/merge`, { customerId: a.id })).statusCode).toBe(409);
    expect((await agent.post(`/api/v1/customers/${a.id}/merge`, { customerId: 999999 })).statusCode).toBe(404);
    expect((await agent.post(`/api/v1/customers/${a.id}/merge`, { customerId: "x" })).statusCode).toBe(400);
    const c = await t.factory.customer();
    const portal = await t.signIn(c.email, PASSWORD, "customer");
    expect((await portal.post(`/api/v1/customers/${c.id}/merge`, { customerId: a.id })).statusCode).toBe(403);
  });

  it("two opposite merges at once: exactly one wins, nothing is lost", async () => {
    const a = await t.factory.customer();
    const b = await t.factory.customer();
    const results = await Promise.all([
      agent.post(`/api/v1/customers/${a.id}/merge`, { customerId: b.id }),
      agent.post(`/api/v1/customers/${b.id}/merge`, { customerId: a.id }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const [ca, cb] = [(await agent.get(`/api/v1/customers/${a.id}`)).json(), (await agent.get(`/api/v1/customers/${b.id}`)).json()];
    const kept = ca.mergedIntoId === null ? ca : cb;
    expect(kept.identities).toHaveLength(2);
  });
});
