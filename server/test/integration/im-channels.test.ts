import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feishuEncrypt, feishuSignature } from "../../src/modules/intake/im/feishu";
import { dingtalkSign, webhookSign } from "../../src/modules/intake/im/hmac";
import { wecomEncrypt, wecomSignature } from "../../src/modules/intake/im/wecom";
import { type RecordedRequest, startHttpRecorder } from "../support/http-recorder";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
let admin: Client;
let vendor: Awaited<ReturnType<typeof startHttpRecorder>>;
const WECOM = {
  corpId: "ww0123456789abcdef",
  agentId: "1000002",
  token: "QDG6eK",
  encodingAesKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
  secret: "wecom-secret",
};
const FEISHU = { appId: "cli_a1", appSecret: "feishu-secret", encryptKey: "feishu-encrypt-key", verificationToken: "vtoken" };
const DINGTALK = { appKey: "ding-key", appSecret: "ding-secret", robotCode: "ding-robot" };
const channels: Record<string, number> = {};

/** A stand-in for the vendors' APIs: answers as they document, records what we send. */
let wecomTokens = 0;
let wecomRefusals = 0;
function vendorAnswer(req: RecordedRequest) {
  if (req.url.startsWith("/cgi-bin/gettoken"))
    return {
      status: 200,
      body: JSON.stringify({ errcode: 0, access_token: wecomTokens++ ? `wecom-token-${wecomTokens}` : "wecom-token", expires_in: 7200 }),
    };
  if (req.url.startsWith("/cgi-bin/message/send") && wecomRefusals > 0) {
    wecomRefusals--;
    return { status: 200, body: JSON.stringify({ errcode: 42001, errmsg: "access_token expired" }) };
  }
  if (req.url.startsWith("/cgi-bin/message/send")) return { status: 200, body: JSON.stringify({ errcode: 0, errmsg: "ok" }) };
  if (req.url === "/v1.0/oauth2/accessToken") return { status: 200, body: JSON.stringify({ accessToken: "ding-token", expireIn: 7200 }) };
  if (req.url === "/v1.0/robot/oToMessages/batchSend") return { status: 200, body: JSON.stringify({ processQueryKey: "q" }) };
  if (req.url === "/open-apis/auth/v3/tenant_access_token/internal")
    return { status: 200, body: JSON.stringify({ code: 0, tenant_access_token: "feishu-token" }) };
  if (req.url.startsWith("/open-apis/im/v1/messages")) return { status: 200, body: JSON.stringify({ code: 0 }) };
  return { status: 200, body: "{}" };
}

beforeAll(async () => {
  vendor = await startHttpRecorder(vendorAnswer);
  t = await createTestApp();
  admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
  for (const [kind, config] of [
    ["wecom", WECOM],
    ["feishu", FEISHU],
    ["dingtalk", DINGTALK],
    ["webhook", { secret: "hook-secret", replyUrl: `${vendor.url}/hook-replies` }],
  ] as const) {
    const res = await admin.post("/api/v1/channels", { kind, name: kind, config, apiBase: vendor.url });
    expect(res.statusCode, res.body).toBe(201);
    expect(JSON.stringify(res.json())).not.toMatch(/wecom-secret|feishu-secret|ding-secret|hook-secret|feishu-encrypt-key|QDG6eK|jWmYm7/);
    channels[kind] = res.json().id;
  }
});
afterAll(async () => {
  await t.close();
  await vendor.stop();
});

const now = () => String(Math.floor(Date.now() / 1000));
const inject = (id: number, opts: { method?: "GET" | "POST"; query?: string; headers?: Record<string, string>; body?: string }) =>
  t.app.inject({
    method: opts.method ?? "POST",
    url: `/api/v1/channels/${id}/callback${opts.query ?? ""}`,
    headers: { "content-type": "application/json", ...opts.headers },
    payload: opts.body,
  });

function wecomCallback(from: string, content: string, msgId: string, timestamp = now()) {
  const xml = `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId><AgentID>${WECOM.agentId}</AgentID></xml>`;
  const encrypted = wecomEncrypt(WECOM, xml);
  const nonce = "1372623149";
  const body = `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[${WECOM.agentId}]]></AgentID></xml>`;
  return {
    query: `?msg_signature=${wecomSignature(WECOM.token, timestamp, nonce, encrypted)}&timestamp=${timestamp}&nonce=${nonce}`,
    body,
    headers: { "content-type": "text/xml" },
  };
}

async function replyAndDrain(ticketId: number, body: string) {
  const before = vendor.requests.length;
  expect((await admin.post(`/api/v1/tickets/${ticketId}/messages`, { body, visibility: "public" })).statusCode).toBe(201);
  await t.ctx.jobs.drain();
  return vendor.requests.slice(before);
}

describe("IM channels", () => {
  it("WeCom: URL check, an encrypted message opens a ticket for the sender, the next joins it, a replay changes nothing, the reply goes out by the send API", async () => {
    const echo = wecomEncrypt(WECOM, "echo-1234");
    const ts = now();
    const check = await inject(channels.wecom as number, {
      method: "GET",
      query: `?msg_signature=${wecomSignature(WECOM.token, ts, "n1", echo)}&timestamp=${ts}&nonce=n1&echostr=${encodeURIComponent(echo)}`,
    });
    expect(check.body).toBe("echo-1234");

    const first = wecomCallback("zhangsan", "打印机卡纸了", "m-1");
    const res = await inject(channels.wecom as number, first);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ outcome: "created" });
    const ticket = (await admin.get(`/api/v1/tickets/${res.json().ticketId}`)).json();
    expect(ticket).toMatchObject({ channel: "wecom", subject: "打印机卡纸了" });
    const customer = (await admin.get(`/api/v1/customers/${ticket.customerId}`)).json();
    expect(customer.identities).toEqual([expect.objectContaining({ kind: "wecom_userid", value: "zhangsan" })]);

    expect((await inject(channels.wecom as number, first)).json().outcome).toBe("duplicate");
    const second = await inject(channels.wecom as number, wecomCallback("zhangsan", "是三楼那台", "m-2"));
    expect(second.json()).toMatchObject({ outcome: "appended", ticketId: ticket.id });

    const sent = await replyAndDrain(ticket.id, "已派人去三楼处理");
    expect(sent.map((r) => r.url.split("?")[0])).toEqual(["/cgi-bin/gettoken", "/cgi-bin/message/send"]);
    expect(sent[0]?.url).toBe(`/cgi-bin/gettoken?corpid=${WECOM.corpId}&corpsecret=wecom-secret`);
    expect(sent[1]?.url).toBe("/cgi-bin/message/send?access_token=wecom-token");
    expect(JSON.parse(sent[1]?.body ?? "")).toEqual({
      touser: "zhangsan",
      msgtype: "text",
      agentid: 1000002,
      text: { content: "已派人去三楼处理" },
    });
  });

  it("WeCom: replies reuse the access token until the platform refuses it; the retry then fetches a new one", async () => {
    const res = await inject(channels.wecom as number, wecomCallback("tokenuser", "门禁卡失效", "m-40"));
    const ticketId = res.json().ticketId;
    await replyAndDrain(ticketId, "第一条回复");
    const second = await replyAndDrain(ticketId, "第二条回复");
    expect(second.map((r) => r.url)).toEqual(["/cgi-bin/message/send?access_token=wecom-token"]);

    wecomRefusals = 1;
    const refused = await replyAndDrain(ticketId, "第三条回复");
    expect(refused.map((r) => r.url.split("?")[0])).toEqual(["/cgi-bin/message/send"]);
    // The job retries with backoff; bring the retry forward instead of waiting for it.
    const before = vendor.requests.length;
    await t.ctx.db.updateTable("jobs").set({ run_at: new Date() }).where("status", "=", "queued").execute();
    await t.ctx.jobs.drain();
    const retried = vendor.requests.slice(before);
    expect(retried.map((r) => r.url.split("?")[0])).toEqual(["/cgi-bin/gettoken", "/cgi-bin/message/send"]);
    expect(retried[1]?.url).toMatch(/access_token=wecom-token-\d+$/);
    expect(JSON.parse(retried[1]?.body ?? "{}").text.content).toBe("第三条回复");
  });

  it("WeCom: a wrong signature, an old timestamp or a message for another corp is refused (401) and creates nothing", async () => {
    const good = wecomCallback("lisi", "你好", "m-9");
    const badSig = { ...good, query: good.query.replace(/msg_signature=[0-9a-f]+/, "msg_signature=0000") };
    const old = wecomCallback("lisi", "你好", "m-10", String(Math.floor(Date.now() / 1000) - 3600));
    const otherCorp = (() => {
      const encrypted = wecomEncrypt(
        { ...WECOM, corpId: "ww-other" },
        "<xml><MsgType>text</MsgType><FromUserName>lisi</FromUserName><Content>x</Content><MsgId>m-11</MsgId></xml>",
      );
      const ts = now();
      return {
        query: `?msg_signature=${wecomSignature(WECOM.token, ts, "n", encrypted)}&timestamp=${ts}&nonce=n`,
        body: `<xml><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
        headers: { "content-type": "text/xml" },
      };
    })();
    for (const req of [badSig, old, otherCorp]) {
      const res = await inject(channels.wecom as number, req);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe("invalid_signature");
    }
    expect((await admin.get("/api/v1/customers?q=lisi")).json().items).toHaveLength(0);
  });

  it("Feishu: URL verification, an encrypted signed event opens a ticket, the reply goes through im/v1/messages", async () => {
    const challenge = JSON.stringify({
      encrypt: feishuEncrypt(FEISHU.encryptKey, JSON.stringify({ type: "url_verification", challenge: "ch-1", token: "vtoken" })),
    });
    expect((await inject(channels.feishu as number, { body: challenge })).json()).toEqual({ challenge: "ch-1" });
    const event = {
      schema: "2.0",
      header: { event_id: "e-1", event_type: "im.message.receive_v1", token: "vtoken" },
      event: {
        sender: { sender_id: { open_id: "ou_abc" } },
        message: { message_id: "om_1", message_type: "text", content: JSON.stringify({ text: "发票什么时候开" }) },
      },
    };
    const raw = JSON.stringify({ encrypt: feishuEncrypt(FEISHU.encryptKey, JSON.stringify(event)) });
    const ts = now();
    const headers = {
      "x-lark-request-timestamp": ts,
      "x-lark-request-nonce": "nonce-1",
      "x-lark-signature": feishuSignature(ts, "nonce-1", FEISHU.encryptKey, raw),
    };
    const res = await inject(channels.feishu as number, { body: raw, headers });
    expect(res.json()).toMatchObject({ outcome: "created" });
    expect((await inject(channels.feishu as number, { body: raw, headers: { ...headers, "x-lark-signature": "bad" } })).statusCode).toBe(
      401,
    );
    const sent = await replyAndDrain(res.json().ticketId, "本周五前开具");
    expect(sent.map((r) => r.url)).toEqual([
      "/open-apis/auth/v3/tenant_access_token/internal",
      "/open-apis/im/v1/messages?receive_id_type=open_id",
    ]);
    expect(sent[1]?.headers.authorization).toBe("Bearer feishu-token");
    expect(JSON.parse(sent[1]?.body ?? "")).toEqual({
      receive_id: "ou_abc",
      msg_type: "text",
      content: JSON.stringify({ text: "本周五前开具" }),
    });
  });

  it("DingTalk: a signed robot callback opens a ticket, the reply goes through the robot batchSend API", async () => {
    const ts = String(Date.now());
    const body = JSON.stringify({
      msgtype: "text",
      text: { content: " 报销系统登不上 " },
      msgId: "ding-m1",
      senderStaffId: "staff-7",
      senderNick: "王五",
    });
    const res = await inject(channels.dingtalk as number, { body, headers: { timestamp: ts, sign: dingtalkSign(ts, DINGTALK.appSecret) } });
    expect(res.json()).toMatchObject({ outcome: "created" });
    const ticket = (await admin.get(`/api/v1/tickets/${res.json().ticketId}`)).json();
    expect(ticket).toMatchObject({ channel: "dingtalk", subject: "报销系统登不上" });
    expect((await admin.get(`/api/v1/customers/${ticket.customerId}`)).json().name).toBe("王五");
    expect((await inject(channels.dingtalk as number, { body, headers: { timestamp: ts, sign: "wrong" } })).statusCode).toBe(401);
    const sent = await replyAndDrain(ticket.id, "已重置密码");
    expect(sent[1]?.headers["x-acs-dingtalk-access-token"]).toBe("ding-token");
    expect(JSON.parse(sent[1]?.body ?? "")).toEqual({
      robotCode: "ding-robot",
      userIds: ["staff-7"],
      msgKey: "sampleText",
      msgParam: JSON.stringify({ content: "已重置密码" }),
    });
  });

  it("generic signed webhook: verified, replay-safe, answered with a signed POST; oversized and malformed bodies are refused clearly", async () => {
    const raw = JSON.stringify({ messageId: "w-1", from: { id: "u-9", name: "赵六" }, text: "退货地址是哪里" });
    const ts = now();
    const headers = { "x-loopdesk-timestamp": ts, "x-loopdesk-signature": webhookSign(ts, raw, "hook-secret") };
    const res = await inject(channels.webhook as number, { body: raw, headers });
    expect(res.json()).toMatchObject({ outcome: "created" });
    expect((await inject(channels.webhook as number, { body: raw, headers })).json().outcome).toBe("duplicate");
    const sent = await replyAndDrain(res.json().ticketId, "寄回上海仓");
    expect(sent[0]?.url).toBe("/hook-replies");
    expect(sent[0]?.headers["x-loopdesk-signature"]).toBe(
      webhookSign(String(sent[0]?.headers["x-loopdesk-timestamp"]), sent[0]?.body ?? "", "hook-secret"),
    );
    expect(JSON.parse(sent[0]?.body ?? "")).toMatchObject({ to: "u-9", text: "寄回上海仓" });

    const huge = JSON.stringify({ messageId: "w-2", from: { id: "u-9" }, text: "x".repeat(70_000) });
    expect(
      (
        await inject(channels.webhook as number, {
          body: huge,
          headers: { "x-loopdesk-timestamp": ts, "x-loopdesk-signature": webhookSign(ts, huge, "hook-secret") },
        })
      ).statusCode,
    ).toBe(413);
    const notJson = "not json";
    const bad = await inject(channels.webhook as number, {
      body: notJson,
      headers: { "x-loopdesk-timestamp": ts, "x-loopdesk-signature": webhookSign(ts, notJson, "hook-secret") },
    });
    expect(bad.statusCode).toBe(400);
    expect((await inject(999999, { body: raw, headers })).statusCode).toBe(404);
  });

  it("信息不全 over IM: the missing items are asked for in the same conversation, and the answer there fills them", async () => {
    await admin.post("/api/v1/custom-fields", {
      entity: "ticket",
      key: "asset_no",
      label: "资产编号",
      type: "text",
      required: true,
      pattern: "^IT\\d{6}$",
    });
    // Templates apply to every ticket when a required field has no categories: the first message lacks it.
    const res = await inject(channels.wecom as number, wecomCallback("zhaoliu", "电脑蓝屏", "m-30"));
    const ticketId = res.json().ticketId;
    expect((await admin.get(`/api/v1/tickets/${ticketId}`)).json().missingFields).toEqual(["asset_no"]);
    const before = vendor.requests.length;
    await t.ctx.jobs.drain();
    const asked = vendor.requests.slice(before).find((r) => r.url.startsWith("/cgi-bin/message/send"));
    expect(JSON.parse(asked?.body ?? "{}")).toMatchObject({ touser: "zhaoliu" });
    expect(JSON.parse(asked?.body ?? "{}").text.content).toContain("- 资产编号：");
    await inject(channels.wecom as number, wecomCallback("zhaoliu", "资产编号：IT000123", "m-31"));
    expect((await admin.get(`/api/v1/tickets/${ticketId}`)).json()).toMatchObject({
      missingFields: [],
      customFields: { asset_no: "IT000123" },
    });
    const field = (await admin.get("/api/v1/custom-fields?entity=ticket")).json().items.find((f: { key: string }) => f.key === "asset_no");
    await admin.patch(`/api/v1/custom-fields/${field.id}`, { active: false });
  });

  it("channel set-up: credentials are write-only, unknown settings and malformed keys are refused, agents cannot see channels", async () => {
    const list = (await admin.get("/api/v1/channels")).json().items;
    expect(list.find((c: { kind: string }) => c.kind === "wecom").configured.sort()).toEqual([
      "agentId",
      "corpId",
      "encodingAesKey",
      "secret",
      "token",
    ]);
    expect(JSON.stringify(list)).not.toContain("wecom-secret");
    const bad = await admin.post("/api/v1/channels", { kind: "wecom", name: "x", config: { encodingAesKey: "short", nope: "1" } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe("config.nope");
    const agent = await t.signIn((await t.factory.staff({ role: "agent" })).email, PASSWORD);
    expect((await agent.get("/api/v1/channels")).statusCode).toBe(403);
  });
});
