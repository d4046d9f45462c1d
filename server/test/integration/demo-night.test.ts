import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sweepRouting } from "../../src/modules/routing/routing-jobs";
import { seedDemo } from "../../src/modules/setup/seed-demo";
import { newDemoRequest } from "../support/demo-request";
import { type TestApp, createTestApp } from "../support/test-app";

/**
 * The demo tried at night: seeded and used at 00:40 Beijing time on a Monday (the hour a CI run
 * found the night desk full), a new request still reaches the agent on the night shift at once.
 * The clock is set for the whole test (Date only), so routing reads the night's shifts.
 */
let t: TestApp;

// 00:40 Beijing time (16:40 UTC on Sunday) of the latest Monday before now.
function mondayNight() {
  const at = new Date(Date.now() - 7 * 86_400_000);
  at.setUTCHours(16, 40, 0, 0);
  while (at.getUTCDay() !== 0) at.setUTCDate(at.getUTCDate() + 1);
  return at;
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"], now: mondayNight(), shouldAdvanceTime: true });
  t = await createTestApp();
  await seedDemo(t.ctx, { tickets: 400, customers: 60 });
  await t.ctx.jobs.drain();
  await sweepRouting(t.ctx, t.ctx.db);
  await t.ctx.jobs.drain();
});
afterAll(async () => {
  vi.useRealTimers();
  await t.close();
});

describe("the demo at night", () => {
  it("assigns a new request at once to the night agent, who has room for it", async () => {
    const { statusCode, ticket } = await newDemoRequest(t, { email: "night-owl@example.cn", name: "夏先生" });
    expect(statusCode).toBe(201);
    expect(ticket.routingStatus).toBe("assigned");
    const night = await t.ctx.db.selectFrom("staff").select("id").where("name", "=", "郑凯").executeTakeFirstOrThrow();
    expect(ticket.assigneeId).toBe(night.id);
  });
});
