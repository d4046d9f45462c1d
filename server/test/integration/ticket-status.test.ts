import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, type TestApp, appWithAdmin } from "../support/test-app";

let t: TestApp;
let admin: Client;
beforeAll(async () => ({ t, admin } = await appWithAdmin()));
afterAll(() => t.close());

describe("public ticket status", () => {
  it("answers the status for the right number and contact, and nothing else", async () => {
    const ticket = (
      await admin.post("/api/v1/tickets", {
        subject: "私密主题：银行卡问题",
        description: "卡号 6222…",
        customer: { email: "Status.Check@Example.cn", phone: "13800138000" },
      })
    ).json();
    const byEmail = await t.anonymous.post("/api/v1/public/ticket-status", { number: ticket.number, contact: "status.check@example.cn" });
    expect(byEmail.statusCode).toBe(200);
    expect(byEmail.json()).toEqual({
      number: ticket.number,
      status: "new",
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      solvedAt: null,
      stages: [],
    });
    expect(JSON.stringify(byEmail.json())).not.toContain("银行卡");
    const byPhone = await t.anonymous.post("/api/v1/public/ticket-status", { number: String(ticket.number), contact: "13800138000" });
    expect(byPhone.json().status).toBe("new");

    const other = await t.factory.customer();
    const wrongContact = await t.anonymous.post("/api/v1/public/ticket-status", { number: ticket.number, contact: other.email });
    const wrongNumber = await t.anonymous.post("/api/v1/public/ticket-status", { number: 99999999, contact: "status.check@example.cn" });
    expect(wrongContact.statusCode).toBe(404);
    expect(wrongNumber.statusCode).toBe(404);
    expect(wrongContact.json()).toEqual(wrongNumber.json());
    expect((await t.anonymous.post("/api/v1/public/ticket-status", { number: "abc", contact: "x" })).statusCode).toBe(400);
  });

  it("throttles guessing: after 10 misses on one ticket number, even the right contact waits (429)", async () => {
    const customer = await t.factory.customer();
    const ticket = (await admin.post("/api/v1/tickets", { subject: "s", description: "d", customer: { id: customer.id } })).json();
    for (let i = 0; i < 10; i++)
      expect(
        (await t.anonymous.post("/api/v1/public/ticket-status", { number: ticket.number, contact: `guess${i}@example.cn` })).statusCode,
      ).toBe(404);
    const blocked = await t.anonymous.post("/api/v1/public/ticket-status", { number: ticket.number, contact: customer.email });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
  });
});
