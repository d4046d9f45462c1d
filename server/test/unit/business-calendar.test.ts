import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Calendar,
  type WorkInterval,
  addBusinessMinutes,
  businessMinutesBetween,
  isWorkingTime,
  localParts,
} from "../../src/modules/sla/business-calendar";
import { chinaOfficialDays } from "../../src/modules/sla/china-calendar";

const nineToSix: WorkInterval[] = [
  { start: 9 * 60, end: 12 * 60 },
  { start: 13 * 60, end: 18 * 60 },
];
const china: Calendar = {
  timeZone: "Asia/Shanghai",
  weekly: [[], nineToSix, nineToSix, nineToSix, nineToSix, nineToSix, []],
  ...chinaOfficialDays(),
  makeUpHours: nineToSix,
};
const at = (iso: string) => new Date(iso);

describe("business calendar: mainland China with 调休", () => {
  it("skips the lunch break, the evening and the weekend", () => {
    // Friday 2026-11-20 11:30 (+08:00) plus 2 working hours: 30 min before lunch, 90 after → 14:30.
    expect(addBusinessMinutes(china, at("2026-11-20T11:30:00+08:00"), 120).toISOString()).toBe("2026-11-20T06:30:00.000Z");
    // Friday 17:00 plus 2 hours → 1 hour Friday, 1 hour Monday → Monday 10:00.
    expect(addBusinessMinutes(china, at("2026-11-20T17:00:00+08:00"), 120).toISOString()).toBe("2026-11-23T02:00:00.000Z");
  });

  it("skips the National Day holiday and works the make-up Saturday", () => {
    // Wed 2026-09-30 17:00 + 2 h → 1 h on the 30th; 1–7 October are holidays; Thu 8 Oct 10:00.
    expect(addBusinessMinutes(china, at("2026-09-30T17:00:00+08:00"), 120).toISOString()).toBe("2026-10-08T02:00:00.000Z");
    // Fri 9 Oct 17:00 + 2 h → Saturday 10 Oct is a make-up working day (调休): 10:00 that Saturday.
    expect(addBusinessMinutes(china, at("2026-10-09T17:00:00+08:00"), 120).toISOString()).toBe("2026-10-10T02:00:00.000Z");
    // Sunday 2026-09-20 is a make-up working day too; Saturday 26 Sep (中秋) is not.
    expect(isWorkingTime(china, at("2026-09-20T10:00:00+08:00"))).toBe(true);
    expect(isWorkingTime(china, at("2026-09-26T10:00:00+08:00"))).toBe(false);
    expect(businessMinutesBetween(china, at("2026-09-30T09:00:00+08:00"), at("2026-10-08T18:00:00+08:00"))).toBe(16 * 60);
  });
});

describe("a calendar too thin for its target", () => {
  it("gives a due time ten years out instead of failing the ticket change that asked", () => {
    // One working minute a week; a year of working minutes cannot fit in the ten years searched.
    const thin: Calendar = {
      timeZone: "Asia/Shanghai",
      weekly: [[], [{ start: 540, end: 541 }], [], [], [], [], []],
      holidays: new Set(),
      workdays: new Set(),
      makeUpHours: [],
    };
    const from = at("2026-11-20T10:00:00+08:00");
    const due = addBusinessMinutes(thin, from, 525_600);
    expect(due.getTime() - from.getTime()).toBeGreaterThan(9.9 * 365 * 86_400_000);
  });
});

// Random calendars over zones with and without daylight saving.
const zones = ["Asia/Shanghai", "America/New_York", "Europe/Berlin", "Australia/Sydney", "UTC", "America/Sao_Paulo"];
const dayHours = fc.array(fc.tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 600 })), { maxLength: 3 }).map((pairs) => {
  // Non-overlapping, sorted intervals inside the day.
  const sorted = pairs.map(([s, len]) => ({ start: s, end: Math.min(1440, s + len) })).sort((a, b) => a.start - b.start);
  const out: WorkInterval[] = [];
  for (const i of sorted) if (!out.length || i.start >= (out.at(-1) as WorkInterval).end) out.push(i);
  return out;
});
const dates = fc.integer({ min: 0, max: 400 }).map((n) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10));
const calendars = fc
  .record({
    timeZone: fc.constantFrom(...zones),
    weekly: fc.array(dayHours, { minLength: 7, maxLength: 7 }),
    holidays: fc.uniqueArray(dates, { maxLength: 30 }),
    workdays: fc.uniqueArray(dates, { maxLength: 10 }),
    makeUpHours: dayHours,
  })
  // At least an hour of work a week: the sums below (up to 10,000 minutes) then fit in the ten years
  // the calendar searches ahead (CI found a one-minute week needing 524 weeks for 524 minutes).
  .filter((c) => c.weekly.flat().reduce((sum, i) => sum + i.end - i.start, 0) >= 60)
  .map((c): Calendar => ({ ...c, holidays: new Set(c.holidays), workdays: new Set(c.workdays.filter((d) => !c.holidays.includes(d))) }));
const instants = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 31) }).map((ms) => new Date(ms));
const minutes = fc.integer({ min: 1, max: 5000 });

describe("business calendar properties (random calendars, holidays, make-up days, DST zones)", () => {
  it("adding N working minutes spans exactly N working minutes", () => {
    fc.assert(
      fc.property(calendars, instants, minutes, (cal, start, n) => {
        const due = addBusinessMinutes(cal, start, n);
        expect(businessMinutesBetween(cal, start, due)).toBeCloseTo(n, 6);
      }),
      { numRuns: 200 },
    );
  });

  it("a due time never lands outside working hours", () => {
    fc.assert(
      fc.property(calendars, instants, minutes, (cal, start, n) => {
        expect(isWorkingTime(cal, addBusinessMinutes(cal, start, n))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("adding a then b equals adding a + b", () => {
    fc.assert(
      fc.property(calendars, instants, minutes, minutes, (cal, start, a, b) => {
        expect(addBusinessMinutes(cal, addBusinessMinutes(cal, start, a), b).getTime()).toBe(
          addBusinessMinutes(cal, start, a + b).getTime(),
        );
      }),
      { numRuns: 200 },
    );
  });

  it("durations split at any point add up", () => {
    fc.assert(
      fc.property(calendars, instants, instants, instants, (cal, x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime()) as [Date, Date, Date];
        expect(businessMinutesBetween(cal, a, b) + businessMinutesBetween(cal, b, c)).toBeCloseTo(businessMinutesBetween(cal, a, c), 6);
      }),
      { numRuns: 100 },
    );
  });

  it("local time is read in the zone, also across DST changes", () => {
    // 2026-03-08 07:30 UTC is 03:30 EDT, just after New York's clocks jumped from 02:00 to 03:00.
    expect(localParts(Date.UTC(2026, 2, 8, 7, 30), "America/New_York")).toMatchObject({ day: 8, minutes: 3 * 60 + 30 });
    expect(localParts(Date.UTC(2026, 2, 8, 6, 30), "America/New_York")).toMatchObject({ day: 8, minutes: 60 + 30 });
  });
});

describe("localParts (offsets cached per quarter hour)", () => {
  // What Intl says for the instant itself, without any cache.
  const intl = (instant: number, timeZone: string) => {
    const p: Record<string, string> = {};
    const f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      weekday: "short",
    });
    for (const part of f.formatToParts(new Date(instant))) p[part.type] = part.value;
    return {
      year: Number(p.year),
      month: Number(p.month),
      day: Number(p.day),
      minutes: Number(p.hour) * 60 + Number(p.minute),
      seconds: Number(p.second),
      weekday: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(p.weekday),
    };
  };
  const zones = ["Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu", "America/St_Johns", "UTC"];

  it("agrees with Intl at every minute around daylight-saving transitions and at random instants", () => {
    const transitions = [
      Date.UTC(2026, 2, 8, 6, 0), // New York springs forward
      Date.UTC(2026, 10, 1, 5, 0), // and falls back
      Date.UTC(2026, 2, 29, 1, 0), // London
      Date.UTC(2026, 3, 4, 15, 0), // Lord Howe (30 minutes)
      Date.UTC(2026, 2, 8, 5, 30), // St John's (-3:30)
    ];
    for (const zone of zones) {
      for (const at of transitions)
        for (let m = -90; m <= 90; m++) {
          const instant = at + m * 60_000 + 17_345;
          expect(localParts(instant, zone), `${zone} ${new Date(instant).toISOString()}`).toEqual(intl(instant, zone));
        }
      let seed = 7;
      for (let i = 0; i < 500; i++) {
        seed = (seed * 48271) % 2147483647;
        const instant = Date.UTC(1990, 0, 1) + (seed / 2147483647) * 50 * 365 * 86_400_000;
        expect(localParts(instant, zone)).toEqual(intl(instant, zone));
      }
    }
  });
});
