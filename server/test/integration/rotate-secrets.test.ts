import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rotateSecrets } from "../../src/modules/system/rotate-secrets";
import { SecretBox } from "../../src/platform/auth/secret-box";
import { type Client, type TestApp, appWithAdmin } from "../support/test-app";

/** Rotating the secret key: what the old key sealed (and plain values from before sealing) is sealed with the new one. */
const OLD = randomBytes(32).toString("base64");
const NEW = randomBytes(32).toString("base64");
let t: TestApp;
let admin: Client;
beforeAll(async () => {
  ({ t, admin } = await appWithAdmin({ LOOPDESK_SECRET_KEY: OLD }));
});
afterAll(() => t.close());

describe("rotate-secrets", () => {
  it("reseals webhook, mailbox, IM, AI and audit-stream secrets under the new key; the old key can then go", async () => {
    const hook = (
      await admin.post("/api/v1/webhooks", {
        name: "ERP",
        url: "http://127.0.0.1:9/x",
        secret: "hook-secret-1",
        events: ["ticket.created"],
      })
    ).json();
    expect(
      (await admin.patch("/api/v1/ai/settings", { apiKey: "sk-ai-key-1", baseUrl: "http://127.0.0.1:9/v1", model: "m" })).statusCode,
    ).toBe(200);
    await admin.patch("/api/v1/audit/settings", { streamSecret: "stream-secret-1" });
    const channel = (
      await admin.post("/api/v1/channels", {
        kind: "feishu",
        name: "飞书",
        active: true,
        config: { appId: "cli_1", appSecret: "feishu-secret-1" },
      })
    ).json();
    const stored = await t.ctx.db.selectFrom("im_channels").select("config").where("id", "=", channel.id).executeTakeFirstOrThrow();
    expect(stored.config.appId).toBe("cli_1");
    expect(JSON.stringify(stored.config)).not.toContain("feishu-secret-1");
    // A value stored before sealing existed.
    await t.ctx.db
      .insertInto("webhooks")
      .values({ name: "旧", kind: "generic", url: "http://127.0.0.1:9/y", secret: "legacy-plain", events: ["ticket.created"] })
      .execute();

    const rotated = new SecretBox(t.ctx.config.dataDir, NEW, OLD);
    const rewritten = await rotateSecrets(t.ctx.db, rotated);
    expect(rewritten).toMatchObject({
      "webhooks.secret": 2,
      "ai_settings.api_key_sealed": 1,
      "audit_settings.stream_secret_sealed": 1,
      "im_channels.config": 1,
    });
    expect(await rotateSecrets(t.ctx.db, rotated)).toMatchObject({ "webhooks.secret": 0, "ai_settings.api_key_sealed": 0 });

    const onlyNew = new SecretBox(t.ctx.config.dataDir, NEW);
    const hooks = await t.ctx.db.selectFrom("webhooks").select(["id", "secret"]).orderBy("id").execute();
    expect(hooks.map((h) => onlyNew.open(h.secret as string))).toEqual(["hook-secret-1", "legacy-plain"]);
    expect(hooks[0]?.id).toBe(hook.id);
    const ai = await t.ctx.db.selectFrom("ai_settings").select("api_key_sealed").executeTakeFirstOrThrow();
    expect(onlyNew.open(ai.api_key_sealed as string)).toBe("sk-ai-key-1");
    const audit = await t.ctx.db.selectFrom("audit_settings").select("stream_secret_sealed").executeTakeFirstOrThrow();
    expect(onlyNew.open(audit.stream_secret_sealed as string)).toBe("stream-secret-1");
    const im = await t.ctx.db.selectFrom("im_channels").select("config").where("id", "=", channel.id).executeTakeFirstOrThrow();
    expect(onlyNew.open(im.config.appSecret as string)).toBe("feishu-secret-1");
    expect(() => new SecretBox(t.ctx.config.dataDir, OLD).open(ai.api_key_sealed as string)).toThrow();
  });
});
