import type { Executor } from "../../platform/jobs/job-queue";
import { dateKey, localParts, zonedInstant } from "../sla/business-calendar";
import { enteredOfficialDays } from "../sla/calendar-service";
import { chinaOfficialDays } from "../sla/china-calendar";

/** PIPL art. 50 and its implementing rules: a request is answered within 15 working days. */
export const PRIVACY_WORKING_DAYS = 15;

type Days = { holidays: Set<string>; workdays: Set<string> };
const DAY_MS = 86_400_000;

/** Mainland China's working days: Monday to Friday, less public holidays, plus the make-up days (调休). */
export async function officialWorkingDays(db: Executor): Promise<Days> {
  return chinaOfficialDays(await enteredOfficialDays(db));
}

const isWorking = (days: Days, key: string, weekday: number) =>
  days.workdays.has(key) || (!days.holidays.has(key) && weekday !== 0 && weekday !== 6);

/** The local dates after `from`'s date, one by one (noon avoids DST edges). */
function* datesAfter(from: Date, timeZone: string) {
  const start = localParts(from.getTime(), timeZone);
  let noon = zonedInstant(start.year, start.month, start.day, 12 * 60, timeZone);
  for (;;) {
    noon += DAY_MS;
    const p = localParts(noon, timeZone);
    yield { ...p, key: dateKey(p.year, p.month, p.day) };
  }
}

/** The end (23:59:59 local) of the n-th working day after the day a request arrived. */
export function addWorkingDays(days: Days, from: Date, n: number, timeZone: string): Date {
  let left = n;
  for (const d of datesAfter(from, timeZone)) {
    if (isWorking(days, d.key, d.weekday)) left--;
    if (left === 0) return new Date(zonedInstant(d.year, d.month, d.day, 24 * 60, timeZone) - 1000);
  }
  throw new Error("unreachable");
}

/** Working days from today until the due date (0: due today; negative: overdue by that many). */
export function workingDaysLeft(days: Days, now: Date, due: Date, timeZone: string): number {
  const today = localParts(now.getTime(), timeZone);
  const last = localParts(due.getTime(), timeZone);
  const todayKey = dateKey(today.year, today.month, today.day);
  const dueKey = dateKey(last.year, last.month, last.day);
  if (todayKey === dueKey) return 0;
  const [early, late, sign] = todayKey < dueKey ? [now, dueKey, 1] : [due, todayKey, -1];
  let count = 0;
  for (const d of datesAfter(early, timeZone)) {
    if (isWorking(days, d.key, d.weekday)) count++;
    if (d.key >= late) break;
  }
  return sign * count;
}
