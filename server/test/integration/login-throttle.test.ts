import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, type TestApp, createTestApp } from "../support/test-app";

// Its own database: this test spends the whole per-address budget of failed sign-ins.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("sign-in throttling per address", () => {
  it("a forged X-Forwarded-For does not escape the per-address sign-in limit", async () => {
    for (let i = 0; i < 30; i++) {
      const email = `nobody-${i}@spoof.test`;
      const res = await t.anonymous.post("/api/v1/auth/login", { email, password: "wrong-password" }, { "x-forwarded-for": `10.0.${i}.1` });
      expect(res.statusCode).toBe(401);
    }
    const blocked = await t.anonymous.post(
      "/api/v1/auth/login",
      { email: "another@spoof.test", password: "x" },
      { "x-forwarded-for": "10.9.9.9" },
    );
    expect(blocked.statusCode).toBe(429);
  });
});

describe("sign-in throttling per account", () => {
  const signIn = (email: string, password: string, remoteAddress: string, cookie?: string) =>
    t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email, password },
      remoteAddress,
      headers: cookie ? { cookie } : {},
    });

  it("a guesser cannot lock the real person out: they wait, longer each time, where they guess", async () => {
    const owner = await t.factory.staff({ role: "admin", email: "boss@lockout.test" });
    for (let i = 0; i < 5; i++) expect((await signIn(owner.email, "guess", "203.0.113.7")).statusCode).toBe(401);
    const blocked = await signIn(owner.email, PASSWORD, "203.0.113.7");
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers["retry-after"])).toBeLessThanOrEqual(30);
    // The administrator, from their own address, signs in at once.
    expect((await signIn(owner.email, PASSWORD, "198.51.100.20")).statusCode).toBe(200);
    // Each further wrong guess doubles the wait: 30 s, 60 s, 120 s…
    await t.ctx.db
      .updateTable("login_failures")
      .set({ failed_at: new Date(Date.now() - 40_000) })
      .where("key", "like", "%@203.0.113.7")
      .execute();
    expect((await signIn(owner.email, "guess", "203.0.113.7")).statusCode).toBe(401);
    const longer = await signIn(owner.email, "guess", "203.0.113.7");
    expect(longer.statusCode).toBe(429);
    expect(Number(longer.headers["retry-after"])).toBeGreaterThan(30);
    expect(Number(longer.headers["retry-after"])).toBeLessThanOrEqual(60);
  });

  it("a guess spread over many addresses closes the account to new browsers, not to the person's own", async () => {
    const agent = await t.factory.staff({ email: "lin@lockout.test" });
    const first = await signIn(agent.email, PASSWORD, "192.0.2.1");
    expect(first.statusCode).toBe(200);
    const device = first.cookies.find((c) => c.name === "loopdesk_device");
    expect(device?.httpOnly).toBe(true);
    expect(device?.value).not.toContain("lin@");
    for (let i = 0; i < 50; i++) await signIn(agent.email, "guess", `100.64.${i}.9`);
    expect((await signIn(agent.email, PASSWORD, "192.0.2.50")).statusCode).toBe(429);
    expect((await signIn(agent.email, PASSWORD, "192.0.2.50", `loopdesk_device=${device?.value}`)).statusCode).toBe(200);
    // A forged or another account's device cookie does not count.
    expect((await signIn(agent.email, PASSWORD, "192.0.2.51", `loopdesk_device=${device?.value.split(".")[0]}.forged`)).statusCode).toBe(
      429,
    );
  });
});
