import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SmtpListener, startSmtpListener } from "../../src/modules/intake/email/smtp-listener";
import { eml, sendRaw } from "../support/eml";
import { type SmtpSink, parseMail, startSmtpSink } from "../support/smtp-sink";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
let admin: Client;
let sink: SmtpSink;
let listener: SmtpListener;
let afterSales: number;
const MAILBOX = "aftersales@desk.example.com";

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await createTestApp({ SMTP_URL: sink.url, MAIL_FROM: "Loopdesk <no-reply@desk.example.com>" });
  admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
  afterSales = (await admin.post("/api/v1/categories", { name: "售后维修" })).json().id;
  const fields = [
    {
      key: "order_no",
      label: "订单号",
      type: "text",
      required: true,
      pattern: "^DD\\d{13}$",
      helpText: "在订单详情页顶部",
      categoryIds: [afterSales],
    },
    { key: "device_model", label: "型号", type: "text", required: true, categoryIds: [afterSales] },
    {
      key: "wants_refund",
      label: "是否退款",
      type: "select",
      options: [
        { value: "yes", label: "是" },
        { value: "no", label: "否" },
      ],
      categoryIds: [afterSales],
    },
    {
      key: "refund_account",
      label: "退款账户",
      type: "text",
      required: true,
      requiredWhen: { field: "wants_refund", values: ["yes"] },
      categoryIds: [afterSales],
    },
  ];
  for (const f of fields) {
    const res = await admin.post("/api/v1/custom-fields", { entity: "ticket", ...f });
    expect(res.statusCode, JSON.stringify(res.json())).toBe(201);
  }
  await admin.post("/api/v1/mailboxes", { name: "售后", address: MAILBOX, categoryId: afterSales });
  listener = await startSmtpListener(t.ctx, { port: 0, host: "127.0.0.1", maxBytes: 1024 * 1024 });
});
afterAll(async () => {
  await listener.close();
  await t.close();
  await sink.stop();
});

const send = (raw: Buffer) => sendRaw(listener.port, raw, { from: "c@mail.example.net", to: [MAILBOX] });
const newest = async () => (await admin.get("/api/v1/tickets?sort=-created_at&limit=1")).json().items[0];

describe("scenario templates", () => {
  it("fields carry help text and conditions; a condition must name another field", async () => {
    const list = (await admin.get("/api/v1/custom-fields?entity=ticket")).json().items as {
      key: string;
      helpText: string | null;
      requiredWhen: unknown;
    }[];
    expect(list.find((f) => f.key === "order_no")?.helpText).toBe("在订单详情页顶部");
    expect(list.find((f) => f.key === "refund_account")?.requiredWhen).toEqual({ field: "wants_refund", values: ["yes"] });
    const bad = await admin.post("/api/v1/custom-fields", {
      entity: "ticket",
      key: "x_field",
      label: "X",
      type: "text",
      required: true,
      requiredWhen: { field: "nope" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe("requiredWhen.field");
  });

  it("the API enforces the template, takes values stated in the text, and applies conditions", async () => {
    const customer = { email: "api-template@example.net" };
    const missing = await admin.post("/api/v1/tickets", { subject: "屏幕碎了", categoryId: afterSales, customer });
    expect(missing.statusCode).toBe(400);
    expect(
      missing
        .json()
        .error.details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(["customFields.device_model", "customFields.order_no"]);
    // The order number is in the description: extracted; the model is given.
    const ok = await admin.post("/api/v1/tickets", {
      subject: "屏幕碎了",
      description: "订单 DD2026112200001 收到时屏幕就碎了",
      categoryId: afterSales,
      customer,
      customFields: { device_model: "X200" },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ customFields: { order_no: "DD2026112200001", device_model: "X200" }, missingFields: [] });
    // Wanting a refund makes the refund account required.
    const refund = {
      subject: "要退款",
      categoryId: afterSales,
      customer,
      customFields: { order_no: "DD2026112200002", device_model: "X1", wants_refund: "yes" },
    };
    const noAccount = await admin.post("/api/v1/tickets", refund);
    expect(noAccount.json().error.details[0].path).toBe("customFields.refund_account");
    expect(
      (await admin.post("/api/v1/tickets", { ...refund, customFields: { ...refund.customFields, wants_refund: "no" } })).statusCode,
    ).toBe(201);
  });

  it("an email missing required information is marked 信息不全, the customer is asked once for exactly those items, and their answer clears it", async () => {
    await send(
      eml({
        from: "Zhao <zhao@mail.example.net>",
        to: MAILBOX,
        subject: "耳机坏了",
        text: "左边没声音",
        messageId: "tpl-1@mail.example.net",
      }),
    );
    const ticket = await newest();
    expect(ticket).toMatchObject({ channel: "email", categoryId: afterSales, missingFields: ["order_no", "device_model"] });
    await t.ctx.jobs.drain();
    const asks = sink.received.filter((m) => m.to.includes("zhao@mail.example.net"));
    expect(asks).toHaveLength(1);
    const ask = await parseMail(asks[0]?.raw ?? "");
    expect(ask.subject).toBe(`请补充信息：耳机坏了 [#${ticket.number}]`);
    expect(ask.text).toContain("- 订单号（在订单详情页顶部）：");
    expect(ask.text).toContain("- 型号：");
    expect(ask.text).not.toContain("退款账户");
    expect(asks[0]?.raw).toMatch(/^In-Reply-To: <tpl-1@mail\.example\.net>/m);
    const askId = /^Message-ID: <([^>]+)>/im.exec(asks[0]?.raw ?? "")?.[1] as string;

    // A partial answer fills what it states; the rest stays missing (and is not asked again).
    await send(
      eml({
        from: "zhao@mail.example.net",
        to: MAILBOX,
        subject: "Re: 请补充信息",
        text: "订单号：DD2026112200009\n\n> - 订单号：\n> - 型号：",
        inReplyTo: askId,
      }),
    );
    let now = (await admin.get(`/api/v1/tickets/${ticket.id}`)).json();
    expect(now.customFields.order_no).toBe("DD2026112200009");
    expect(now.missingFields).toEqual(["device_model"]);
    await send(eml({ from: "zhao@mail.example.net", to: MAILBOX, subject: "Re: 请补充信息", text: "型号：H3 Pro", inReplyTo: askId }));
    now = (await admin.get(`/api/v1/tickets/${ticket.id}`)).json();
    expect(now.customFields.device_model).toBe("H3 Pro");
    expect(now.missingFields).toEqual([]);
    const events = (await admin.get(`/api/v1/tickets/${ticket.id}/events`)).json().items.map((e: { type: string }) => e.type);
    expect(events).toEqual(expect.arrayContaining(["info_missing", "info_requested", "info_completed"]));
    await t.ctx.jobs.drain();
    expect(sink.received.filter((m) => m.to.includes("zhao@mail.example.net"))).toHaveLength(1);
  });

  it("an agent filling the fields clears the mark; complete-at-creation is recorded", async () => {
    const call = (
      await admin.post("/api/v1/calls", {
        callId: "tpl-call",
        customerNumber: "13100131000",
        startedAt: new Date().toISOString(),
        categoryId: afterSales,
      })
    ).json();
    const ticket = (await admin.get(`/api/v1/tickets/${call.ticketId}`)).json();
    expect(ticket.missingFields).toEqual(["order_no", "device_model"]);
    const patched = await admin.patch(
      `/api/v1/tickets/${ticket.id}`,
      { customFields: { order_no: "DD2026112200010", device_model: "X9" } },
      { "if-match": `"${ticket.version}"` },
    );
    expect(patched.statusCode).toBe(200);
    expect(patched.json().missingFields).toEqual([]);
    const rows = await t.ctx.db.selectFrom("tickets").select(["channel", "complete_at_creation"]).where("id", "in", [ticket.id]).execute();
    expect(rows[0]).toEqual({ channel: "phone", complete_at_creation: false });
    // The analytics read it from the history: per channel, the share of tickets complete when created.
    const { refreshAnalyticsNow } = await import("../../src/modules/analytics/analytics-jobs");
    await refreshAnalyticsNow(t.ctx.db, t.ctx.config.timeZone);
    // Around today, whatever the report time zone's date is now.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const range = `from=${day(-1)}&to=${day(1)}`;
    const byChannel = async (channel: string) =>
      (await admin.get(`/api/v1/analytics/overview?${range}&channel=${channel}`)).json().totals.completeAtCreation;
    expect(await byChannel("phone")).toEqual({ count: 0, of: 1, rate: 0 });
    expect(await byChannel("email")).toEqual({ count: 0, of: 1, rate: 0 });
    expect((await byChannel("api")).rate).toBe(1);
    // The same per channel in one unsliced overview (the 按渠道 table and its export).
    const overview = (await admin.get(`/api/v1/analytics/overview?${range}`)).json();
    const rates = Object.fromEntries(
      overview.byChannel.map((c: { channel: string; completeAtCreation: { rate: number | null } }) => [
        c.channel,
        c.completeAtCreation.rate,
      ]),
    );
    expect(rates).toMatchObject({ phone: 0, email: 0, api: 1 });
    const csv = await admin.get(`/api/v1/analytics/export?table=channels&format=csv&${range}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain("受理时信息完整率");
  });

  it("the customer reads their request's details — its template's filled fields, nothing else", async () => {
    const customer = await t.factory.customer();
    const portal = await t.signIn(customer.email, PASSWORD, "customer");
    // An agent's own field outside the template (no category of this request) and a retired field.
    const otherCategory = (await admin.post("/api/v1/categories", { name: "内部核查" })).json().id;
    await admin.post("/api/v1/custom-fields", {
      entity: "ticket",
      key: "audit_note",
      label: "核查备注",
      type: "text",
      categoryIds: [otherCategory],
    });
    const retired = (
      await admin.post("/api/v1/custom-fields", { entity: "ticket", key: "old_code", label: "旧编码", type: "text" })
    ).json();
    const created = await portal.post("/api/v1/tickets", {
      subject: "耳机左边没声音",
      categoryId: afterSales,
      customFields: { order_no: "DD2026112200020", device_model: "B3", wants_refund: "no", old_code: "Z1" },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect(created.json().details).toEqual({ order_no: "DD2026112200020", device_model: "B3", wants_refund: "no", old_code: "Z1" });
    // The desk records more: a value for the other category's field stays with the staff.
    const staffView = (await admin.get(`/api/v1/tickets/${id}`)).json();
    await admin.patch(`/api/v1/tickets/${id}`, { customFields: { audit_note: "已核实" } }, { "if-match": `"${staffView.version}"` });
    await admin.patch(`/api/v1/custom-fields/${retired.id}`, { active: false });
    const seen = (await portal.get(`/api/v1/tickets/${id}`)).json();
    expect(seen.details).toEqual({ order_no: "DD2026112200020", device_model: "B3", wants_refund: "no" });
    expect(JSON.stringify(seen)).not.toContain("已核实");
    const listed = (await portal.get("/api/v1/tickets")).json().items.find((x: { id: number }) => x.id === id);
    expect(listed.details).toEqual(seen.details);
    expect((await admin.get(`/api/v1/tickets/${id}`)).json().customFields).toMatchObject({ audit_note: "已核实" });
  });
});
