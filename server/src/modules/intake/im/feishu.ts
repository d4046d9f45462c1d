import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * Feishu (飞书) event subscription: with an Encrypt Key the body is {"encrypt": base64(IV(16) +
 * AES-256-CBC(sha256(key), PKCS#7))}; X-Lark-Signature = sha256(timestamp + nonce + key + raw body).
 */
export type FeishuConfig = { appId: string; appSecret: string; encryptKey: string; verificationToken: string };

export const feishuSignature = (timestamp: string, nonce: string, encryptKey: string, rawBody: string) =>
  createHash("sha256")
    .update(timestamp + nonce + encryptKey + rawBody)
    .digest("hex");

const keyOf = (encryptKey: string) => createHash("sha256").update(encryptKey).digest();

export function feishuDecrypt(encryptKey: string, encrypted: string): string {
  const data = Buffer.from(encrypted, "base64");
  const decipher = createDecipheriv("aes-256-cbc", keyOf(encryptKey), data.subarray(0, 16));
  return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString("utf8");
}

export function feishuEncrypt(encryptKey: string, plain: string): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-256-cbc", keyOf(encryptKey), iv);
  return Buffer.concat([iv, cipher.update(plain, "utf8"), cipher.final()]).toString("base64");
}
