import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { scheduleSlaJobs } from "../../src/modules/sla/sla-jobs";
import { type Client, PASSWORD, type TestApp, createTestApp, appWithAdmin } from "../support/test-app";

let t: TestApp;
let admin: Client;
// Just ahead of the real clock (the next full hour, plus one): the tests move this process's clock
// forward from there, as real time moves. Behind it, every job would be due at once (the queue takes
// the later of the database's clock and ours); days ahead, sessions would have expired.
const T0 = (Math.floor(Date.now() / 3_600_000) + 2) * 3_600_000;
const min = (m: number) => new Date(T0 + m * 60_000);
/** Moves the clock of this process (the app runs in it), then lets the background jobs run. */
async function at(minutes: number) {
  vi.setSystemTime(min(minutes));
  await t.ctx.jobs.drain();
}

beforeAll(async () => ({ t, admin } = await appWithAdmin()));
afterEach(() => vi.useRealTimers());
afterAll(() => t.close());

const clocksOf = async (id: number) => (await admin.get(`/api/v1/tickets/${id}/sla`)).json();
const breachesOf = async (id: number) =>
  (await admin.get(`/api/v1/tickets/${id}/events`)).json().items.filter((e: { type: string }) => e.type === "sla_breached");
const listed = async (query: string) => (await admin.get(`/api/v1/tickets?${query}`)).json().items.map((x: { id: number }) => x.id);

describe("SLA clocks on tickets", () => {
  it("applies the first matching policy, stores due times, fills the views, and records a breach exactly once", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    await at(0);
    const policy = await admin.post("/api/v1/sla-policies", {
      name: "紧急工单",
      conditions: { priorities: ["urgent"] },
      firstResponseMinutes: 60,
      resolutionMinutes: 240,
      businessHours: false,
    });
    expect(policy.statusCode).toBe(201);
    const customer = await t.factory.customer();
    const urgent = (
      await admin.post("/api/v1/tickets", { subject: "服务器宕机", description: "x", priority: "urgent", customer: { id: customer.id } })
    ).json();
    const normal = (await admin.post("/api/v1/tickets", { subject: "咨询", description: "x", customer: { id: customer.id } })).json();
    await at(1);

    const sla = await clocksOf(urgent.id);
    expect(sla.policyName).toBe("紧急工单");
    expect(sla.clocks).toEqual([
      expect.objectContaining({ target: "first_response", status: "active", dueAt: min(60).toISOString() }),
      expect.objectContaining({ target: "resolution", status: "active", dueAt: min(240).toISOString() }),
    ]);
    expect((await admin.get(`/api/v1/tickets/${urgent.id}`)).json()).toMatchObject({
      firstResponseDueAt: min(60).toISOString(),
      slaDueAt: min(60).toISOString(),
    });
    expect((await clocksOf(normal.id)).clocks).toEqual([]);

    // Due within the hour: 即将超时; past due: 已超时 — found by the stored due time.
    expect(await listed("sla=at_risk")).toContain(urgent.id);
    expect(await listed("sla=breached")).not.toContain(urgent.id);
    await scheduleSlaJobs(t.ctx);
    await at(61);
    expect(await listed("sla=breached")).toContain(urgent.id);
    expect(await listed("sla=at_risk")).not.toContain(urgent.id);
    const breaches = await breachesOf(urgent.id);
    expect(breaches).toEqual([expect.objectContaining({ field: "first_response", actorType: "system" })]);
    // Nobody is assigned and the shared inbox has no supervisor: the admins hear about it.
    const bell = (await admin.get("/api/v1/notifications")).json();
    expect(bell.items).toEqual([
      expect.objectContaining({ type: "sla_breached", ticketId: urgent.id, data: { target: "first_response" } }),
    ]);
    // Later sweeps and later changes do not record it again.
    await scheduleSlaJobs(t.ctx);
    await at(70);
    await admin.patch(`/api/v1/tickets/${urgent.id}`, { tags: ["跟进中"] });
    await at(71);
    expect(await breachesOf(urgent.id)).toHaveLength(1);

    // The late answer ends the clock as missed; the ticket leaves the 已超时 view until resolution runs out.
    await admin.post(`/api/v1/tickets/${urgent.id}/messages`, { body: "正在处理", visibility: "public" });
    await at(72);
    const after = await clocksOf(urgent.id);
    expect(after.clocks.find((c: { target: string }) => c.target === "first_response")).toMatchObject({ status: "missed" });
    expect(await listed("sla=breached")).not.toContain(urgent.id);
  });

  it("waiting on the customer pauses the resolution clock; the reply resumes it where it stopped", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    await at(1000);
    await admin.post("/api/v1/sla-policies", {
      name: "高优先级",
      conditions: { priorities: ["high"] },
      resolutionMinutes: 120,
      businessHours: false,
    });
    const customer = await t.factory.customer();
    const client = await t.signIn(customer.email, PASSWORD, "customer");
    const ticket = (
      await admin.post("/api/v1/tickets", { subject: "退款", description: "x", priority: "high", customer: { id: customer.id } })
    ).json();
    await at(1030);
    await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "请提供订单号", visibility: "public", status: "pending" });
    await at(1031);
    expect((await clocksOf(ticket.id)).clocks).toEqual([expect.objectContaining({ target: "resolution", status: "paused", dueAt: null })]);
    await at(1500);
    expect(await breachesOf(ticket.id)).toEqual([]);
    // The customer answers after 470 minutes; 30 were used before the wait, so 90 remain.
    const reply = await client.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "订单号 DD2026" });
    expect(reply.statusCode, reply.body).toBe(201);
    await at(1500);
    expect((await clocksOf(ticket.id)).clocks).toEqual([
      expect.objectContaining({ target: "resolution", status: "active", dueAt: min(1590).toISOString() }),
    ]);
  });

  it("warns once at a share of the target and again some minutes before it is due, then breaches", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    await at(5000);
    await admin.post("/api/v1/sla-policies", {
      name: "低优先级",
      conditions: { priorities: ["low"] },
      resolutionMinutes: 100,
      businessHours: false,
      warnPercent: 50,
      warnMinutesBefore: 10,
    });
    const dep = await t.factory.department();
    const assignee = await t.factory.staff({ departmentIds: [dep.id] });
    const assigneeClient = await t.signIn(assignee.email, PASSWORD);
    const customer = await t.factory.customer();
    const ticket = (
      await admin.post("/api/v1/tickets", {
        subject: "小问题",
        description: "x",
        priority: "low",
        customer: { id: customer.id },
        departmentId: dep.id,
        assigneeId: assignee.id,
      })
    ).json();
    const warningsOf = async () =>
      (await admin.get(`/api/v1/tickets/${ticket.id}/events`)).json().items.filter((e: { type: string }) => e.type === "sla_warning");
    await scheduleSlaJobs(t.ctx);
    await at(5049);
    expect(await warningsOf()).toEqual([]);
    await at(5051);
    expect(await warningsOf()).toEqual([expect.objectContaining({ field: "resolution", data: expect.objectContaining({ level: "p50" }) })]);
    await at(5060);
    await at(5091);
    expect((await warningsOf()).map((w: { data: { level: string } }) => w.data.level)).toEqual(["p50", "m10"]);
    await at(5095);
    await at(5101);
    expect(await warningsOf()).toHaveLength(2);
    expect(await breachesOf(ticket.id)).toHaveLength(1);
    const bell = (await assigneeClient.get("/api/v1/notifications")).json();
    expect(bell.items.map((n: { type: string }) => n.type)).toEqual(["sla_breached", "sla_warning", "sla_warning", "assigned"]);
  });

  it("policies need a calendar for working-hours targets; only admins manage them", async () => {
    const res = await admin.post("/api/v1/sla-policies", { name: "x", resolutionMinutes: 60 });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ path: "calendarId", code: "calendar_required" });
    const cal = await admin.post("/api/v1/calendars", {
      name: "上海客服中心",
      timeZone: "Asia/Shanghai",
      chinaOfficial: true,
      weekly: [
        [],
        ...Array(5).fill([
          { start: "09:00", end: "12:00" },
          { start: "13:00", end: "18:00" },
        ]),
        [],
      ],
    });
    expect(cal.statusCode).toBe(201);
    expect(cal.json().weekly[1]).toEqual([
      { start: "09:00", end: "12:00" },
      { start: "13:00", end: "18:00" },
    ]);
    expect((await admin.post("/api/v1/sla-policies", { name: "y", resolutionMinutes: 60, calendarId: cal.json().id })).statusCode).toBe(
      201,
    );
    expect((await admin.post("/api/v1/calendars", { name: "bad", timeZone: "Mars/Base", weekly: Array(7).fill([]) })).statusCode).toBe(400);
    const agent = await t.signIn((await t.factory.staff()).email, PASSWORD);
    expect((await agent.post("/api/v1/sla-policies", { name: "z", resolutionMinutes: 60, businessHours: false })).statusCode).toBe(403);
    expect((await agent.get("/api/v1/sla-policies")).statusCode).toBe(200);
  });

  it("costs no job per ticket event while no policy is active, and starts as soon as one is", async () => {
    const fresh = await createTestApp();
    try {
      const boss = await fresh.signIn((await fresh.factory.staff({ role: "admin" })).email, PASSWORD);
      const customer = await fresh.factory.customer();
      const clockJobs = async () =>
        Number(
          (
            await fresh.ctx.db
              .selectFrom("jobs")
              .select((eb) => eb.fn.countAll<number>().as("n"))
              .where("queue", "=", "event:sla-clocks")
              .executeTakeFirstOrThrow()
          ).n,
        );
      await boss.post("/api/v1/tickets", { subject: "a", description: "x", customer: { id: customer.id } });
      // The first look at the policies happens on the first event; from then on it is known there are none.
      await new Promise((r) => setTimeout(r, 100));
      const before = await clockJobs();
      await boss.post("/api/v1/tickets", { subject: "b", description: "x", customer: { id: customer.id } });
      expect(await clockJobs()).toBe(before);
      await boss.post("/api/v1/sla-policies", { name: "全部", resolutionMinutes: 60, businessHours: false });
      const ticket = (await boss.post("/api/v1/tickets", { subject: "c", description: "x", customer: { id: customer.id } })).json();
      expect(await clockJobs()).toBe(before + 1);
      await fresh.ctx.jobs.drain();
      expect((await boss.get(`/api/v1/tickets/${ticket.id}/sla`)).json().clocks).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });
});
