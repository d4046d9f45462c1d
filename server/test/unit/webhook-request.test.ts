import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { accepted, buildWebhookRequest } from "../../src/modules/webhooks/webhook-request";

const payload = {
  event: "ticket.sla_breached",
  deliveryId: 42,
  occurredAt: "2026-11-22T06:00:00.000Z",
  ticket: { id: 1, number: 10001 },
  data: {},
  text: "**工单已超时**\n#10001 打印机",
};
const now = new Date("2026-11-22T06:00:00.000Z");

describe("webhook requests", () => {
  it("generic: the body as JSON, signed over timestamp.body", () => {
    const r = buildWebhookRequest({ kind: "generic", url: "https://erp.example.com/hook", secret: "k" }, payload, now);
    expect(JSON.parse(r.body)).toEqual(payload);
    expect(r.headers["X-Loopdesk-Timestamp"]).toBe("1795327200");
    expect(r.headers["X-Loopdesk-Signature"]).toBe(`sha256=${createHmac("sha256", "k").update(`1795327200.${r.body}`).digest("hex")}`);
    expect(
      buildWebhookRequest({ kind: "generic", url: "https://x", secret: null }, payload, now).headers["X-Loopdesk-Signature"],
    ).toBeUndefined();
  });

  it("DingTalk: timestamp in ms and the URL-encoded signature on the query string", () => {
    const r = buildWebhookRequest(
      { kind: "dingtalk", url: "https://oapi.dingtalk.com/robot/send?access_token=t", secret: "SEC1" },
      payload,
      now,
    );
    const sign = encodeURIComponent(createHmac("sha256", "SEC1").update("1795327200000\nSEC1").digest("base64"));
    expect(r.url).toBe(`https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1795327200000&sign=${sign}`);
    expect(JSON.parse(r.body)).toEqual({ msgtype: "markdown", markdown: { title: "**工单已超时**", text: payload.text } });
  });

  it("Feishu: timestamp in seconds and the signature in the body; WeCom: markdown", () => {
    const f = JSON.parse(
      buildWebhookRequest({ kind: "feishu", url: "https://open.feishu.cn/open-apis/bot/v2/hook/x", secret: "fs" }, payload, now).body,
    );
    expect(f).toEqual({
      timestamp: "1795327200",
      sign: createHmac("sha256", "1795327200\nfs").update("").digest("base64"),
      msg_type: "text",
      content: { text: payload.text },
    });
    const w = buildWebhookRequest(
      { kind: "wecom", url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", secret: null },
      payload,
      now,
    );
    expect(JSON.parse(w.body)).toEqual({ msgtype: "markdown", markdown: { content: payload.text } });
  });

  it("robots that answer 200 with an error code have not accepted the message", () => {
    expect(accepted("generic", 204, "")).toBe(true);
    expect(accepted("generic", 500, "")).toBe(false);
    expect(accepted("wecom", 200, '{"errcode":0,"errmsg":"ok"}')).toBe(true);
    expect(accepted("dingtalk", 200, '{"errcode":310000,"errmsg":"sign not match"}')).toBe(false);
    expect(accepted("feishu", 200, '{"code":19021,"msg":"sign match fail"}')).toBe(false);
    expect(accepted("feishu", 200, '{"StatusCode":0}')).toBe(true);
    expect(accepted("wecom", 200, "not json")).toBe(false);
  });
});
