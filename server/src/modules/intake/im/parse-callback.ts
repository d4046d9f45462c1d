import type { Selectable } from "kysely";
import type { ImChannelsTable } from "../../../db/schema-intake";
import { AppError } from "../../../platform/errors";
import { feishuDecrypt, feishuSignature } from "./feishu";
import { dingtalkSign, sameSignature, webhookSign } from "./hmac";
import { wecomDecrypt, wecomSignature, xmlField } from "./wecom";

export const InvalidSignatureError = (why: string) => new AppError(401, "invalid_signature", `The callback was refused: ${why}.`);

/** What a verified callback carries: a message to take in, an answer the platform expects (URL checks), or nothing to do. */
export type Callback =
  | { kind: "message"; externalId: string; senderId: string; senderName: string | null; text: string }
  | { kind: "reply"; body: string | Record<string, unknown> }
  | { kind: "ignore" };

export type CallbackRequest = {
  method: string;
  query: Record<string, string | undefined>;
  headers: Record<string, string | undefined>;
  raw: string;
};

/** Signed requests older (or newer) than this are replays and refused. */
const MAX_SKEW_MS = 5 * 60_000;
const DINGTALK_SKEW_MS = 60 * 60_000;

function fresh(timestampMs: number, skew: number) {
  if (!Number.isFinite(timestampMs) || Math.abs(Date.now() - timestampMs) > skew)
    throw InvalidSignatureError("the timestamp is missing or too old");
}

function json(raw: string): Record<string, unknown> {
  try {
    const v = JSON.parse(raw);
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {}
  throw new AppError(400, "malformed_json", "The body is not a JSON object.");
}

const str = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

/**
 * Verifies a platform callback by that platform's published protocol and reads the message in it.
 * Nothing unverified gets through: a wrong or missing signature, a stale timestamp or a payload
 * that does not decrypt is refused (401 invalid_signature); the caller logs why.
 */
export function parseCallback(channel: Selectable<ImChannelsTable>, req: CallbackRequest): Callback {
  const cfg = channel.config;
  switch (channel.kind) {
    case "wecom": {
      const { msg_signature: sig = "", timestamp = "", nonce = "", echostr } = req.query;
      const token = cfg.token ?? "";
      const wecom = { corpId: cfg.corpId ?? "", encodingAesKey: cfg.encodingAesKey ?? "" };
      if (req.method === "GET") {
        // The URL check when the callback is configured: answer the decrypted echostr.
        if (!echostr || !sameSignature(wecomSignature(token, timestamp, nonce, echostr), sig))
          throw InvalidSignatureError("bad msg_signature");
        return { kind: "reply", body: decrypt(() => wecomDecrypt(wecom, echostr)) };
      }
      const encrypted = xmlField(req.raw, "Encrypt");
      if (!encrypted || !sameSignature(wecomSignature(token, timestamp, nonce, encrypted), sig))
        throw InvalidSignatureError("bad msg_signature");
      fresh(Number(timestamp) * 1000, MAX_SKEW_MS);
      const xml = decrypt(() => wecomDecrypt(wecom, encrypted));
      if (xmlField(xml, "MsgType") !== "text") return { kind: "ignore" };
      return {
        kind: "message",
        externalId: xmlField(xml, "MsgId") ?? `${xmlField(xml, "FromUserName")}:${xmlField(xml, "CreateTime")}`,
        senderId: xmlField(xml, "FromUserName") ?? "",
        senderName: null,
        text: xmlField(xml, "Content") ?? "",
      };
    }
    case "dingtalk": {
      const timestamp = req.headers.timestamp ?? "";
      if (!sameSignature(dingtalkSign(timestamp, cfg.appSecret ?? ""), req.headers.sign ?? "")) throw InvalidSignatureError("bad sign");
      fresh(Number(timestamp), DINGTALK_SKEW_MS);
      const body = json(req.raw);
      if (body.msgtype !== "text") return { kind: "ignore" };
      return {
        kind: "message",
        externalId: str(body.msgId),
        senderId: str(body.senderStaffId) || str(body.senderId),
        senderName: str(body.senderNick) || null,
        text: str((body.text as { content?: unknown } | undefined)?.content).trim(),
      };
    }
    case "feishu": {
      const key = cfg.encryptKey ?? "";
      const ts = req.headers["x-lark-request-timestamp"] ?? "";
      const nonce = req.headers["x-lark-request-nonce"] ?? "";
      const outer = json(req.raw);
      const body = typeof outer.encrypt === "string" ? json(decrypt(() => feishuDecrypt(key, outer.encrypt as string))) : outer;
      // The URL check carries the verification token, not a signature.
      if (body.type === "url_verification") {
        if (str(body.token) !== (cfg.verificationToken ?? "")) throw InvalidSignatureError("bad verification token");
        return { kind: "reply", body: { challenge: str(body.challenge) } };
      }
      if (!sameSignature(feishuSignature(ts, nonce, key, req.raw), req.headers["x-lark-signature"] ?? ""))
        throw InvalidSignatureError("bad X-Lark-Signature");
      fresh(Number(ts) * 1000, MAX_SKEW_MS);
      const header = (body.header ?? {}) as Record<string, unknown>;
      if (header.event_type !== "im.message.receive_v1") return { kind: "ignore" };
      const event = (body.event ?? {}) as { sender?: { sender_id?: { open_id?: string } }; message?: Record<string, unknown> };
      if (event.message?.message_type !== "text") return { kind: "ignore" };
      const content = json(str(event.message.content));
      return {
        kind: "message",
        externalId: str(event.message.message_id),
        senderId: event.sender?.sender_id?.open_id ?? "",
        senderName: null,
        text: str(content.text).trim(),
      };
    }
    case "webhook": {
      const timestamp = req.headers["x-loopdesk-timestamp"] ?? "";
      if (!sameSignature(webhookSign(timestamp, req.raw, cfg.secret ?? ""), req.headers["x-loopdesk-signature"] ?? ""))
        throw InvalidSignatureError("bad X-Loopdesk-Signature");
      fresh(Number(timestamp) * 1000, MAX_SKEW_MS);
      const body = json(req.raw);
      const from = (body.from ?? {}) as Record<string, unknown>;
      return {
        kind: "message",
        externalId: str(body.messageId),
        senderId: str(from.id),
        senderName: str(from.name) || null,
        text: str(body.text).trim(),
      };
    }
  }
}

function decrypt(fn: () => string) {
  try {
    return fn();
  } catch {
    throw InvalidSignatureError("the payload does not decrypt");
  }
}
