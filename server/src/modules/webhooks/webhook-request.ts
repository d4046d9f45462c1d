import { createHmac } from "node:crypto";
import type { Selectable } from "kysely";
import type { WebhooksTable } from "../../db/schema-automations";

type Webhook = Pick<Selectable<WebhooksTable>, "kind" | "url" | "secret">;
/** What is delivered: the event and the ticket it is about, plus a one-line text for robots. */
export type DeliveryPayload = {
  event: string;
  deliveryId: number;
  occurredAt: string;
  ticket: Record<string, unknown> | null;
  data: Record<string, unknown>;
  text: string;
};
export type WebhookRequest = { url: string; headers: Record<string, string>; body: string };

/**
 * The HTTP request for one delivery, in the receiver's format:
 * - generic: our JSON, signed `X-Loopdesk-Signature: sha256=HMAC-SHA256(secret, "<timestamp>.<body>")`
 *   with the timestamp in `X-Loopdesk-Timestamp`, so receivers can reject replays;
 * - wecom (企业微信群机器人): markdown message;
 * - dingtalk (钉钉自定义机器人): markdown message; with a signing secret (加签), `timestamp` (ms) and
 *   `sign` = urlencode(base64(HMAC-SHA256(secret, "<timestamp>\n<secret>"))) on the URL;
 * - feishu (飞书自定义机器人): text message; with a signing secret, `timestamp` (s) and
 *   `sign` = base64(HMAC-SHA256(key "<timestamp>\n<secret>", empty message)) in the body.
 */
export function buildWebhookRequest(hook: Webhook, payload: DeliveryPayload, now = new Date()): WebhookRequest {
  const json = { "Content-Type": "application/json; charset=utf-8" };
  switch (hook.kind) {
    case "generic": {
      const body = JSON.stringify(payload);
      const timestamp = String(Math.floor(now.getTime() / 1000));
      const headers: Record<string, string> = {
        ...json,
        "User-Agent": "Loopdesk-Webhook/1",
        "X-Loopdesk-Event": payload.event,
        "X-Loopdesk-Delivery": String(payload.deliveryId),
        "X-Loopdesk-Timestamp": timestamp,
      };
      if (hook.secret)
        headers["X-Loopdesk-Signature"] = `sha256=${createHmac("sha256", hook.secret).update(`${timestamp}.${body}`).digest("hex")}`;
      return { url: hook.url, headers, body };
    }
    case "wecom":
      return { url: hook.url, headers: json, body: JSON.stringify({ msgtype: "markdown", markdown: { content: payload.text } }) };
    case "dingtalk": {
      let url = hook.url;
      if (hook.secret) {
        const timestamp = String(now.getTime());
        const sign = createHmac("sha256", hook.secret).update(`${timestamp}\n${hook.secret}`).digest("base64");
        url += `${url.includes("?") ? "&" : "?"}timestamp=${timestamp}&sign=${encodeURIComponent(sign)}`;
      }
      const title = payload.text.split("\n")[0]?.slice(0, 60) ?? "Loopdesk";
      return { url, headers: json, body: JSON.stringify({ msgtype: "markdown", markdown: { title, text: payload.text } }) };
    }
    case "feishu": {
      const signed: Record<string, string> = {};
      if (hook.secret) {
        const timestamp = String(Math.floor(now.getTime() / 1000));
        signed.timestamp = timestamp;
        signed.sign = createHmac("sha256", `${timestamp}\n${hook.secret}`).update("").digest("base64");
      }
      return { url: hook.url, headers: json, body: JSON.stringify({ ...signed, msg_type: "text", content: { text: payload.text } }) };
    }
  }
}

/**
 * Whether the receiver accepted the message: a 2xx status, and for the robots also their own
 * result code (they answer 200 with `errcode`/`code` ≠ 0 when they refuse, e.g. a bad signature).
 */
export function accepted(kind: Webhook["kind"], status: number, body: string): boolean {
  if (status < 200 || status >= 300) return false;
  if (kind === "generic") return true;
  try {
    const parsed = JSON.parse(body) as { errcode?: number; code?: number; StatusCode?: number };
    const code = parsed.errcode ?? parsed.code ?? parsed.StatusCode ?? 0;
    return code === 0;
  } catch {
    return false;
  }
}
