import * as OTPAuth from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, PASSWORD, type TestApp, appWithAdmin } from "../support/test-app";

/**
 * Two-factor sign-in with an authenticator app (TOTP, RFC 6238): enrolment with a QR code and ten
 * recovery codes, the second step at sign-in, guessing throttled, roles that must use it (their
 * sessions may only enrol until they do), and an administrator's audited reset.
 */
let t: TestApp;
let admin: Client;
beforeAll(async () => {
  ({ t, admin } = await appWithAdmin());
});
afterAll(() => t.close());

const codeFor = (secret: string, offsetSteps = 0) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" }).generate({
    timestamp: Date.now() + offsetSteps * 30_000,
  });
const password = (email: string) => t.anonymous.post("/api/v1/auth/login", { email, password: PASSWORD, as: "staff" });

async function enrol(client: Client) {
  const started = await client.post("/api/v1/me/two-factor/totp");
  expect(started.statusCode, started.body).toBe(200);
  const { secret, otpauthUrl, qrDataUrl } = started.json();
  expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/Loopdesk:.+\?.*secret=/);
  expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
  expect(
    (await client.post("/api/v1/me/two-factor/totp/confirm", { code: "000000" === codeFor(secret) ? "111111" : "000000" })).json().error
      .code,
  ).toBe("invalid_code");
  const confirmed = await client.post("/api/v1/me/two-factor/totp/confirm", { code: codeFor(secret) });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return { secret: secret as string, recoveryCodes: confirmed.json().recoveryCodes as string[] };
}

describe("two-factor sign-in", () => {
  it("an agent turns on an authenticator; sign-in then needs its code or a recovery code, once each", async () => {
    const agent = await t.factory.staff({ name: "两步客服" });
    const client = await t.signIn(agent.email, PASSWORD);
    expect((await client.get("/api/v1/me/two-factor")).json()).toMatchObject({ totp: false, recoveryCodesLeft: 0, required: false });
    const { secret, recoveryCodes } = await enrol(client);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const c of recoveryCodes) expect(c).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect((await client.get("/api/v1/me/two-factor")).json()).toMatchObject({ totp: true, recoveryCodesLeft: 10 });
    // The secret is sealed in the database, never stored or logged in the clear.
    const row = await t.ctx.db.selectFrom("staff").select("totp_secret_sealed").where("id", "=", agent.id).executeTakeFirstOrThrow();
    expect(row.totp_secret_sealed).not.toContain(secret);

    const first = await password(agent.email);
    expect(first.statusCode).toBe(200);
    expect(first.json().user).toBeUndefined();
    expect(first.cookies.find((c) => c.name === "loopdesk_session")).toBeUndefined();
    const { challenge, methods } = first.json().twoFactor;
    expect(methods).toEqual(["totp", "recovery_code"]);
    const wrong = await t.anonymous.post("/api/v1/auth/login/two-factor", { challenge, code: codeFor(secret, 10) });
    expect(wrong.json().error.code).toBe("invalid_code");
    const ok = await t.anonymous.post("/api/v1/auth/login/two-factor", { challenge, code: codeFor(secret) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().user.id).toBe(agent.id);
    expect(ok.cookies.find((c) => c.name === "loopdesk_session")?.httpOnly).toBe(true);

    // A recovery code works once.
    const again = (await password(agent.email)).json().twoFactor.challenge;
    const recovered = await t.anonymous.post("/api/v1/auth/login/two-factor", { challenge: again, recoveryCode: recoveryCodes[0] });
    expect(recovered.statusCode).toBe(200);
    const reuse = await t.anonymous.post("/api/v1/auth/login/two-factor", {
      challenge: (await password(agent.email)).json().twoFactor.challenge,
      recoveryCode: recoveryCodes[0],
    });
    expect(reuse.json().error.code).toBe("invalid_code");
    const methodsUsed = (await admin.get(`/api/v1/audit-log?action=auth.login&targetId=${agent.id}`))
      .json()
      .items.map(
        (e: { outcome: string; detail: { method?: string; step?: string } }) => `${e.outcome}:${e.detail.method ?? e.detail.step}`,
      );
    expect(methodsUsed).toEqual(expect.arrayContaining(["ok:password+totp", "ok:password+recovery_code", "failed:two_factor"]));
  });

  it("a forged or expired challenge is refused, and guessing codes is throttled", async () => {
    const agent = await t.factory.staff();
    const client = await t.signIn(agent.email, PASSWORD);
    const { secret } = await enrol(client);
    const challenge = (await password(agent.email)).json().twoFactor.challenge as string;
    const [id, until, tag] = challenge.split(".");
    const forged = [`${id}.${Number(until) + 3_600_000}.${tag}`, `${Number(id) + 1}.${until}.${tag}`, `${id}.${Date.now() - 1000}.${tag}`];
    for (const c of forged)
      expect((await t.anonymous.post("/api/v1/auth/login/two-factor", { challenge: c, code: codeFor(secret) })).statusCode).toBe(401);
    for (let i = 0; i < 5; i++) await t.anonymous.post("/api/v1/auth/login/two-factor", { challenge, code: codeFor(secret, 20 + i) });
    const throttled = await t.anonymous.post("/api/v1/auth/login/two-factor", { challenge, code: codeFor(secret) });
    expect(throttled.statusCode).toBe(429);
    expect(Number(throttled.headers["retry-after"])).toBeGreaterThan(0);
    expect((await t.anonymous.post("/api/v1/auth/login/two-factor", { challenge, code: "12345" })).statusCode).toBe(400);
  });

  it("when a role requires it, a password-only session may do nothing but enrol", async () => {
    const lead = await t.factory.staff({ role: "supervisor" });
    const lead2 = await t.factory.staff({ role: "supervisor" });
    const agent = await t.signIn((await t.factory.staff()).email, PASSWORD);
    expect((await agent.request("PUT", "/api/v1/security/settings", { twoFactorRoles: ["supervisor"] })).statusCode).toBe(403);
    const set = await admin.request("PUT", "/api/v1/security/settings", { twoFactorRoles: ["supervisor"] });
    expect(set.json()).toEqual({ twoFactorRoles: ["supervisor"] });
    try {
      const session = await password(lead.email);
      expect(session.json().twoFactorEnrolmentRequired).toBe(true);
      const client = await t.signIn(lead.email, PASSWORD);
      expect((await client.get("/api/v1/me")).json().twoFactorEnrolmentRequired).toBe(true);
      const blocked = await client.get("/api/v1/tickets");
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().error.code).toBe("two_factor_required");
      expect((await client.get("/api/v1/me/two-factor")).json().required).toBe(true);
      await enrol(client);
      expect((await client.get("/api/v1/tickets")).statusCode).toBe(200);
      expect((await client.get("/api/v1/me")).json().twoFactorEnrolmentRequired).toBeUndefined();
      // The role requires it: it cannot be turned off.
      expect((await client.request("DELETE", "/api/v1/me/two-factor", { code: "123456" })).statusCode).toBe(409);
      // Agents are not concerned.
      expect((await agent.get("/api/v1/tickets")).statusCode).toBe(200);
      expect((await password(lead2.email)).json().twoFactorEnrolmentRequired).toBe(true);
      const changed = (await admin.get("/api/v1/audit-log?action=security.settings.update")).json().items[0];
      expect(changed.after).toEqual({ twoFactorRoles: ["supervisor"] });
    } finally {
      await admin.request("PUT", "/api/v1/security/settings", { twoFactorRoles: [] });
    }
  });

  it("a lost phone: the person uses a recovery code, or an administrator resets it (audited, sessions ended)", async () => {
    const agent = await t.factory.staff({ name: "丢手机的客服" });
    const client = await t.signIn(agent.email, PASSWORD);
    await enrol(client);
    const lead = await t.signIn((await t.factory.staff({ role: "supervisor" })).email, PASSWORD);
    expect((await lead.delete(`/api/v1/staff/${agent.id}/two-factor`)).statusCode).toBe(403);
    expect((await admin.delete(`/api/v1/staff/${agent.id}/two-factor`)).statusCode).toBe(204);
    expect((await client.get("/api/v1/me")).statusCode).toBe(401);
    const back = await password(agent.email);
    expect(back.json().user.id).toBe(agent.id);
    const [reset] = (await admin.get(`/api/v1/audit-log?action=staff.two-factor.reset&targetId=${agent.id}`)).json().items;
    expect(reset.before).toMatchObject({ totp_secret_sealed: "[redacted]" });
    expect(reset.after).toMatchObject({ totp_secret_sealed: null });
  });

  it("turning it off needs a current code; new recovery codes replace the old", async () => {
    const agent = await t.factory.staff();
    const client = await t.signIn(agent.email, PASSWORD);
    const { secret, recoveryCodes } = await enrol(client);
    const fresh = await client.post("/api/v1/me/two-factor/recovery-codes", { code: codeFor(secret) });
    expect(fresh.statusCode).toBe(200);
    const challenge = (await password(agent.email)).json().twoFactor.challenge;
    expect((await t.anonymous.post("/api/v1/auth/login/two-factor", { challenge, recoveryCode: recoveryCodes[1] })).statusCode).toBe(400);
    expect(
      (await t.anonymous.post("/api/v1/auth/login/two-factor", { challenge, recoveryCode: fresh.json().recoveryCodes[1] })).statusCode,
    ).toBe(200);
    expect(
      (await client.request("DELETE", "/api/v1/me/two-factor", { code: "000001" === codeFor(secret) ? "000002" : "000001" })).statusCode,
    ).toBe(400);
    expect((await client.request("DELETE", "/api/v1/me/two-factor", { code: codeFor(secret) })).statusCode).toBe(204);
    expect((await password(agent.email)).json().user.id).toBe(agent.id);
  });

  it("passkeys: options name this installation as the relying party; forged or foreign answers are refused", async () => {
    const agent = await t.factory.staff({ role: "agent" });
    const client = await t.signIn(agent.email, PASSWORD);
    const started = (await client.post("/api/v1/me/passkeys/options")).json();
    expect(started.options).toMatchObject({ rp: { id: "localhost", name: "Loopdesk" }, user: { name: agent.email } });
    const forged = {
      id: "AAAA",
      rawId: "AAAA",
      type: "public-key",
      response: { clientDataJSON: "AAAA", attestationObject: "AAAA" },
      clientExtensionResults: {},
    };
    const bad = await client.post("/api/v1/me/passkeys", { state: started.state, response: forged, name: "假的" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe("invalid_code");
    // Another person's state does not fit.
    const other = await t.signIn((await t.factory.staff()).email, PASSWORD);
    expect((await other.post("/api/v1/me/passkeys", { state: started.state, response: forged, name: "x" })).statusCode).toBe(400);
    expect((await client.get("/api/v1/me/passkeys")).json().items).toEqual([]);
    expect((await client.get("/api/v1/me/two-factor")).json()).toMatchObject({ passkeys: 0 });
    // Without a passkey there are no sign-in options; a forged challenge is refused.
    expect((await t.anonymous.post("/api/v1/auth/login/passkey-options", { challenge: "1.9999999999999.forged" })).statusCode).toBe(401);
    expect((await client.request("DELETE", "/api/v1/me/passkeys/999999")).statusCode).toBe(404);
  });
});
