import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { feishuDecrypt, feishuEncrypt, feishuSignature } from "../../src/modules/intake/im/feishu";
import { dingtalkSign, sameSignature, webhookSign } from "../../src/modules/intake/im/hmac";
import { parseCallback } from "../../src/modules/intake/im/parse-callback";
import { wecomDecrypt, wecomEncrypt, wecomSignature, xmlField } from "../../src/modules/intake/im/wecom";
import { AppError } from "../../src/platform/errors";

// The sample callback published with WeCom's official WXBizMsgCrypt library (its Sample.cpp).
const WECOM = { token: "QDG6eK", corpId: "wx5823bf96d3bd56c7", encodingAesKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C" };
const SAMPLE_ENCRYPT =
  "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";

describe("WeCom callback crypto", () => {
  it("verifies and decrypts WeCom's published sample message and URL check", () => {
    expect(wecomSignature(WECOM.token, "1409659813", "1372623149", SAMPLE_ENCRYPT)).toBe("477715d11cdb4164915debcba66cb864d751f3e6");
    const xml = wecomDecrypt(WECOM, SAMPLE_ENCRYPT);
    expect(xmlField(xml, "MsgType")).toBeTruthy();
    expect(xmlField(xml, "FromUserName")).toBeTruthy();
    const echo = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
    expect(wecomSignature(WECOM.token, "1409659589", "263014780", echo)).toBe("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3");
    expect(wecomDecrypt(WECOM, echo).length).toBeGreaterThan(0);
  });
  it("round-trips our own encryption; another receiver's message is refused", () => {
    const xml = "<xml><FromUserName><![CDATA[zhangsan]]></FromUserName><Content><![CDATA[打印机坏了]]></Content></xml>";
    expect(wecomDecrypt(WECOM, wecomEncrypt(WECOM, xml))).toBe(xml);
    expect(() => wecomDecrypt({ ...WECOM, corpId: "other" }, wecomEncrypt(WECOM, xml))).toThrow();
  });
  it("garbage never decrypts into a message (fuzz)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (bytes) => {
        try {
          wecomDecrypt(WECOM, Buffer.from(bytes).toString("base64"));
        } catch {
          return true;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

describe("Feishu, DingTalk and webhook signatures", () => {
  it("Feishu: encrypt/decrypt and the request signature", () => {
    const body = JSON.stringify({ challenge: "abc", type: "url_verification" });
    expect(feishuDecrypt("test key", feishuEncrypt("test key", body))).toBe(body);
    expect(feishuSignature("1", "n", "k", "{}")).toMatch(/^[0-9a-f]{64}$/);
    expect(feishuSignature("1", "n", "k", "{}")).not.toBe(feishuSignature("2", "n", "k", "{}"));
  });
  it("DingTalk and webhook HMACs; comparison in constant time", () => {
    expect(dingtalkSign("1700000000000", "secret")).toBe(dingtalkSign("1700000000000", "secret"));
    expect(dingtalkSign("1700000000000", "secret")).not.toBe(dingtalkSign("1700000000001", "secret"));
    const s = webhookSign("1700000000", "{}", "k");
    expect(sameSignature(s, webhookSign("1700000000", "{}", "k"))).toBe(true);
    expect(sameSignature(s, webhookSign("1700000000", "{ }", "k"))).toBe(false);
    expect(sameSignature(s, "short")).toBe(false);
  });
});

describe("fuzzing the callback verifiers", () => {
  const channel = (kind: "wecom" | "dingtalk" | "feishu" | "webhook") => ({
    id: 1,
    kind,
    name: kind,
    active: true,
    api_base: null,
    created_at: new Date(),
    updated_at: new Date(),
    config: { ...WECOM, appSecret: "s", encryptKey: "k", verificationToken: "v", secret: "s" },
  });
  it("random requests are refused with the shared error type, never accepted, never a crash", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("wecom" as const, "dingtalk" as const, "feishu" as const, "webhook" as const),
        fc.constantFrom("GET", "POST"),
        fc.dictionary(fc.constantFrom("msg_signature", "timestamp", "nonce", "echostr"), fc.string({ maxLength: 80 })),
        fc.dictionary(
          fc.constantFrom(
            "timestamp",
            "sign",
            "x-lark-signature",
            "x-lark-request-timestamp",
            "x-loopdesk-signature",
            "x-loopdesk-timestamp",
          ),
          fc.string({ maxLength: 80 }),
        ),
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.json({ maxDepth: 3 }),
          fc.constant('{"encrypt":"AAAA"}'),
          fc.constant("<xml><Encrypt>QUJD</Encrypt></xml>"),
        ),
        (kind, method, query, headers, raw) => {
          try {
            const r = parseCallback(channel(kind), { method, query, headers, raw });
            // Only Feishu's URL check (which carries the verification token) can pass without a signature.
            expect(r.kind === "reply" && kind === "feishu").toBe(true);
          } catch (err) {
            expect(err).toBeInstanceOf(AppError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
