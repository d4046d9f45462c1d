import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { recomputeTicketSla } from "../../src/modules/sla/recompute-ticket-sla";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

let t: TestApp;
let admin: Client;
beforeAll(async () => ({ t, admin } = await appWithAdmin()));
afterAll(() => t.close());

describe("SLA notices in a burst", () => {
  it("reach a supervisor as a few notices and then one digest, not one bell per ticket", async () => {
    const dept = await t.factory.department();
    const lead = await t.factory.staff({ role: "supervisor", departmentIds: [dept.id] });
    const leadClient = await t.signIn(lead.email, PASSWORD);
    expect(
      (
        await admin.post("/api/v1/sla-policies", {
          name: "快速",
          conditions: { departmentIds: [dept.id] },
          firstResponseMinutes: 10,
          businessHours: false,
        })
      ).statusCode,
    ).toBe(201);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-20T10:00:00+08:00"));
    const ids: number[] = [];
    for (let i = 0; i < 8; i++) {
      const customer = await t.factory.customer();
      ids.push(
        (await admin.post("/api/v1/tickets", { subject: `积压 ${i}`, customer: { id: customer.id }, departmentId: dept.id })).json().id,
      );
    }
    await t.ctx.jobs.drain();
    // Two hours later, one sweep finds all eight breached at once (e.g. after the server was down).
    vi.setSystemTime(new Date("2026-11-20T12:00:00+08:00"));
    await t.ctx.db.transaction().execute((trx) => recomputeTicketSla(t.ctx, trx, ids));
    await t.ctx.jobs.drain();
    vi.useRealTimers();

    const bell = (await leadClient.get("/api/v1/notifications")).json() as {
      items: { type: string; ticketId: number | null; data: { count?: number; ticketIds?: number[] } }[];
      unreadCount: number;
    };
    const single = bell.items.filter((n) => n.type === "sla_breached");
    const digest = bell.items.filter((n) => n.type === "sla_digest");
    expect(single.length).toBe(3);
    expect(digest).toHaveLength(1);
    expect(digest[0]?.data.count).toBe(5);
    expect(new Set([...single.map((n) => n.ticketId), ...(digest[0]?.data.ticketIds ?? [])])).toEqual(new Set(ids));
    expect(bell.unreadCount).toBe(4);
  });
});
