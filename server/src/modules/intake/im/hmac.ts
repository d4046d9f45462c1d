import { createHmac, timingSafeEqual } from "node:crypto";

/** DingTalk robot callbacks: sign = base64(HMAC-SHA256(appSecret, timestamp + "\n" + appSecret)), timestamp in ms. */
export const dingtalkSign = (timestamp: string, appSecret: string) =>
  createHmac("sha256", appSecret).update(`${timestamp}\n${appSecret}`).digest("base64");

/** The generic signed webhook: hex HMAC-SHA256(secret, timestamp + "." + raw body), timestamp in seconds. */
export const webhookSign = (timestamp: string, rawBody: string, secret: string) =>
  createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex");

/** Compares signatures in constant time (a mismatch in length is simply false). */
export function sameSignature(a: string, b: string) {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}
