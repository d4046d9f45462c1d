import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SecretBox } from "../../src/platform/auth/secret-box";

const key = () => randomBytes(32).toString("base64");

describe("SecretBox", () => {
  it("seals so that only the key opens it, and never the same text twice", () => {
    const box = new SecretBox("/nonexistent", key());
    const a = box.seal("imap-password-1");
    expect(a).not.toContain("imap-password-1");
    expect(box.seal("imap-password-1")).not.toBe(a);
    expect(box.open(a)).toBe("imap-password-1");
    expect(() => new SecretBox("/nonexistent", key()).open(a)).toThrow();
    const tampered = `${a.slice(0, -4)}AAAA`;
    expect(() => box.open(tampered)).toThrow();
  });

  it("after a rotation, values sealed with a previous key still open and are resealed with the new one", () => {
    const oldKey = key();
    const sealedBefore = new SecretBox("/nonexistent", oldKey).seal("webhook-secret");
    const rotated = new SecretBox("/nonexistent", key(), oldKey);
    expect(rotated.open(sealedBefore)).toBe("webhook-secret");
    const resealed = rotated.reseal(sealedBefore) as string;
    expect(resealed).toBeDefined();
    expect(rotated.reseal(resealed)).toBeUndefined();
    // Without the old key the old value is lost; the resealed one is not.
    const withoutOld = new SecretBox("/nonexistent", (rotated as unknown as { configured: string }).configured);
    expect(() => withoutOld.open(sealedBefore)).toThrow();
    expect(withoutOld.open(resealed)).toBe("webhook-secret");
  });

  it("a value stored before sealing existed is revealed as it is, and sealed by a rotation", () => {
    const box = new SecretBox("/nonexistent", key());
    expect(SecretBox.isSealed("plain-password")).toBe(false);
    expect(box.reveal("plain-password")).toBe("plain-password");
    const sealed = box.reseal("plain-password") as string;
    expect(SecretBox.isSealed(sealed)).toBe(true);
    expect(box.open(sealed)).toBe("plain-password");
  });

  it("without a configured key, one is created once in the data directory, readable only by its owner", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-box-"));
    const sealed = new SecretBox(dir).seal("x");
    expect(new SecretBox(dir).open(sealed)).toBe("x");
    expect(fs.statSync(path.join(dir, "secret.key")).mode & 0o777).toBe(0o600);
    fs.rmSync(dir, { recursive: true });
  });

  it("refuses a key that is not 32 bytes", () => {
    expect(() => new SecretBox("/nonexistent", "c2hvcnQ=").seal("x")).toThrow(/32 bytes/);
    expect(() => new SecretBox("/nonexistent", key(), "c2hvcnQ=")).toThrow(/LOOPDESK_SECRET_KEY_PREVIOUS/);
  });
});
