import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { scheduleSlaJobs } from "../../src/modules/sla/sla-jobs";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

let t: TestApp;
let admin: Client;
// Just ahead of the real clock (the next full hour, plus one): the tests move this process's clock
// forward from there, as real time moves. Behind it, every job would be due at once (the queue takes
// the later of the database's clock and ours); days ahead, sessions would have expired.
const T0 = (Math.floor(Date.now() / 3_600_000) + 2) * 3_600_000;
const min = (m: number) => new Date(T0 + m * 60_000);
async function at(minutes: number) {
  vi.setSystemTime(min(minutes));
  await scheduleSlaJobs(t.ctx);
  await t.ctx.jobs.drain();
}
beforeAll(async () => ({ t, admin } = await appWithAdmin()));
afterEach(() => vi.useRealTimers());
afterAll(() => t.close());

describe("SLA escalation", () => {
  it("after a breach runs each step once at its time: notify assignee, supervisors, raise priority, reassign", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    await at(0);
    const support = await t.factory.department();
    const seniors = await t.factory.department();
    const agent = await t.factory.staff({ departmentIds: [support.id] });
    const lead = await t.factory.staff({ role: "supervisor", departmentIds: [support.id] });
    const senior = await t.factory.staff({ departmentIds: [seniors.id] });
    const policy = await admin.post("/api/v1/sla-policies", {
      name: "一小时响应",
      firstResponseMinutes: 60,
      businessHours: false,
      warnPercent: null,
      escalation: [
        { afterMinutes: 0, action: "notify_assignee" },
        { afterMinutes: 30, action: "notify_supervisors" },
        { afterMinutes: 60, action: "raise_priority" },
        { afterMinutes: 90, action: "reassign", departmentId: seniors.id, staffId: senior.id },
      ],
    });
    expect(policy.statusCode, policy.body).toBe(201);
    expect(policy.json().escalation).toHaveLength(4);
    const customer = await t.factory.customer();
    const ticket = (
      await admin.post("/api/v1/tickets", {
        subject: "无法登录",
        description: "x",
        customer: { id: customer.id },
        departmentId: support.id,
        assigneeId: agent.id,
      })
    ).json();
    const escalations = async () =>
      (await admin.get(`/api/v1/tickets/${ticket.id}/events`)).json().items.filter((e: { type: string }) => e.type === "escalated");
    const bell = async (email: string) =>
      (await (await t.signIn(email, PASSWORD)).get("/api/v1/notifications"))
        .json()
        .items.filter((n: { type: string }) => n.type === "escalated" || n.type === "sla_breached");

    await at(59);
    expect(await escalations()).toEqual([]);
    await at(61);
    expect(await escalations()).toEqual([
      expect.objectContaining({ field: "first_response", data: { step: 1, action: "notify_assignee", afterMinutes: 0 } }),
    ]);
    expect(await bell(agent.email)).toEqual([
      expect.objectContaining({ type: "escalated", data: { target: "first_response", step: 1, action: "notify_assignee" } }),
    ]);
    // The supervisor is not told at the breach: the policy's steps decide who hears when.
    expect(await bell(lead.email)).toEqual([]);
    await at(75);
    expect(await escalations()).toHaveLength(1);
    await at(91);
    expect(await bell(lead.email)).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ step: 2, action: "notify_supervisors" }) }),
    ]);
    await at(121);
    expect((await admin.get(`/api/v1/tickets/${ticket.id}`)).json().priority).toBe("high");
    await at(151);
    expect((await admin.get(`/api/v1/tickets/${ticket.id}`)).json()).toMatchObject({ assigneeId: senior.id, departmentId: seniors.id });
    expect(await bell(senior.email)).toEqual([expect.objectContaining({ data: expect.objectContaining({ step: 4, action: "reassign" }) })]);
    await at(300);
    expect((await escalations()).map((e: { data: { step: number } }) => e.data.step)).toEqual([1, 2, 3, 4]);
    const history = (await admin.get(`/api/v1/tickets/${ticket.id}/events`)).json().items;
    expect(history).toContainEqual(
      expect.objectContaining({
        type: "field_changed",
        field: "priority",
        after: "high",
        data: { via: expect.objectContaining({ kind: "escalation" }) },
      }),
    );
  });

  it("an answer stops escalation; steps catch up at once when the sweep was late; bad steps are refused", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    await at(1000);
    const agent = await t.factory.staff();
    const customer = await t.factory.customer();
    const mk = async () =>
      (
        await admin.post("/api/v1/tickets", { subject: "打不开", description: "x", customer: { id: customer.id }, assigneeId: agent.id })
      ).json();
    const answered = await mk();
    const late = await mk();
    await at(1061);
    await admin.post(`/api/v1/tickets/${answered.id}/messages`, { body: "正在看", visibility: "public" });
    // The sweep does not run for hours (e.g. the server was down); then it catches up in one go.
    vi.setSystemTime(min(1400));
    await scheduleSlaJobs(t.ctx);
    await t.ctx.jobs.drain();
    const steps = async (id: number) =>
      (await admin.get(`/api/v1/tickets/${id}/events`))
        .json()
        .items.filter((e: { type: string }) => e.type === "escalated")
        .map((e: { data: { step: number } }) => e.data.step);
    expect(await steps(answered.id)).toEqual([1]);
    expect(await steps(late.id)).toEqual([1, 2, 3, 4]);

    const outOfOrder = await admin.patch(`/api/v1/sla-policies/${(await admin.get("/api/v1/sla-policies")).json().items[0].id}`, {
      escalation: [
        { afterMinutes: 30, action: "notify_supervisors" },
        { afterMinutes: 10, action: "raise_priority" },
      ],
    });
    expect(outOfOrder.statusCode).toBe(400);
    const noTarget = await admin.post("/api/v1/sla-policies", {
      name: "x",
      firstResponseMinutes: 5,
      businessHours: false,
      escalation: [{ afterMinutes: 0, action: "reassign" }],
    });
    expect(noTarget.statusCode).toBe(400);
    const unknown = await admin.post("/api/v1/sla-policies", {
      name: "x",
      firstResponseMinutes: 5,
      businessHours: false,
      escalation: [{ afterMinutes: 0, action: "reassign", staffId: 999999 }],
    });
    expect(unknown.json().error.details).toEqual([expect.objectContaining({ path: "escalation.0.staffId", code: "unknown_reference" })]);
  });
});
