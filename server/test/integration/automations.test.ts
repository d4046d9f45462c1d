import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTOMATION_BATCH } from "../../src/modules/automations/automation-jobs";
import { type Client, type TestApp, appWithAdmin } from "../support/test-app";

let t: TestApp;
let admin: Client;
beforeAll(async () => ({ t, admin } = await appWithAdmin()));
afterAll(() => t.close());

const HOUR = 3_600_000;
/** A ticket waiting on the customer (created, then set to pending). */
async function pendingTicket(customerId: number, subject: string, tags: string[] = []) {
  const ticket = (await admin.post("/api/v1/tickets", { subject, description: "x", customer: { id: customerId }, tags })).json();
  // Asked the customer something and waits for the answer.
  expect((await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "请提供订单号", status: "pending" })).statusCode).toBe(201);
  return ticket;
}
/** Pretends the tickets entered their status `hours` ago. */
const enteredAgo = (ids: number[], hours: number) =>
  t.ctx.db
    .updateTable("tickets")
    .set({ status_changed_at: new Date(Date.now() - hours * HOUR) })
    .where("id", "in", ids)
    .execute();
async function runAutomations() {
  expect((await admin.post("/api/v1/automations/run")).statusCode).toBe(202);
  await t.ctx.jobs.drain();
}
const statusOf = async (id: number) => (await admin.get(`/api/v1/tickets/${id}`)).json().status;
const fired = async (id: number) =>
  (await admin.get(`/api/v1/tickets/${id}/events`)).json().items.filter((e: { type: string }) => e.type === "automation_fired");

describe("time-based automations", () => {
  it("reminds a customer pending over 48 h once per waiting period, and solves after 7 days", async () => {
    const customer = await t.factory.customer();
    const mk = (subject: string) => pendingTicket(customer.id, subject);
    const remind = await admin.post("/api/v1/automations", {
      name: "等待客户 48 小时提醒",
      status: "pending",
      hoursInStatus: 48,
      actions: [{ type: "reply_customer", body: "您好，我们仍在等待您的回复（工单 #{{ticket.number}}）。" }],
    });
    expect(remind.statusCode, remind.body).toBe(201);
    const solve = await admin.post("/api/v1/automations", {
      name: "等待客户 7 天自动解决",
      status: "pending",
      hoursInStatus: 168,
      position: 1,
      conditions: { all: [{ field: "tags", op: "not_contains", value: "保留" }] },
      actions: [
        { type: "set_status", value: "solved" },
        { type: "add_note", body: "客户 7 天未回复，自动解决。" },
      ],
    });
    expect(solve.statusCode).toBe(201);
    const fresh = await mk("刚等待");
    const waiting = await mk("等了三天");
    const old = await mk("等了八天");
    const kept = await pendingTicket(customer.id, "保留", ["保留"]);
    await enteredAgo([fresh.id], 1);
    await enteredAgo([waiting.id], 72);
    await enteredAgo([old.id, kept.id], 200);

    await runAutomations();
    expect(await fired(fresh.id)).toEqual([]);
    expect((await fired(waiting.id)).map((e: { data: { name: string } }) => e.data.name)).toEqual(["等待客户 48 小时提醒"]);
    expect(await statusOf(old.id)).toBe("solved");
    expect(await statusOf(kept.id)).toBe("pending");
    const oldHistory = (await admin.get(`/api/v1/tickets/${old.id}/events`)).json().items;
    expect(oldHistory).toContainEqual(
      expect.objectContaining({
        type: "status_changed",
        after: "solved",
        data: { via: { kind: "automation", id: solve.json().id, name: "等待客户 7 天自动解决" } },
      }),
    );
    // Running again (next hour, or twice by accident) does not remind again in the same waiting period…
    await runAutomations();
    expect(await fired(waiting.id)).toHaveLength(1);
    const reminders = (await admin.get(`/api/v1/tickets/${waiting.id}/messages`))
      .json()
      .items.filter((m: { authorType: string }) => m.authorType === "system");
    expect(reminders).toHaveLength(1);
    // …but a new waiting period is a new chance.
    await admin.patch(`/api/v1/tickets/${waiting.id}`, { status: "open" });
    await admin.patch(`/api/v1/tickets/${waiting.id}`, { status: "pending" });
    await enteredAgo([waiting.id], 50);
    await runAutomations();
    expect(await fired(waiting.id)).toHaveLength(2);
    for (const a of [remind, solve]) await admin.delete(`/api/v1/automations/${a.json().id}`);
  });

  it("works through a backlog larger than a batch without skipping any ticket, even with identical status times", async () => {
    const customer = await t.factory.customer();
    const count = AUTOMATION_BATCH * 2 + 17;
    // One statement: every row gets the same status time, to the microsecond.
    const rows = await t.ctx.db
      .insertInto("tickets")
      .values(
        Array.from({ length: count }, (_, i) => ({
          subject: `积压 ${i}`,
          customer_id: customer.id,
          status: "solved",
          solved_at: new Date(),
        })),
      )
      .returning("id")
      .execute();
    await sql`update tickets set status_changed_at = now() - interval '100 hours' where id = any(${rows.map((r) => r.id)})`.execute(
      t.ctx.db,
    );
    const close = await admin.post("/api/v1/automations", {
      name: "已解决 4 天关闭",
      status: "solved",
      hoursInStatus: 96,
      actions: [{ type: "set_status", value: "closed" }],
    });
    expect(close.statusCode).toBe(201);
    await runAutomations();
    const left = await t.ctx.db
      .selectFrom("tickets")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where(
        "id",
        "in",
        rows.map((r) => r.id),
      )
      .where("status", "!=", "closed")
      .executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(0);
    const runs = await t.ctx.db
      .selectFrom("automation_runs")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("automation_id", "=", close.json().id)
      .executeTakeFirstOrThrow();
    expect(Number(runs.n)).toBe(count);
    await admin.delete(`/api/v1/automations/${close.json().id}`);
  });

  it("validates automations and previews them with the time condition", async () => {
    expect(
      (
        await admin.post("/api/v1/automations", {
          name: "x",
          status: "closed",
          hoursInStatus: 1,
          actions: [{ type: "add_tags", tags: ["a"] }],
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await admin.post("/api/v1/automations", {
          name: "x",
          status: "pending",
          hoursInStatus: 0,
          actions: [{ type: "add_tags", tags: ["a"] }],
        })
      ).statusCode,
    ).toBe(400);
    const customer = await t.factory.customer();
    const ticket = await pendingTicket(customer.id, "预览");
    await enteredAgo([ticket.id], 10);
    const res = await admin.post("/api/v1/rules/preview", {
      ticketNumber: ticket.number,
      rule: { status: "pending", hoursInStatus: 48, conditions: { all: [], any: [] }, actions: [{ type: "set_status", value: "solved" }] },
    });
    expect(res.json()).toMatchObject({
      matched: false,
      conditions: [
        { group: "time", field: "status", passed: true },
        { group: "time", field: "hoursInStatus", expected: 48, actual: 10, passed: false },
      ],
      effects: [{ action: "set_status", description: { from: "pending", to: "solved" }, skipped: null }],
    });
  });
});
