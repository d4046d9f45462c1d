import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../src/modules/setup/seed-demo";
import { PASSWORD, type TestApp, createTestApp } from "../support/test-app";

/**
 * The demo's pre-sales team dispatches by claiming (抢单): its newest questions wait on offer for
 * whoever of the team is at work, and its earlier ones show the offer and the claim in their history.
 * And the demo's ways in and out (mailboxes, IM channels, robots, report subscriptions) have the
 * history a team that has run them for a while would see, without reaching outside.
 */
let t: TestApp;
let now: Date;
const demo = (name: string) => t.signIn(`${name}@demo.loopdesk.local`, "loopdesk-demo");

// Seeded as of 15:00 Beijing time on a recent working day: both pre-sales agents are on shift.
function workingAfternoon() {
  const at = new Date(Date.now() - 86_400_000);
  at.setUTCHours(7, 0, 0, 0);
  while ([0, 6].includes(at.getUTCDay())) at.setUTCDate(at.getUTCDate() - 1);
  return at;
}

beforeAll(async () => {
  t = await createTestApp();
  now = workingAfternoon();
  await seedDemo(t.ctx, { tickets: 200, customers: 40, now });
});
afterAll(() => t.close());

describe("the demo's claim team", () => {
  it("offers the newest pre-sales questions to the pre-sales agents only; the first claim wins", async () => {
    const zhouting = await demo("zhouting");
    const offers = (await zhouting.get("/api/v1/routing/offers")).json().items as { ticketId: number; subject: string }[];
    expect(offers.map((o) => o.subject).sort()).toEqual(["企业采购有没有优惠", "支持哪些支付方式", "这款和旗舰版有什么区别"]);
    // The after-sales supervisor is not in the team: nothing is offered to her.
    expect((await (await demo("wangfang")).get("/api/v1/routing/offers")).json().items).toEqual([]);

    const first = offers[0] as { ticketId: number };
    const taken = await zhouting.post(`/api/v1/tickets/${first.ticketId}/claim`, {});
    expect(taken.statusCode).toBe(200);
    const me = (await zhouting.get("/api/v1/me")).json().user;
    expect(taken.json()).toMatchObject({ routingStatus: "assigned", assigneeId: me.id });
    expect((await (await demo("huangxiaoming")).post(`/api/v1/tickets/${first.ticketId}/claim`, {})).statusCode).toBe(409);
    expect((await zhouting.get("/api/v1/routing/offers")).json().items).toHaveLength(2);
  });

  it("shows the earlier pre-sales tickets offered and then claimed by the agent who holds them", async () => {
    const claimed = await t.ctx.db
      .selectFrom("assignment_log as d")
      .innerJoin("tickets as tk", "tk.id", "d.ticket_id")
      .innerJoin("assignment_log as o", (j) => j.onRef("o.ticket_id", "=", "d.ticket_id").on("o.outcome", "=", "offered"))
      .select([
        "d.ticket_id",
        "d.staff_id",
        "d.actor_id",
        "tk.assignee_id",
        "tk.transfer_count",
        "o.created_at as offered",
        "d.created_at as taken",
      ])
      .where("d.outcome", "=", "claimed")
      .execute();
    expect(claimed.length).toBeGreaterThan(3);
    for (const c of claimed) {
      expect(c.actor_id).toBe(c.staff_id);
      expect(c.taken.getTime()).toBeGreaterThan(c.offered.getTime());
      if (c.transfer_count === 0) expect(c.assignee_id).toBe(c.staff_id);
    }
    // As the ticket page explains it: offered to the team, then claimed.
    const one = claimed[0] as { ticket_id: number };
    const admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
    const routing = (await admin.get(`/api/v1/tickets/${one.ticket_id}/routing`)).json();
    expect(routing.decisions.map((d: { outcome: string }) => d.outcome)).toEqual(["offered", "claimed"]);
  });

  it("answers a question soon after claiming it: none waits hours for its claimer, none claimed an hour before is untouched", async () => {
    const claimed = await t.ctx.db
      .selectFrom("assignment_log as d")
      .innerJoin("tickets as tk", "tk.id", "d.ticket_id")
      .select(["d.ticket_id", "d.created_at", "tk.status", "tk.first_response_at"])
      .where("d.outcome", "=", "claimed")
      .execute();
    expect(claimed.length).toBeGreaterThan(3);
    const untouched = claimed.filter((c) => c.status === "new" && c.created_at.getTime() < now.getTime() - 3_600_000);
    expect(untouched).toEqual([]);
    // Nor did a claimed one wait hours for its first answer (only questions nobody claimed wait long).
    const waits = claimed.filter((c) => c.first_response_at !== null);
    const minutes = waits.map((w) => ((w.first_response_at as Date).getTime() - w.created_at.getTime()) / 60_000);
    expect(minutes.length).toBeGreaterThan(3);
    expect(minutes.filter((m) => m > 180)).toEqual([]);
  });
});

describe("the demo's channels, robots and report subscriptions", () => {
  it("shows mailboxes with their inbound log, IM channels, paused robots with their deliveries and report subscriptions", async () => {
    const admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
    const boxes = (await admin.get("/api/v1/mailboxes")).json().items;
    expect(boxes.map((b: { address: string; imap: unknown }) => [b.address, b.imap])).toEqual([
      ["service@demo.loopdesk.local", null],
      ["invoice@demo.loopdesk.local", null],
    ]);
    const log = (await admin.get("/api/v1/inbound-emails?limit=200")).json().items as {
      id: number;
      outcome: string;
      reason: string | null;
      ticketId: number | null;
      messageId: string;
      fromAddress: string;
      hasRaw: boolean;
    }[];
    const created = log.filter((m) => m.outcome === "created");
    expect(created.length).toBeGreaterThan(0);
    // Each new ticket's mail came from its customer, and the ticket is an email ticket.
    for (const m of created.slice(0, 5)) {
      const ticket = (await admin.get(`/api/v1/tickets/${m.ticketId}`)).json();
      expect(ticket.channel).toBe("email");
      expect(m.fromAddress).toBe(`customer${ticket.customerId}@example.cn`);
    }
    const away = log.find((m) => m.outcome === "ignored");
    expect(away).toMatchObject({ reason: "auto_reply", ticketId: null, hasRaw: true });
    const raw = await admin.get(`/api/v1/inbound-emails/${away?.id}/raw`);
    expect(raw.statusCode).toBe(200);
    expect(raw.body).toContain("Auto-Submitted: auto-replied");
    const again = log.find((m) => m.outcome === "duplicate");
    expect(created.map((m) => m.messageId)).toContain(again?.messageId);

    const channels = (await admin.get("/api/v1/channels")).json().items as { kind: string; config?: unknown }[];
    expect(channels.map((c) => c.kind)).toEqual(["wecom", "dingtalk"]);
    expect(JSON.stringify(channels)).not.toMatch(/encodingAesKey"\s*:\s*"[A-Za-z0-9]/);

    const hooks = (await admin.get("/api/v1/webhooks")).json().items as { id: number; active: boolean }[];
    expect(hooks.map((h) => h.active)).toEqual([false, false]);
    const deliveries = (await admin.get(`/api/v1/webhooks/${hooks[0]?.id}/deliveries`)).json().items as {
      status: string;
      eventType: string;
      ticketId: number;
      createdAt: string;
    }[];
    expect(deliveries.length).toBeGreaterThan(0);
    for (const d of deliveries) {
      expect(d.status).toBe("succeeded");
      expect(["ticket.sla_breached", "ticket.escalated"]).toContain(d.eventType);
      expect(new Date(d.createdAt).getTime()).toBeLessThan(now.getTime());
    }

    const reports = (await admin.get("/api/v1/report-schedules")).json().items as { lastSentAt: string; nextRunAt: string }[];
    expect(reports).toHaveLength(2);
    for (const r of reports) {
      expect(new Date(r.lastSentAt).getTime()).toBeLessThanOrEqual(now.getTime());
      expect(new Date(r.nextRunAt).getTime()).toBeGreaterThan(now.getTime());
    }
    // Nothing of it reaches outside: no delivery, IM reply or mail waits to be sent.
    const outgoing = await t.ctx.db
      .selectFrom("jobs")
      .select("queue")
      .where("queue", "in", ["webhook.deliver", "mail.send", "im.send"])
      .execute();
    expect(outgoing).toEqual([]);
  });
});
