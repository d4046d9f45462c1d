import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * WeCom (企业微信) callback protocol: msg_signature = sha1 of the sorted [token, timestamp, nonce,
 * encrypted]; the message is AES-256-CBC (key = base64(EncodingAESKey + "="), IV = its first 16
 * bytes, PKCS#7 to 32-byte blocks) over random(16) + length(4, big-endian) + XML + receiver id.
 */
export type WecomConfig = { corpId: string; token: string; encodingAesKey: string; agentId: string; secret: string };

export const wecomSignature = (token: string, timestamp: string, nonce: string, encrypted: string) =>
  createHash("sha1").update([token, timestamp, nonce, encrypted].sort().join("")).digest("hex");

const keyOf = (encodingAesKey: string) => {
  const key = Buffer.from(`${encodingAesKey}=`, "base64");
  if (key.length !== 32) throw new Error("EncodingAESKey must be 43 characters");
  return key;
};

export function wecomDecrypt(cfg: Pick<WecomConfig, "encodingAesKey" | "corpId">, encrypted: string): string {
  const key = keyOf(cfg.encodingAesKey);
  const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(Buffer.from(encrypted, "base64")), decipher.final()]);
  const pad = padded[padded.length - 1] ?? 0;
  if (pad < 1 || pad > 32) throw new Error("bad padding");
  const plain = padded.subarray(0, padded.length - pad);
  const length = plain.readUInt32BE(16);
  if (20 + length > plain.length) throw new Error("bad length");
  const receiver = plain.subarray(20 + length).toString("utf8");
  if (receiver !== cfg.corpId) throw new Error("message for another receiver");
  return plain.subarray(20, 20 + length).toString("utf8");
}

export function wecomEncrypt(cfg: Pick<WecomConfig, "encodingAesKey" | "corpId">, message: string): string {
  const key = keyOf(cfg.encodingAesKey);
  const body = Buffer.from(message, "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const plain = Buffer.concat([randomBytes(16), length, body, Buffer.from(cfg.corpId, "utf8")]);
  const pad = 32 - (plain.length % 32);
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString("base64");
}

/** One field of WeCom's flat XML (CDATA or plain). */
export function xmlField(xml: string, name: string): string | null {
  const m = new RegExp(`<${name}>\\s*(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))\\s*</${name}>`).exec(xml);
  return m ? (m[1] ?? m[2] ?? "") : null;
}
