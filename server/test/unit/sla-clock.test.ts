import { describe, expect, it } from "vitest";
import type { Calendar } from "../../src/modules/sla/business-calendar";
import { type ClockFacts, type ClockPolicy, computeClocks } from "../../src/modules/sla/sla-clock";

const t = (hhmm: string, day = "2026-11-23") => new Date(`${day}T${hhmm}:00+08:00`);
const policy = (p: Partial<ClockPolicy>): ClockPolicy => ({
  firstResponseMinutes: null,
  nextResponseMinutes: null,
  resolutionMinutes: null,
  calendar: null,
  pauseOnPending: true,
  pauseOnHold: true,
  ...p,
});
const facts = (f: Partial<ClockFacts>): ClockFacts => ({
  createdAt: t("10:00"),
  statuses: [{ at: t("10:00"), status: "new" }],
  publicMessages: [],
  firstResponseAt: null,
  ...f,
});
const clock = (clocks: ReturnType<typeof computeClocks>, target: string) => clocks.find((c) => c.target === target);

describe("SLA clocks (calendar time)", () => {
  it("first response: due from creation, hit or missed by the first public reply", () => {
    const p = policy({ firstResponseMinutes: 60 });
    expect(clock(computeClocks(facts({}), p, t("10:30")), "first_response")).toMatchObject({ status: "active", dueAt: t("11:00") });
    expect(clock(computeClocks(facts({ firstResponseAt: t("10:59") }), p, t("12:00")), "first_response")).toMatchObject({ status: "hit" });
    expect(clock(computeClocks(facts({ firstResponseAt: t("11:10") }), p, t("12:00")), "first_response")).toMatchObject({
      status: "missed",
      dueAt: t("11:00"),
    });
  });

  it("waiting on the customer pauses the clock and resumes it where it stopped", () => {
    const pending = [
      { at: t("10:00"), status: "new" },
      { at: t("10:20"), status: "pending" },
      { at: t("10:50"), status: "open" },
    ];
    const p = policy({ resolutionMinutes: 60 });
    expect(clock(computeClocks(facts({ statuses: pending.slice(0, 2) }), p, t("10:40")), "resolution")).toMatchObject({
      status: "paused",
      dueAt: null,
    });
    // 20 min before the pause + 10 after it: 30 used, due 30 min after 11:00.
    expect(clock(computeClocks(facts({ statuses: pending }), p, t("11:00")), "resolution")).toMatchObject({
      status: "active",
      dueAt: t("11:30"),
    });
    // Resumed this very moment: the clock runs again.
    expect(clock(computeClocks(facts({ statuses: pending }), p, t("10:50")), "resolution")).toMatchObject({
      status: "active",
      dueAt: t("11:30"),
    });
    // Without pausing on pending, the wait counts.
    expect(clock(computeClocks(facts({ statuses: pending }), { ...p, pauseOnPending: false }, t("11:00")), "resolution")).toMatchObject({
      dueAt: t("11:00"),
    });
  });

  it("resolution stops at solve and runs on after a reopen", () => {
    const statuses = [
      { at: t("10:00"), status: "new" },
      { at: t("12:00"), status: "solved" },
      { at: t("13:00"), status: "open" },
    ];
    const p = policy({ resolutionMinutes: 180 });
    expect(clock(computeClocks(facts({ statuses: statuses.slice(0, 2) }), p, t("12:30")), "resolution")).toMatchObject({
      status: "hit",
      completedAt: t("12:00"),
    });
    expect(clock(computeClocks(facts({ statuses }), p, t("13:30")), "resolution")).toMatchObject({ status: "active", dueAt: t("14:00") });
  });

  it("next response: each customer message after a staff reply starts a cycle that the next staff reply ends", () => {
    const p = policy({ nextResponseMinutes: 30 });
    const messages: ClockFacts["publicMessages"] = [
      { at: t("10:30"), by: "staff" },
      { at: t("11:00"), by: "customer" },
      { at: t("11:05"), by: "customer" },
    ];
    const open = computeClocks(facts({ firstResponseAt: t("10:30"), publicMessages: messages }), p, t("11:20"));
    expect(clock(open, "next_response")).toMatchObject({ status: "active", cycleStart: t("11:00"), dueAt: t("11:30") });
    const late = computeClocks(
      facts({ firstResponseAt: t("10:30"), publicMessages: [...messages, { at: t("11:40"), by: "staff" }] }),
      p,
      t("12:00"),
    );
    expect(clock(late, "next_response")).toMatchObject({ status: "missed", completedAt: t("11:40") });
    expect(clock(computeClocks(facts({}), p, t("12:00")), "next_response")).toBeUndefined();
  });
});

describe("SLA clocks on a business calendar", () => {
  const nineToSix = [{ start: 9 * 60, end: 18 * 60 }];
  const cal: Calendar = {
    timeZone: "Asia/Shanghai",
    weekly: [[], nineToSix, nineToSix, nineToSix, nineToSix, nineToSix, []],
    holidays: new Set(),
    workdays: new Set(),
    makeUpHours: nineToSix,
  };
  it("a 4-hour target opened Friday 16:00 is due Monday 11:00", () => {
    const f = facts({ createdAt: t("16:00", "2026-11-20"), statuses: [{ at: t("16:00", "2026-11-20"), status: "new" }] });
    const c = clock(computeClocks(f, policy({ resolutionMinutes: 240, calendar: cal }), t("17:00", "2026-11-21")), "resolution");
    expect(c).toMatchObject({ status: "active", dueAt: t("11:00", "2026-11-23") });
  });
});
