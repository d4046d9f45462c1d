import { describe, expect, it } from "vitest";
import { addWorkingDays, workingDaysLeft } from "../../src/modules/privacy/working-days";

// National Day week as the State Council sets it: 1–7 October off, Saturday 10 October worked (调休).
const days = {
  holidays: new Set(["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"]),
  workdays: new Set(["2026-10-10"]),
};
const TZ = "Asia/Shanghai";

describe("PIPL deadlines in working days", () => {
  it("counts 15 working days after the day a request arrived, skipping weekends and holidays, counting make-up days", () => {
    // Arrived Monday 30 November: 1–4, 7–11, 14–18 December are 14 working days; the 15th is Monday 21 December.
    expect(addWorkingDays(days, new Date("2026-11-30T10:00:00+08:00"), 15, TZ).toISOString()).toBe(
      new Date("2026-12-21T23:59:59+08:00").toISOString(),
    );
    // Arrived the evening before National Day: 8, 9, 10 (Saturday, worked), 12–16, 19–23, 26, 27 October.
    expect(addWorkingDays(days, new Date("2026-09-30T22:30:00+08:00"), 15, TZ).toISOString()).toBe(
      new Date("2026-10-27T23:59:59+08:00").toISOString(),
    );
    // Late at night UTC is already the next day in Shanghai.
    expect(addWorkingDays(days, new Date("2026-11-29T17:00:00Z"), 1, TZ).toISOString()).toBe(
      new Date("2026-12-01T23:59:59+08:00").toISOString(),
    );
  });

  it("says how many working days are left, 0 on the day, negative when late", () => {
    const due = new Date("2026-10-27T23:59:59+08:00");
    expect(workingDaysLeft(days, new Date("2026-09-30T12:00:00+08:00"), due, TZ)).toBe(15);
    expect(workingDaysLeft(days, new Date("2026-10-27T09:00:00+08:00"), due, TZ)).toBe(0);
    expect(workingDaysLeft(days, new Date("2026-10-26T09:00:00+08:00"), due, TZ)).toBe(1);
    expect(workingDaysLeft(days, new Date("2026-10-30T09:00:00+08:00"), due, TZ)).toBe(-3);
    expect(workingDaysLeft(days, new Date("2026-10-31T09:00:00+08:00"), due, TZ)).toBe(-3);
  });
});
