import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRIGGER_FIRINGS_PER_HOUR } from "../../src/modules/automations/run-triggers";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";
import { type SmtpSink, mailText, startSmtpSink } from "../support/smtp-sink";

let t: TestApp;
let admin: Client;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
  t = await createTestApp({ SMTP_URL: sink.url, MAIL_FROM: "Loopdesk <desk@loopdesk.test>" });
  admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
});
afterAll(async () => {
  await t.close();
  await sink.stop();
});

/** Runs the background jobs and fails on any job that failed or is waiting to retry. */
async function settle() {
  await t.ctx.jobs.drain();
  const broken = await t.ctx.db.selectFrom("jobs").select(["queue", "last_error"]).where("last_error", "is not", null).execute();
  expect(broken).toEqual([]);
}
const eventsOf = async (id: number) =>
  (await admin.get(`/api/v1/tickets/${id}/events`)).json().items as {
    type: string;
    data: Record<string, unknown> | null;
    field: string | null;
    after: unknown;
  }[];
const ticketOf = async (id: number) => (await admin.get(`/api/v1/tickets/${id}`)).json();
const messagesOf = async (id: number) =>
  (await admin.get(`/api/v1/tickets/${id}/messages`)).json().items as { bodyText: string; visibility: string; authorType: string }[];
async function newTicket(body: Record<string, unknown> = {}) {
  const customer = await t.factory.customer();
  const res = await admin.post("/api/v1/tickets", {
    subject: "打印机卡纸",
    description: "办公室的打印机一直卡纸",
    customer: { id: customer.id },
    ...body,
  });
  expect(res.statusCode).toBe(201);
  return { ticket: res.json(), customer };
}
async function trigger(body: Record<string, unknown>) {
  const res = await admin.post("/api/v1/triggers", body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe("triggers", () => {
  it("on creation: conditions over text, priority and tier; actions set fields, tag, route, note, reply and email the customer", async () => {
    const dep = await t.factory.department();
    const agent = await t.factory.staff({ departmentIds: [dep.id] });
    const rule = await trigger({
      name: "停机升级",
      events: ["created"],
      conditions: {
        all: [{ field: "text", op: "contains", value: "宕机" }],
        any: [
          { field: "priority", op: "in", value: ["high", "urgent"] },
          { field: "customerTier", op: "is", value: "vip" },
        ],
      },
      actions: [
        { type: "set_priority", value: "urgent" },
        { type: "add_tags", tags: ["停机"] },
        { type: "set_department", value: dep.id },
        { type: "set_assignee", value: agent.id },
        { type: "add_note", body: "自动升级：{{ticket.subject}}" },
        { type: "reply_customer", body: "{{customer.name}}您好，工单 #{{ticket.number}} 已加急处理。" },
        { type: "notify_staff", to: ["assignee"], message: "停机工单请立即处理" },
      ],
    });
    const { ticket: hit, customer } = await newTicket({ subject: "服务器宕机", priority: "high" });
    const { ticket: miss } = await newTicket({ subject: "服务器宕机", priority: "low" });
    await settle();

    expect(await ticketOf(hit.id)).toMatchObject({ priority: "urgent", tags: ["停机"], departmentId: dep.id, assigneeId: agent.id });
    expect(await ticketOf(miss.id)).toMatchObject({ priority: "low", tags: [], assigneeId: null });
    const events = await eventsOf(hit.id);
    expect(events).toContainEqual(
      expect.objectContaining({ type: "trigger_fired", data: expect.objectContaining({ triggerId: rule.id, name: "停机升级" }) }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        type: "field_changed",
        field: "priority",
        after: "urgent",
        data: { via: { kind: "trigger", id: rule.id, name: "停机升级" } },
      }),
    );
    const messages = await messagesOf(hit.id);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ visibility: "internal", authorType: "system", bodyText: "自动升级：服务器宕机" }),
        expect.objectContaining({
          visibility: "public",
          authorType: "system",
          bodyText: `${customer.name}您好，工单 #${hit.number} 已加急处理。`,
        }),
      ]),
    );
    // The customer sees the reply in the portal and gets it by mail; the note stays internal.
    const portal = await t.signIn(customer.email, PASSWORD, "customer");
    const seen = (await portal.get(`/api/v1/tickets/${hit.id}/messages`)).json().items.map((m: { bodyText: string }) => m.bodyText);
    expect(seen).toContain(`${customer.name}您好，工单 #${hit.number} 已加急处理。`);
    expect(seen).not.toContain("自动升级：服务器宕机");
    const mail = sink.received.find((m) => m.to.includes(customer.email));
    expect(mail && mailText(mail.raw)).toContain("已加急处理");
    // A system reply is not a staff response: the first-response clock keeps running.
    expect((await ticketOf(hit.id)).firstResponseAt).toBeNull();
    // The assignee was told twice: by the assignment and by the rule.
    const bell = (await (await t.signIn(agent.email, PASSWORD)).get("/api/v1/notifications")).json();
    expect(bell.items.map((n: { type: string }) => n.type).sort()).toEqual(["assigned", "rule"]);
  });

  it("'changed to' conditions see changes by people and by earlier triggers; a trigger never re-fires from its own change", async () => {
    const a = await trigger({
      name: "VIP 标记",
      events: ["updated"],
      conditions: {
        all: [
          { field: "tags", op: "changed" },
          { field: "tags", op: "contains", value: "vip" },
        ],
      },
      actions: [{ type: "set_priority", value: "high" }],
    });
    const b = await trigger({
      name: "高优先级备注",
      events: ["updated"],
      conditions: { all: [{ field: "priority", op: "changed_to", value: "high" }] },
      actions: [
        { type: "add_note", body: "优先级已调高" },
        { type: "add_tags", tags: ["已提醒"] },
      ],
    });
    const { ticket } = await newTicket();
    await admin.patch(`/api/v1/tickets/${ticket.id}`, { tags: ["vip"] });
    await settle();
    const after = await ticketOf(ticket.id);
    expect(after.priority).toBe("high");
    expect(after.tags.sort()).toEqual(["vip", "已提醒"].sort());
    const fired = (await eventsOf(ticket.id)).filter((e) => e.type === "trigger_fired").map((e) => e.data?.triggerId);
    // b added a tag (a tags change) — a does not fire a second time for it.
    expect(fired).toEqual([a.id, b.id]);
    await admin.delete(`/api/v1/triggers/${a.id}`);
    await admin.delete(`/api/v1/triggers/${b.id}`);
  });

  it("status changes, replies and urges are trigger events; the per-ticket limit stops a runaway chain with a recorded reason", async () => {
    const onSolve = await trigger({
      name: "解决后致谢",
      events: ["status_changed"],
      conditions: { all: [{ field: "status", op: "changed_to", value: "solved" }] },
      actions: [{ type: "email_customer", subject: "工单 #{{ticket.number}} 已解决", body: "感谢您的耐心。{{ticket.url}}" }],
    });
    const onUrge = await trigger({
      name: "催办加标签",
      events: ["urged"],
      conditions: { all: [] },
      actions: [{ type: "add_tags", tags: ["被催办"] }],
    });
    const onReply = await trigger({
      name: "客户回复",
      events: ["replied"],
      conditions: { all: [{ field: "message.authorType", op: "is", value: "customer" }] },
      actions: [{ type: "remove_tags", tags: ["被催办"] }],
    });
    const { ticket, customer } = await newTicket();
    const portal = await t.signIn(customer.email, PASSWORD, "customer");
    await portal.post(`/api/v1/tickets/${ticket.id}/urge`, {});
    await settle();
    expect((await ticketOf(ticket.id)).tags).toEqual(["被催办"]);
    await portal.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "还在等", visibility: "public" });
    await settle();
    expect((await ticketOf(ticket.id)).tags).toEqual([]);
    await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "已处理", status: "solved" });
    await settle();
    expect(sink.received.some((m) => m.raw.includes(customer.email) && mailText(m.raw).includes(`/tickets/${ticket.id}`))).toBe(true);
    expect((await eventsOf(ticket.id)).filter((e) => e.type === "email_sent")).toHaveLength(1);
    for (const r of [onSolve, onUrge, onReply]) await admin.delete(`/api/v1/triggers/${r.id}`);

    // Runaway: every update by a person flips a tag — simulate an outside system answering each change.
    const flip = await trigger({
      name: "来回切换",
      events: ["updated"],
      conditions: { all: [] },
      actions: [{ type: "add_note", body: "再次更新" }],
    });
    const { ticket: busy } = await newTicket();
    for (let i = 0; i < TRIGGER_FIRINGS_PER_HOUR + 5; i++) {
      await t.ctx.db.transaction().execute(async (trx) => {
        await t.ctx.events.emit(trx, {
          type: "ticket.updated",
          aggregateType: "ticket",
          aggregateId: busy.id,
          payload: { changes: { subject: { before: "a", after: "b" } } },
        });
      });
    }
    await settle();
    const busyEvents = await eventsOf(busy.id);
    expect(busyEvents.filter((e) => e.type === "trigger_fired")).toHaveLength(TRIGGER_FIRINGS_PER_HOUR);
    expect(busyEvents.filter((e) => e.type === "trigger_limit_reached")).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ limit: TRIGGER_FIRINGS_PER_HOUR, reason: expect.stringContaining("trigger firings") }),
      }),
    ]);
    await admin.delete(`/api/v1/triggers/${flip.id}`);
  });

  it("refuses rules with unknown references or missing values, and only supervisors and admins keep them", async () => {
    const bad = await admin.post("/api/v1/triggers", {
      name: "坏规则",
      events: ["created"],
      conditions: { all: [{ field: "priority", op: "is" }] },
      actions: [
        { type: "set_department", value: 999999 },
        { type: "call_webhook", webhookId: 999999 },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(["actions.0.value", "actions.1.webhookId", "conditions.all.0.value"]);
    const unknownField = await admin.post("/api/v1/triggers", {
      name: "x",
      events: ["created"],
      conditions: { all: [{ field: "nope", op: "is", value: 1 }] },
      actions: [{ type: "add_tags", tags: ["a"] }],
    });
    expect(unknownField.statusCode).toBe(400);
    const agent = await t.signIn((await t.factory.staff()).email, PASSWORD);
    const denied = await agent.post("/api/v1/triggers", { name: "x", events: ["created"], actions: [{ type: "add_tags", tags: ["a"] }] });
    expect(denied.statusCode).toBe(403);
    expect(
      (
        await agent.post("/api/v1/rules/preview", {
          ticketNumber: 1,
          rule: { conditions: { all: [], any: [] }, actions: [{ type: "add_tags", tags: ["a"] }] },
        })
      ).statusCode,
    ).toBe(403);
    const supervisor = await t.signIn((await t.factory.staff({ role: "supervisor" })).email, PASSWORD);
    const ok = await supervisor.post("/api/v1/triggers", {
      name: "主管规则",
      events: ["created"],
      active: false,
      actions: [{ type: "add_tags", tags: ["a"] }],
    });
    expect(ok.statusCode).toBe(201);
  });

  it("previews a rule against ticket #N: each condition with the actual value, and what each action would do, changing nothing", async () => {
    const { ticket } = await newTicket({ subject: "退款申请", priority: "normal", tags: ["售后"] });
    await settle();
    const before = await ticketOf(ticket.id);
    const res = await admin.post("/api/v1/rules/preview", {
      ticketNumber: ticket.number,
      rule: {
        conditions: {
          all: [
            { field: "subject", op: "contains", value: "退款" },
            { field: "priority", op: "is", value: "urgent" },
          ],
          any: [],
        },
        actions: [
          { type: "set_status", value: "closed" },
          { type: "raise_priority" },
          { type: "add_tags", tags: ["售后"] },
          { type: "add_note", body: "预览" },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      matched: false,
      conditions: [
        { group: "all", field: "subject", op: "contains", expected: "退款", actual: "退款申请", passed: true },
        { group: "all", field: "priority", op: "is", expected: "urgent", actual: "normal", passed: false },
      ],
      effects: [
        { action: "set_status", description: { from: "new", to: "closed" }, skipped: "invalid_transition" },
        { action: "raise_priority", description: { from: "normal", to: "high" }, skipped: null },
        { action: "add_tags", description: { tags: ["售后"] }, skipped: "no_change" },
        { action: "add_note", description: { body: "预览" }, skipped: null },
      ],
    });
    expect(await ticketOf(ticket.id)).toEqual(before);
    expect(
      (
        await admin.post("/api/v1/rules/preview", {
          ticketNumber: 99999999,
          rule: { conditions: { all: [], any: [] }, actions: [{ type: "raise_priority" }] },
        })
      ).statusCode,
    ).toBe(404);
  });
});
