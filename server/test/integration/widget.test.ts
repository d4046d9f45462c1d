import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SmtpSink, parseMail, startSmtpSink } from "../support/smtp-sink";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
let admin: Client;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
  t = await createTestApp({ SMTP_URL: sink.url });
  admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
});
afterAll(async () => {
  await t.close();
  await sink.stop();
});

let ipSeq = 0;
const form = (over: Record<string, unknown> = {}) => ({
  name: "访客小陈",
  email: `visitor${++ipSeq}@example.net`,
  subject: "网站无法下单",
  description: "点击支付没有反应",
  shownAt: Date.now() - 10_000,
  ...over,
});
const open = (body: Record<string, unknown>, ip = `192.0.2.${++ipSeq}`) =>
  t.app.inject({ method: "POST", url: "/api/v1/widget/tickets", payload: body, remoteAddress: ip });
const asVisitor = (token: string) => ({ "x-widget-token": token });

describe("web widget", () => {
  it("opens a widget ticket with the category's template; the key shows that ticket's public conversation and takes replies", async () => {
    const category = (await admin.post("/api/v1/categories", { name: "支付问题" })).json();
    await admin.post("/api/v1/custom-fields", {
      entity: "ticket",
      key: "order_id",
      label: "订单号",
      type: "text",
      required: true,
      categoryIds: [category.id],
    });
    const config = (await t.anonymous.get("/api/v1/widget/config")).json();
    expect(config.categories.map((c: { name: string }) => c.name)).toContain("支付问题");
    expect(config.fields.find((f: { key: string }) => f.key === "order_id")).toMatchObject({ required: true, categoryIds: [category.id] });

    const missing = await open(form({ categoryId: category.id }));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details[0].path).toBe("customFields.order_id");
    const created = await open(form({ categoryId: category.id, customFields: { order_id: "A100" }, email: "chen@example.net" }));
    expect(created.statusCode).toBe(201);
    const { number, token } = created.json();
    const ticket =
      (await admin.get(`/api/v1/tickets?q=${number}`)).json().items[0] ??
      (await admin.get("/api/v1/tickets?sort=-created_at&limit=1")).json().items[0];
    expect(ticket).toMatchObject({ number, channel: "widget", categoryId: category.id });

    await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "请清除缓存后重试", visibility: "public" });
    await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "内部：疑似支付网关问题", visibility: "internal" });
    const seen = (await t.anonymous.get("/api/v1/widget/ticket", asVisitor(token))).json();
    expect(seen).toMatchObject({ number, subject: "网站无法下单", status: "open" });
    expect(seen.messages.map((m: { body: string }) => m.body)).toEqual(["请清除缓存后重试"]);
    // The agent's reply also went out by mail (the visitor may have left the page).
    await t.ctx.jobs.drain();
    const mail = sink.received.find((m) => m.to.includes("chen@example.net"));
    expect((await parseMail(mail?.raw ?? "")).subject).toBe(`Re: 网站无法下单 [#${number}]`);

    const replied = await t.anonymous.post("/api/v1/widget/ticket/messages", { body: "试过了，还是不行" }, asVisitor(token));
    expect(replied.statusCode).toBe(200);
    expect(replied.json().messages.at(-1)).toMatchObject({ fromCustomer: true, body: "试过了，还是不行" });
  });

  it("the visitor rates the solved ticket in the widget: once, only when solved, and the agent sees the answer", async () => {
    const { number, token } = (await open(form({ email: "rater@example.net", subject: "发票开错了" }))).json();
    const ticket = (await admin.get(`/api/v1/tickets?q=${number}`)).json().items[0];
    // Not solved yet: nothing to rate.
    const early = await t.anonymous.post("/api/v1/widget/ticket/rating", { rating: 5 }, asVisitor(token));
    expect(early.statusCode).toBe(409);
    expect((await t.anonymous.get("/api/v1/widget/ticket", asVisitor(token))).json().csat).toBeNull();

    await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: "已为您重开发票", visibility: "public", status: "solved" });
    expect((await t.anonymous.post("/api/v1/widget/ticket/rating", { rating: 9 }, asVisitor(token))).statusCode).toBe(400);
    expect((await t.anonymous.post("/api/v1/widget/ticket/rating", { rating: 4 }, asVisitor("y".repeat(43)))).statusCode).toBe(404);
    const rated = await t.anonymous.post("/api/v1/widget/ticket/rating", { rating: 4, comment: "速度挺快" }, asVisitor(token));
    expect(rated.statusCode).toBe(200);
    expect(rated.json().csat).toMatchObject({ rating: 4, comment: "速度挺快", answeredVia: "widget" });
    const again = await t.anonymous.post("/api/v1/widget/ticket/rating", { rating: 1 }, asVisitor(token));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe("already_rated");
    // The agent sees it on the ticket, and its history records it.
    expect((await admin.get(`/api/v1/tickets/${ticket.id}/csat`)).json().answer).toMatchObject({ rating: 4, answeredVia: "widget" });
    const events = await t.ctx.db
      .selectFrom("ticket_events")
      .select(["type", "data"])
      .where("ticket_id", "=", ticket.id)
      .where("type", "=", "csat_received")
      .execute();
    expect(events).toEqual([{ type: "csat_received", data: { rating: 4, comment: "速度挺快", via: "widget" } }]);
  });

  it("a wrong or missing key sees nothing; the key never leaks other tickets of the customer", async () => {
    expect((await t.anonymous.get("/api/v1/widget/ticket", asVisitor("x".repeat(43)))).statusCode).toBe(404);
    expect((await t.anonymous.get("/api/v1/widget/ticket")).statusCode).toBe(404);
    const a = (await open(form({ email: "same@example.net", subject: "第一个问题" }))).json();
    const b = (await open(form({ email: "same@example.net", subject: "完全不同的第二件事" }))).json();
    expect((await t.anonymous.get("/api/v1/widget/ticket", asVisitor(a.token))).json().subject).toBe("第一个问题");
    expect((await t.anonymous.get("/api/v1/widget/ticket", asVisitor(b.token))).json().subject).toBe("完全不同的第二件事");
  });

  it("spam traps: the hidden field, a form sent too fast, a pile of links", async () => {
    for (const body of [
      form({ website: "http://spam.example" }),
      form({ shownAt: Date.now() }),
      form({ description: "http://a http://b http://c http://d http://e http://f" }),
    ]) {
      const res = await open(body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe("spam_suspected");
    }
  });

  it("rate limits per address and per email (429 with Retry-After)", async () => {
    const ip = "198.51.100.7";
    for (let i = 0; i < 5; i++) expect((await open(form(), ip)).statusCode).toBe(201);
    const limited = await open(form(), ip);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) await open(form({ email: "flood@example.net" }));
    expect((await open(form({ email: "flood@example.net" }))).statusCode).toBe(429);
    // Bad input is still a clear 400, never a 5xx.
    expect((await open({ name: "x" })).statusCode).toBe(400);
  });

  it("the widget page may be framed by any site; the rest of the app may not", async () => {
    const page = await t.app.inject({ method: "GET", url: "/widget" });
    expect(page.headers["content-security-policy"]).toContain("frame-ancestors *");
    expect(page.headers["x-frame-options"]).toBeUndefined();
    const other = await t.app.inject({ method: "GET", url: "/tickets/1" });
    expect(other.headers["x-frame-options"]).toBe("DENY");
  });
});
