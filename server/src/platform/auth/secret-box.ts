import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Encrypts secrets kept in the database (an AI provider's API key) with AES-256-GCM. The key is
 * LOOPDESK_SECRET_KEY (base64, 32 bytes) when set, else a random key created once in
 * DATA_DIR/secret.key (mode 0600): a database dump or backup alone does not reveal the secret.
 */
export class SecretBox {
  private key?: Buffer;
  constructor(
    private readonly dataDir: string,
    private readonly configured?: string,
  ) {}

  private keyBytes() {
    if (this.key) return this.key;
    if (this.configured) {
      const k = Buffer.from(this.configured, "base64");
      if (k.length !== 32) throw new Error("LOOPDESK_SECRET_KEY must be 32 bytes, base64-encoded");
      this.key = k;
      return k;
    }
    const file = path.join(this.dataDir, "secret.key");
    if (!fs.existsSync(file)) {
      fs.mkdirSync(this.dataDir, { recursive: true });
      try {
        fs.writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
      } catch (e) {
        // Another process created it first: use theirs.
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
    }
    this.key = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
    return this.key;
  }

  /** An HMAC-SHA256 tag of the text (base64url): proof that this server issued it. */
  mac(text: string): string {
    return createHmac("sha256", this.keyBytes()).update(text).digest("base64url");
  }

  /** Whether the tag is this server's for the text (compared in constant time). */
  verifyMac(text: string, tag: string): boolean {
    const expected = Buffer.from(this.mac(text));
    const given = Buffer.from(tag);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.keyBytes(), iv);
    const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return `v1:${iv.toString("base64")}:${cipher.getAuthTag().toString("base64")}:${data.toString("base64")}`;
  }

  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split(":");
    if (version !== "v1" || !iv || !tag || !data) throw new Error("not a sealed secret");
    const decipher = createDecipheriv("aes-256-gcm", this.keyBytes(), Buffer.from(iv, "base64"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
  }
}
