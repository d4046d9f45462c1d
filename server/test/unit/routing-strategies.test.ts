import { describe, expect, it } from "vitest";
import { DEFAULT_PRIORITY_CONFIG, scoreOf, scoreParts, slaPoints } from "../../src/modules/routing/priority-score";
import { isOnShift } from "../../src/modules/routing/shifts";
import { type Candidate, rankCandidates } from "../../src/modules/routing/strategies";

const c = (staffId: number, o: Partial<Candidate> = {}): Candidate => ({
  staffId,
  load: 0,
  capacity: 10,
  workload: 0,
  skill: 0,
  lastAssignedAt: null,
  ...o,
});
const order = (s: Parameters<typeof rankCandidates>[0], cs: Candidate[]) => rankCandidates(s, cs).map((x) => x.staffId);

describe("strategies", () => {
  it("round-robin: whoever waited longest since their last assignment (never assigned first)", () => {
    expect(order("round_robin", [c(1, { lastAssignedAt: new Date(2000) }), c(2, { lastAssignedAt: new Date(1000) }), c(3)])).toEqual([
      3, 2, 1,
    ]);
  });
  it("least-loaded: fewest open tickets for the capacity, then round-robin", () => {
    expect(order("least_loaded", [c(1, { load: 3 }), c(2, { load: 1 }), c(3, { load: 2, capacity: 40 })])).toEqual([3, 2, 1]);
    expect(order("least_loaded", [c(1, { load: 1, lastAssignedAt: new Date(5) }), c(2, { load: 1, lastAssignedAt: new Date(1) })])).toEqual(
      [2, 1],
    );
  });
  it("load-aware: least predicted work, not the count (two quick tickets weigh less than one long one)", () => {
    expect(order("load_aware", [c(1, { load: 1, workload: 240 }), c(2, { load: 2, workload: 30 })])).toEqual([2, 1]);
    expect(order("least_loaded", [c(1, { load: 1, workload: 240 }), c(2, { load: 2, workload: 30 })])).toEqual([1, 2]);
  });
  it("skill: best skill match wins, ties broken by load", () => {
    expect(order("skill", [c(1, { skill: 3 }), c(2, { skill: 5, load: 4 }), c(3, { skill: 5, load: 1 })])).toEqual([3, 2, 1]);
  });
});

describe("shifts", () => {
  const tz = "Asia/Shanghai";
  // 2026-11-23 is a Monday; 10:00 Shanghai = 02:00Z.
  const mon10 = new Date("2026-11-23T02:00:00Z");
  it("no weekly shifts: always on shift", () => expect(isOnShift([], [], mon10, tz)).toBe(true));
  it("inside and outside a weekly window", () => {
    const week = [{ weekday: 1, start: "09:00", end: "18:00" }];
    expect(isOnShift(week, [], mon10, tz)).toBe(true);
    expect(isOnShift(week, [], new Date("2026-11-23T10:30:00Z"), tz)).toBe(false); // 18:30
    expect(isOnShift(week, [], new Date("2026-11-24T02:00:00Z"), tz)).toBe(false); // Tuesday
  });
  it("a night shift runs past midnight into the next day", () => {
    const night = [{ weekday: 1, start: "22:00", end: "06:00" }];
    expect(isOnShift(night, [], new Date("2026-11-23T15:00:00Z"), tz)).toBe(true); // Mon 23:00
    expect(isOnShift(night, [], new Date("2026-11-23T20:00:00Z"), tz)).toBe(true); // Tue 04:00
    expect(isOnShift(night, [], new Date("2026-11-23T23:00:00Z"), tz)).toBe(false); // Tue 07:00
  });
  it("exceptions: a day off, or other hours that day", () => {
    const week = [{ weekday: 1, start: "09:00", end: "18:00" }];
    expect(isOnShift(week, [{ date: "2026-11-23", off: true }], mon10, tz)).toBe(false);
    expect(isOnShift(week, [{ date: "2026-11-23", off: false, start: "13:00", end: "20:00" }], mon10, tz)).toBe(false);
    expect(isOnShift([], [{ date: "2026-11-23", off: false, start: "08:00", end: "11:00" }], mon10, tz)).toBe(true);
  });
});

describe("priority score", () => {
  const now = new Date("2026-11-23T02:00:00Z");
  it("adds tier, priority, category, urgency words and SLA points", () => {
    const config = { ...DEFAULT_PRIORITY_CONFIG, categories: { "7": 15 } };
    const parts = scoreParts(
      config,
      { tier: "gold", priority: "urgent", categoryId: 7, text: "紧急！再不处理就打12315", slaNextDueAt: null },
      now,
    );
    expect(parts).toEqual({ tier: 20, priority: 40, category: 15, urgency: 50, sla: 0 });
    expect(scoreOf(parts)).toBe(125);
  });
  it("rises as the deadline approaches and is highest once overdue", () => {
    const at = (min: number) => slaPoints(DEFAULT_PRIORITY_CONFIG, new Date(now.getTime() + min * 60_000), now);
    expect([at(600), at(400), at(100), at(20), at(0), at(-30)]).toEqual([0, 10, 25, 40, 60, 60]);
  });
});
