import { describe, expect, it } from "vitest";
import { histogramQuantile } from "../../src/modules/analytics/measures";
import { nextRunAt, reportPeriod } from "../../src/modules/analytics/report-periods";

const TZ = "Asia/Shanghai";
const at = (iso: string) => new Date(iso);

describe("scheduled report times", () => {
  it("weekly reports go out Monday 08:00 local time and cover the Monday–Sunday before", () => {
    expect(nextRunAt("weekly", at("2026-11-18T15:00:00+08:00"), TZ).toISOString()).toBe("2026-11-23T00:00:00.000Z");
    // Monday before eight: today; Monday at eight: next week.
    expect(nextRunAt("weekly", at("2026-11-23T07:59:00+08:00"), TZ).toISOString()).toBe("2026-11-23T00:00:00.000Z");
    expect(nextRunAt("weekly", at("2026-11-23T08:00:00+08:00"), TZ).toISOString()).toBe("2026-11-30T00:00:00.000Z");
    expect(reportPeriod("weekly", at("2026-11-23T08:00:00+08:00"), TZ)).toEqual({ from: "2026-11-16", to: "2026-11-22" });
    // Days are local: late Sunday evening in Shanghai still reports the week before last.
    expect(reportPeriod("weekly", at("2026-11-22T23:30:00+08:00"), TZ)).toEqual({ from: "2026-11-09", to: "2026-11-15" });
  });

  it("monthly reports go out on the 1st 08:00 and cover the calendar month before, across year ends", () => {
    expect(nextRunAt("monthly", at("2026-11-18T15:00:00+08:00"), TZ).toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(nextRunAt("monthly", at("2026-12-05T09:00:00+08:00"), TZ).toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(reportPeriod("monthly", at("2027-01-01T08:00:00+08:00"), TZ)).toEqual({ from: "2026-12-01", to: "2026-12-31" });
    expect(reportPeriod("monthly", at("2026-03-01T08:00:00+08:00"), TZ)).toEqual({ from: "2026-02-01", to: "2026-02-28" });
  });

  it("estimates percentiles from histogram buckets, inside the right bucket", () => {
    // 10 values in [0, 60) s and 10 in [120, 300) s: the median at the top of the first bucket, p90 8/10 into the third.
    const counts = [10, 0, 10];
    expect(histogramQuantile(counts, 0.5)).toBe(60);
    expect(histogramQuantile(counts, 0.9)).toBe(264);
    expect(histogramQuantile([], 0.5)).toBeNull();
  });
});
