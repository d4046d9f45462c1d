import { createRequire } from "node:module";

type DayTable = { holidays: Record<string, string>; workdays: Record<string, string> };
const require = createRequire(import.meta.url);

let cached: { holidays: Map<string, string>; workdays: Map<string, string>; years: number[] } | undefined;

/**
 * Mainland China's official schedule from the `chinese-days` package: public holidays and the
 * make-up working days (调休) the State Council announces each year, with their names, and the
 * years the package knows.
 */
export function packagedChinaDays() {
  if (!cached) {
    const table = require("chinese-days/dist/chinese-days.json") as DayTable;
    const name = (v: string) => v.split(",")[1] ?? v;
    const holidays = new Map(Object.entries(table.holidays).map(([d, v]) => [d, name(v)]));
    const workdays = new Map(Object.entries(table.workdays).map(([d, v]) => [d, name(v)]));
    const years = [...new Set([...holidays.keys()].map((d) => Number(d.slice(0, 4))))].sort((a, b) => a - b);
    cached = { holidays, workdays, years };
  }
  return cached;
}

export type OfficialDay = { date: string; kind: "holiday" | "workday" };

/**
 * The official days for clock arithmetic: the package's, and for the years it does not know the
 * days an administrator entered (a package update that knows a year takes it over: no duplicates).
 */
export function chinaOfficialDays(entered: OfficialDay[] = []) {
  const pkg = packagedChinaDays();
  const known = new Set(pkg.years);
  const extra = entered.filter((d) => !known.has(Number(d.date.slice(0, 4))));
  return {
    holidays: new Set([...pkg.holidays.keys(), ...extra.filter((d) => d.kind === "holiday").map((d) => d.date)]),
    workdays: new Set([...pkg.workdays.keys(), ...extra.filter((d) => d.kind === "workday").map((d) => d.date)]),
  };
}
