import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const keyFrom = (base64: string, name: string) => {
  const k = Buffer.from(base64.trim(), "base64");
  if (k.length !== 32) throw new Error(`${name} must be 32 bytes, base64-encoded`);
  return k;
};

/**
 * Encrypts secrets kept in the database (API keys, mailbox passwords, webhook and IM secrets,
 * authenticator secrets) with AES-256-GCM. The key is LOOPDESK_SECRET_KEY (base64, 32 bytes) when
 * set, else a random key created once in DATA_DIR/secret.key (mode 0600): a database dump or
 * backup alone does not reveal the secrets. Rotation: the old keys go to
 * LOOPDESK_SECRET_KEY_PREVIOUS (comma-separated); values sealed with them still open, and
 * `loopdesk rotate-secrets` seals every stored secret with the current key.
 */
export class SecretBox {
  private key?: Buffer;
  private readonly previous: Buffer[];
  constructor(
    private readonly dataDir: string,
    private readonly configured?: string,
    previousKeys?: string,
  ) {
    this.previous = (previousKeys ?? "")
      .split(",")
      .filter((k) => k.trim())
      .map((k) => keyFrom(k, "LOOPDESK_SECRET_KEY_PREVIOUS"));
  }

  private keyBytes() {
    if (this.key) return this.key;
    if (this.configured) {
      this.key = keyFrom(this.configured, "LOOPDESK_SECRET_KEY");
      return this.key;
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

  /** Whether a stored value is sealed (rather than a plain value stored before sealing existed). */
  static isSealed(value: string): boolean {
    return /^v1:[^:]+:[^:]+:[^:]+$/.test(value);
  }

  private static decrypt(key: Buffer, sealed: string): string {
    const [version, iv, tag, data] = sealed.split(":");
    if (version !== "v1" || !iv || !tag || !data) throw new Error("not a sealed secret");
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
  }

  /** Opens a sealed value with the current key or, after a rotation, a previous one. */
  open(sealed: string): string {
    let failure: unknown;
    for (const key of [this.keyBytes(), ...this.previous]) {
      try {
        return SecretBox.decrypt(key, sealed);
      } catch (e) {
        failure = e;
      }
    }
    throw failure;
  }

  /** A stored secret in the clear: opened when sealed, as it is when stored before sealing existed. */
  reveal(stored: string): string {
    return SecretBox.isSealed(stored) ? this.open(stored) : stored;
  }

  /** The stored value sealed with the current key, or undefined when it already is (rotation). */
  reseal(stored: string): string | undefined {
    if (SecretBox.isSealed(stored)) {
      try {
        SecretBox.decrypt(this.keyBytes(), stored);
        return undefined;
      } catch {}
    }
    return this.seal(this.reveal(stored));
  }
}
