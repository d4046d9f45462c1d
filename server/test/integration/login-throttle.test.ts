import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, createTestApp } from "../support/test-app";

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
