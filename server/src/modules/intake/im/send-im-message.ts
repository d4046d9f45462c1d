import type { Selectable } from "kysely";
import type { ImChannelsTable } from "../../../db/schema-intake";
import { webhookSign } from "./hmac";
import { withAccessToken } from "./im-access-token";

/** The vendors' public API addresses; a channel may name another (a proxy, or a test server). */
const DEFAULT_BASE = {
  wecom: "https://qyapi.weixin.qq.com",
  dingtalk: "https://api.dingtalk.com",
  feishu: "https://open.feishu.cn",
  webhook: "",
};

type Fetch = typeof fetch;

async function call(fetchImpl: Fetch, url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown }) {
  const res = await fetchImpl(url, {
    method: init.method ?? "POST",
    headers: { ...(init.body !== undefined ? { "content-type": "application/json; charset=utf-8" } : {}), ...(init.headers ?? {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${new URL(url).pathname} answered ${res.status}`);
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const seconds = (v: unknown) => (typeof v === "number" && v > 0 ? v : undefined);

/** A platform error code other than 0 is a failure (retried by the job). */
function ok(body: Record<string, unknown>, what: string) {
  const code = body.errcode ?? body.code ?? 0;
  if (code !== 0) throw new Error(`${what} failed with code ${String(code)}`);
  return body;
}

/**
 * Sends an agent's reply back through the platform's send API, as each platform documents it:
 * WeCom (gettoken → message/send), DingTalk (oauth2/accessToken → robot oToMessages/batchSend),
 * Feishu (tenant_access_token → im/v1/messages), or the generic webhook's signed POST.
 */
export async function sendImMessage(
  channel: Selectable<ImChannelsTable>,
  to: string,
  text: string,
  meta: { ticketNumber: number },
  fetchImpl: Fetch = fetch,
) {
  const c = channel.config;
  const base = (channel.api_base ?? DEFAULT_BASE[channel.kind]).replace(/\/$/, "");
  switch (channel.kind) {
    case "wecom":
      return withAccessToken(
        ["wecom", base, c.corpId ?? "", c.secret ?? ""],
        async () => {
          const url = `${base}/cgi-bin/gettoken?corpid=${encodeURIComponent(c.corpId ?? "")}&corpsecret=${encodeURIComponent(c.secret ?? "")}`;
          const body = ok(await call(fetchImpl, url, { method: "GET" }), "gettoken");
          return { token: String(body.access_token), expiresInSeconds: seconds(body.expires_in) };
        },
        async (token) => {
          ok(
            await call(fetchImpl, `${base}/cgi-bin/message/send?access_token=${encodeURIComponent(token)}`, {
              body: { touser: to, msgtype: "text", agentid: Number(c.agentId), text: { content: text } },
            }),
            "message/send",
          );
        },
      );
    case "dingtalk":
      return withAccessToken(
        ["dingtalk", base, c.appKey ?? "", c.appSecret ?? ""],
        async () => {
          const body = await call(fetchImpl, `${base}/v1.0/oauth2/accessToken`, { body: { appKey: c.appKey, appSecret: c.appSecret } });
          if (typeof body.accessToken !== "string") throw new Error("DingTalk gave no access token");
          return { token: body.accessToken, expiresInSeconds: seconds(body.expireIn) };
        },
        async (token) => {
          await call(fetchImpl, `${base}/v1.0/robot/oToMessages/batchSend`, {
            headers: { "x-acs-dingtalk-access-token": token },
            body: { robotCode: c.robotCode ?? c.appKey, userIds: [to], msgKey: "sampleText", msgParam: JSON.stringify({ content: text }) },
          });
        },
      );
    case "feishu":
      return withAccessToken(
        ["feishu", base, c.appId ?? "", c.appSecret ?? ""],
        async () => {
          const body = ok(
            await call(fetchImpl, `${base}/open-apis/auth/v3/tenant_access_token/internal`, {
              body: { app_id: c.appId, app_secret: c.appSecret },
            }),
            "tenant_access_token",
          );
          return { token: String(body.tenant_access_token), expiresInSeconds: seconds(body.expire) };
        },
        async (token) => {
          ok(
            await call(fetchImpl, `${base}/open-apis/im/v1/messages?receive_id_type=open_id`, {
              headers: { authorization: `Bearer ${token}` },
              body: { receive_id: to, msg_type: "text", content: JSON.stringify({ text }) },
            }),
            "im/v1/messages",
          );
        },
      );
    case "webhook": {
      if (!c.replyUrl) throw new Error("The webhook channel has no reply URL");
      const body = JSON.stringify({ to: to.replace(/^\d+:/, ""), text, ticketNumber: meta.ticketNumber });
      const timestamp = String(Math.floor(Date.now() / 1000));
      await call(fetchImpl, c.replyUrl, {
        headers: { "x-loopdesk-timestamp": timestamp, "x-loopdesk-signature": webhookSign(timestamp, body, c.secret ?? "") },
        body: JSON.parse(body),
      });
      return;
    }
  }
}
