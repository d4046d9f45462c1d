import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_DELIVERY_ATTEMPTS } from "../../src/modules/webhooks/webhook-delivery";
import { type RecordedRequest, startHttpRecorder } from "../support/http-recorder";
import { mailText, type SmtpSink, startSmtpSink } from "../support/smtp-sink";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
let admin: Client;
let sink: SmtpSink;
let failNext = 0;
let receiver: Awaited<ReturnType<typeof startHttpRecorder>>;
beforeAll(async () => {
  receiver = await startHttpRecorder((req) => {
    if (failNext > 0) {
      failNext--;
      return { status: 503, body: '{"error":"busy"}' };
    }
    if (req.url.startsWith("/dingtalk")) return { status: 200, body: '{"errcode":0,"errmsg":"ok"}' };
    if (req.url.startsWith("/feishu")) return { status: 200, body: '{"code":0,"msg":"success"}' };
    if (req.url.startsWith("/wecom-refuses")) return { status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url"}' };
    if (req.url.startsWith("/wecom")) return { status: 200, body: '{"errcode":0,"errmsg":"ok"}' };
    return { status: 200, body: '{"received":true}' };
  });
  sink = await startSmtpSink();
  t = await createTestApp({ LOOPDESK_WEBHOOK_RETRY_SECONDS: "0.01", SMTP_URL: sink.url, LOOPDESK_PUBLIC_URL: "https://desk.example.com" });
  admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
});
afterAll(async () => {
  await t.close();
  await receiver.stop();
  await sink.stop();
});

/** Drains the queue, waiting out retry delays, until no webhook delivery is pending. */
async function deliverAll() {
  for (let i = 0; i < 200; i++) {
    await t.ctx.jobs.drain();
    const pending = await t.ctx.db.selectFrom("webhook_deliveries").select("id").where("status", "=", "pending").executeTakeFirst();
    if (!pending) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("deliveries still pending");
}
const requestsTo = (path: string) => receiver.requests.filter((r) => r.url.startsWith(path));
async function hook(body: Record<string, unknown>) {
  const res = await admin.post("/api/v1/webhooks", body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
async function newTicket(subject = "发票抬头错了") {
  const customer = await t.factory.customer();
  return (await admin.post("/api/v1/tickets", { subject, description: "x", customer: { id: customer.id } })).json();
}

describe("outbound webhooks", () => {
  it("signs generic deliveries with HMAC-SHA256 over timestamp and body; the secret is never returned", async () => {
    const h = await hook({ name: "ERP", url: `${receiver.url}/generic`, secret: "s3cret-key-123", events: ["ticket.created"] });
    expect(h).toMatchObject({ kind: "generic", hasSecret: true });
    expect(JSON.stringify((await admin.get("/api/v1/webhooks")).json())).not.toContain("s3cret-key-123");
    // Stored sealed: the database alone does not give it away.
    const stored = await t.ctx.db.selectFrom("webhooks").select("secret").where("id", "=", h.id).executeTakeFirstOrThrow();
    expect(stored.secret).toMatch(/^v1:/);
    expect(stored.secret).not.toContain("s3cret");
    const ticket = await newTicket();
    await deliverAll();
    const [req] = requestsTo("/generic") as [RecordedRequest];
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({
      event: "ticket.created",
      ticket: { id: ticket.id, number: ticket.number, subject: "发票抬头错了", url: `https://desk.example.com/tickets/${ticket.id}` },
    });
    expect(req.headers["x-loopdesk-event"]).toBe("ticket.created");
    const ts = String(req.headers["x-loopdesk-timestamp"]);
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);
    expect(req.headers["x-loopdesk-signature"]).toBe(
      `sha256=${createHmac("sha256", "s3cret-key-123").update(`${ts}.${req.body}`).digest("hex")}`,
    );
    const log = (await admin.get(`/api/v1/webhooks/${h.id}/deliveries`)).json().items;
    expect(log).toEqual([
      expect.objectContaining({
        eventType: "ticket.created",
        status: "succeeded",
        attempts: 1,
        responseStatus: 200,
        responseBody: '{"received":true}',
      }),
    ]);
    await admin.patch(`/api/v1/webhooks/${h.id}`, { active: false });
  });

  it("sends WeCom, DingTalk (signed) and Feishu (signed) robot messages in their formats", async () => {
    await hook({ name: "企业微信群", kind: "wecom", url: `${receiver.url}/wecom?key=abc`, events: ["ticket.urged"] });
    await hook({
      name: "钉钉群",
      kind: "dingtalk",
      url: `${receiver.url}/dingtalk?access_token=tok`,
      secret: "SECdingtalk123",
      events: ["ticket.urged"],
    });
    await hook({
      name: "飞书群",
      kind: "feishu",
      url: `${receiver.url}/feishu/hook`,
      secret: "feishu-secret",
      events: ["ticket.urged"],
      locale: "en",
    });
    const ticket = await newTicket("打印机坏了");
    await admin.post(`/api/v1/tickets/${ticket.id}/urge`, {});
    await deliverAll();

    const [wecom] = requestsTo("/wecom?") as [RecordedRequest];
    expect(JSON.parse(wecom.body)).toEqual({
      msgtype: "markdown",
      markdown: { content: expect.stringContaining(`#${ticket.number} 打印机坏了`) },
    });
    expect(JSON.parse(wecom.body).markdown.content).toContain("工单被催办");

    const [ding] = requestsTo("/dingtalk") as [RecordedRequest];
    const url = new URL(ding.url, receiver.url);
    expect(url.searchParams.get("access_token")).toBe("tok");
    const timestamp = url.searchParams.get("timestamp") as string;
    expect(Math.abs(Number(timestamp) - Date.now())).toBeLessThan(60_000);
    expect(url.searchParams.get("sign")).toBe(
      createHmac("sha256", "SECdingtalk123").update(`${timestamp}\nSECdingtalk123`).digest("base64"),
    );
    expect(JSON.parse(ding.body)).toMatchObject({
      msgtype: "markdown",
      markdown: { title: "**工单被催办**", text: expect.stringContaining("打印机坏了") },
    });

    const [feishu] = requestsTo("/feishu") as [RecordedRequest];
    const fb = JSON.parse(feishu.body);
    expect(fb).toMatchObject({ msg_type: "text", content: { text: expect.stringContaining("Ticket urged") } });
    expect(fb.sign).toBe(createHmac("sha256", `${fb.timestamp}\nfeishu-secret`).update("").digest("base64"));
    for (const h of (await admin.get("/api/v1/webhooks")).json().items) await admin.delete(`/api/v1/webhooks/${h.id}`);
  });

  it("retries failures with backoff, logs every response, gives up after the last attempt, and re-sends by hand", async () => {
    const h = await hook({ name: "不稳定", url: `${receiver.url}/flaky`, events: ["ticket.created"] });
    failNext = 2;
    await newTicket();
    await deliverAll();
    const [ok] = (await admin.get(`/api/v1/webhooks/${h.id}/deliveries`)).json().items;
    expect(ok).toMatchObject({ status: "succeeded", attempts: 3, responseStatus: 200 });
    expect(requestsTo("/flaky")).toHaveLength(3);
    // The retries waited longer each time.
    const jobs = await t.ctx.db
      .selectFrom("jobs")
      .select(["attempts", "status"])
      .where("queue", "=", "webhook.deliver")
      .orderBy("id", "desc")
      .limit(1)
      .execute();
    expect(jobs[0]).toMatchObject({ attempts: 3, status: "completed" });

    failNext = MAX_DELIVERY_ATTEMPTS;
    await newTicket();
    await deliverAll();
    const [failed] = (await admin.get(`/api/v1/webhooks/${h.id}/deliveries`)).json().items;
    expect(failed).toMatchObject({
      status: "failed",
      attempts: MAX_DELIVERY_ATTEMPTS,
      responseStatus: 503,
      responseBody: '{"error":"busy"}',
      error: "rejected with HTTP 503",
    });
    const resent = await admin.post(`/api/v1/webhooks/${h.id}/deliveries/${failed.id}/resend`);
    expect(resent.statusCode).toBe(202);
    expect(resent.json()).toMatchObject({ resendOf: failed.id, status: "pending" });
    await deliverAll();
    const [again] = (await admin.get(`/api/v1/webhooks/${h.id}/deliveries`)).json().items;
    expect(again).toMatchObject({ id: resent.json().id, status: "succeeded", resendOf: failed.id });
    expect(JSON.parse(requestsTo("/flaky").at(-1)?.body ?? "{}").event).toBe("ticket.created");
    await admin.delete(`/api/v1/webhooks/${h.id}`);
  });

  it("a robot that answers 200 with an error code counts as a failure; triggers call webhooks; the test button sends a test message", async () => {
    const refuses = await hook({ name: "错误地址", kind: "wecom", url: `${receiver.url}/wecom-refuses`, events: [] });
    const test = await admin.post(`/api/v1/webhooks/${refuses.id}/test`);
    expect(test.statusCode).toBe(202);
    await t.ctx.jobs.drain();
    const [first] = (await admin.get(`/api/v1/webhooks/${refuses.id}/deliveries`)).json().items;
    expect(first).toMatchObject({ eventType: "test", status: "pending", responseStatus: 200, error: "rejected with HTTP 200" });
    await admin.delete(`/api/v1/webhooks/${refuses.id}`);

    const target = await hook({ name: "工单系统对接", url: `${receiver.url}/from-trigger`, events: [] });
    await admin.post("/api/v1/triggers", {
      name: "VIP 通知 ERP",
      events: ["created"],
      conditions: { all: [{ field: "subject", op: "contains", value: "VIP" }] },
      actions: [{ type: "call_webhook", webhookId: target.id }],
    });
    await newTicket("VIP 客户投诉");
    await newTicket("普通咨询");
    await deliverAll();
    const calls = requestsTo("/from-trigger");
    expect(calls).toHaveLength(1);
    expect(JSON.parse(calls[0]?.body ?? "{}")).toMatchObject({
      event: "rule",
      ticket: { subject: "VIP 客户投诉" },
      data: { rule: { kind: "trigger", name: "VIP 通知 ERP" } },
    });
  });

  it("only admins manage webhooks; bad URLs are refused", async () => {
    const supervisor = await t.signIn((await t.factory.staff({ role: "supervisor" })).email, PASSWORD);
    expect((await supervisor.get("/api/v1/webhooks")).statusCode).toBe(403);
    expect((await supervisor.post("/api/v1/webhooks", { name: "x", url: "http://127.0.0.1/x" })).statusCode).toBe(403);
    const bad = await admin.post("/api/v1/webhooks", { name: "x", url: "ftp://example.com/x" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe("url");
  });
});

describe("notification preferences", () => {
  it("each person chooses in-app and email per event type; email goes to their address in their language", async () => {
    const dep = await t.factory.department();
    const agent = await t.factory.staff({ departmentIds: [dep.id] });
    const me = await t.signIn(agent.email, PASSWORD);
    const prefs = (await me.get("/api/v1/notifications/preferences")).json().prefs;
    expect(prefs.urged).toEqual({ inApp: true, email: true });
    expect(prefs.assigned).toEqual({ inApp: true, email: false });
    const saved = await me.request("PUT", "/api/v1/notifications/preferences", { prefs: { assigned: { inApp: false, email: true } } });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().prefs.assigned).toEqual({ inApp: false, email: true });
    expect(saved.json().prefs.urged).toEqual({ inApp: true, email: true });

    const customer = await t.factory.customer();
    const ticket = (
      await admin.post("/api/v1/tickets", { subject: "网络断了", description: "x", customer: { id: customer.id }, assigneeId: agent.id })
    ).json();
    await t.ctx.jobs.drain();
    expect((await me.get("/api/v1/notifications")).json().items).toEqual([]);
    const mail = sink.received.find((m) => m.to.includes(agent.email));
    expect(mail).toBeDefined();
    const text = mailText(mail?.raw ?? "");
    expect(text).toContain("这张工单已分派给您");
    expect(text).toContain(`https://desk.example.com/tickets/${ticket.id}`);
    expect(mail?.raw).toMatch(/Subject: =\?UTF-8\?Q\?=5BLoopdesk=5D/);
    const bad = await me.request("PUT", "/api/v1/notifications/preferences", { prefs: { nope: { inApp: true, email: true } } });
    expect(bad.statusCode).toBe(400);
  });
});
