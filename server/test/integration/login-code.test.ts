import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, type TestApp, createTestApp } from "../support/test-app";
import { mailText, startSmtpSink } from "../support/smtp-sink";

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
beforeAll(async () => {
  smtp = await startSmtpSink();
  t = await createTestApp({
    SMTP_URL: smtp.url,
    MAIL_FROM: "客服中心 <help@loopdesk.test>",
    LOOPDESK_PUBLIC_URL: "https://help.example.cn",
  });
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

/** Sends the queued mail through the real SMTP server and returns the newest one to `to`. */
async function mailTo(to: string) {
  await t.ctx.jobs.drain();
  const mail = smtp.received.filter((m) => m.to.includes(to)).at(-1);
  if (!mail) throw new Error(`no mail to ${to}`);
  const text = mailText(mail.raw);
  return { mail, text, code: /(\d{6})/.exec(text)?.[1] ?? "", token: /token=([\w-]+)/.exec(text)?.[1] ?? "" };
}

describe("one-time sign-in by email", () => {
  it("mails a code that signs the customer in once; a wrong code does not", async () => {
    const customer = await t.factory.customer({ withPassword: false });
    expect((await t.anonymous.get("/api/v1/auth/options")).json()).toMatchObject({ loginCode: true, mail: true });
    const asked = await t.anonymous.post("/api/v1/auth/login-code", { email: customer.email });
    expect(asked.statusCode).toBe(202);
    const { mail, text, code } = await mailTo(customer.email);
    expect(mail.from).toBe("help@loopdesk.test");
    expect(text).toContain("https://help.example.cn/portal/code?token=");
    expect(code).toMatch(/^\d{6}$/);

    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    expect((await t.anonymous.post("/api/v1/auth/login-code/verify", { email: customer.email, code: wrong })).statusCode).toBe(401);
    const ok = await t.anonymous.post("/api/v1/auth/login-code/verify", { email: customer.email, code });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user).toMatchObject({ kind: "customer", id: customer.id });
    expect(ok.headers["set-cookie"]).toContain("loopdesk_session=");
    expect((await t.anonymous.post("/api/v1/auth/login-code/verify", { email: customer.email, code })).statusCode).toBe(401);

    // The secret does not stay in the job table once the mail is out.
    const jobs = await t.ctx.db.selectFrom("jobs").select("payload").where("queue", "=", "mail.send").execute();
    expect(JSON.stringify(jobs)).not.toContain(code);
  });

  it("the link signs in once; a new request makes the older code useless", async () => {
    const customer = await t.factory.customer({ withPassword: false });
    await t.anonymous.post("/api/v1/auth/login-code", { email: customer.email });
    const first = await mailTo(customer.email);
    await t.anonymous.post("/api/v1/auth/login-code", { email: customer.email });
    const second = await mailTo(customer.email);
    expect((await t.anonymous.post("/api/v1/auth/login-code/verify", { token: first.token })).statusCode).toBe(401);
    expect((await t.anonymous.post("/api/v1/auth/login-code/verify", { email: customer.email, code: first.code })).statusCode).toBe(
      first.code === second.code ? 200 : 401,
    );
    const byLink = await t.anonymous.post("/api/v1/auth/login-code/verify", { token: second.token });
    expect(byLink.statusCode).toBe(first.code === second.code ? 401 : 200);
  });

  it("answers the same for unknown addresses and sends nothing; throttles repeated requests", async () => {
    const before = smtp.received.length;
    const unknown = await t.anonymous.post("/api/v1/auth/login-code", { email: "nobody@example.cn" });
    expect(unknown.statusCode).toBe(202);
    expect(unknown.json()).toEqual({ sent: true });
    await t.ctx.jobs.drain();
    expect(smtp.received.length).toBe(before);
    const customer = await t.factory.customer();
    for (let i = 0; i < 5; i++) expect((await t.anonymous.post("/api/v1/auth/login-code", { email: customer.email })).statusCode).toBe(202);
    expect((await t.anonymous.post("/api/v1/auth/login-code", { email: customer.email })).statusCode).toBe(429);
  });

  it("five wrong guesses end a code, even for the right one afterwards", async () => {
    const customer = await t.factory.customer({ withPassword: false });
    await t.anonymous.post("/api/v1/auth/login-code", { email: customer.email });
    const { code } = await mailTo(customer.email);
    for (let i = 1; i <= 5; i++) {
      const guess = String((Number(code) + i) % 1_000_000).padStart(6, "0");
      expect((await t.anonymous.post("/api/v1/auth/login-code/verify", { email: customer.email, code: guess })).statusCode).toBe(401);
    }
    expect((await t.anonymous.post("/api/v1/auth/login-code/verify", { email: customer.email, code })).statusCode).toBe(401);
  });

  it("a customer signed in by code sets a first password, then needs it to change it", async () => {
    const customer = await t.factory.customer({ withPassword: false });
    await t.anonymous.post("/api/v1/auth/login-code", { email: customer.email });
    const { token } = await mailTo(customer.email);
    const res = await t.anonymous.post("/api/v1/auth/login-code/verify", { token });
    const cookie = String(res.headers["set-cookie"]).split(";")[0] as string;
    const csrf = res.json().csrfToken as string;
    const put = (body: unknown) =>
      t.app.inject({ method: "PUT", url: "/api/v1/me/password", headers: { cookie, "x-csrf-token": csrf }, payload: body as object });
    expect((await put({ newPassword: "my-first-password" })).statusCode).toBe(204);
    const signIn = await t.anonymous.post("/api/v1/auth/login", { email: customer.email, password: "my-first-password", as: "customer" });
    expect(signIn.statusCode).toBe(200);
    const noCurrent = await put({ newPassword: "another-password" });
    expect(noCurrent.statusCode).toBe(400);
    expect(noCurrent.json().error.details[0]).toMatchObject({ path: "currentPassword", code: "wrong_password" });
    expect((await put({ currentPassword: "my-first-password", newPassword: "another-password" })).statusCode).toBe(204);
  });

  it("an admin invites a colleague by email; the link sets the password once and signs them in", async () => {
    const admin = await t.signIn((await t.factory.staff({ role: "admin" })).email, PASSWORD);
    const agent = await t.signIn((await t.factory.staff()).email, PASSWORD);
    const body = { email: "new.agent@loopdesk.test", name: "新同事", role: "agent", invite: true };
    expect((await agent.post("/api/v1/staff", body)).statusCode).toBe(403);
    expect((await admin.post("/api/v1/staff", { ...body, invite: false })).statusCode).toBe(400);
    const created = await admin.post("/api/v1/staff", body);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ hasPassword: false });
    const first = await mailTo("new.agent@loopdesk.test");
    expect(first.text).toContain("https://help.example.cn/invite?token=");
    // No password yet: nobody can sign in as the invitee.
    expect((await t.anonymous.post("/api/v1/auth/login", { email: body.email, password: "" })).statusCode).toBe(400);
    // A re-sent invitation replaces the first link.
    expect((await admin.post(`/api/v1/staff/${created.json().id}/invitation`)).statusCode).toBe(202);
    const second = await mailTo("new.agent@loopdesk.test");
    expect(
      (await t.anonymous.post("/api/v1/auth/invitation/accept", { token: first.token, password: "welcome-aboard-1" })).statusCode,
    ).toBe(401);
    const accepted = await t.anonymous.post("/api/v1/auth/invitation/accept", { token: second.token, password: "welcome-aboard-1" });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().user).toMatchObject({ kind: "staff", email: body.email });
    expect(
      (await t.anonymous.post("/api/v1/auth/invitation/accept", { token: second.token, password: "other-password-2" })).statusCode,
    ).toBe(401);
    expect((await t.anonymous.post("/api/v1/auth/login", { email: body.email, password: "welcome-aboard-1" })).statusCode).toBe(200);
    expect((await admin.get(`/api/v1/staff/${created.json().id}`)).json().hasPassword).toBe(true);
  });

  it("without outgoing mail the option is off and a request says so", async () => {
    const plain = await createTestApp();
    try {
      expect((await plain.anonymous.get("/api/v1/auth/options")).json()).toEqual({
        loginCode: false,
        mail: false,
        sso: { oidc: null, ldap: false, staffPasswords: "all" },
      });
      const res = await plain.anonymous.post("/api/v1/auth/login-code", { email: "a@example.cn" });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe("mail_unavailable");
      const admin = await plain.signIn((await plain.factory.staff({ role: "admin" })).email, PASSWORD);
      const invite = await admin.post("/api/v1/staff", { email: "x@loopdesk.test", name: "x", invite: true });
      expect(invite.json().error.code).toBe("mail_unavailable");
      expect((await admin.get("/api/v1/staff")).json().items.map((s: { email: string }) => s.email)).not.toContain("x@loopdesk.test");
    } finally {
      await plain.close();
    }
  });
});
