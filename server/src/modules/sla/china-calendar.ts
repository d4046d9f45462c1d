import { createRequire } from "node:module";

type DayTable = { holidays: Record<string, string>; workdays: Record<string, string> };
const require = createRequire(import.meta.url);

let cached: { holidays: Set<string>; workdays: Set<string> } | undefined;

/**
 * Mainland China's official schedule from the `chinese-days` package: public holidays and the
 * make-up working days (调休) the State Council announces each year.
 */
export function chinaOfficialDays() {
  if (!cached) {
    const table = require("chinese-days/dist/chinese-days.json") as DayTable;
    cached = { holidays: new Set(Object.keys(table.holidays)), workdays: new Set(Object.keys(table.workdays)) };
  }
  return cached;
}
