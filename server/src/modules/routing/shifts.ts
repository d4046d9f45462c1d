import { localParts } from "../sla/business-calendar";
import type { Shift, ShiftException } from "@loopdesk/contracts/routing";

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The local date (YYYY-MM-DD), ISO weekday (1 = Monday) and minute of the day of `at` in `timeZone`. */
export function localClock(at: Date, timeZone: string) {
  const p = localParts(at.getTime(), timeZone);
  const date = `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
  return { date, weekday: p.weekday === 0 ? 7 : p.weekday, minute: p.minutes };
}

const previousDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * Whether an agent works at `at`. No weekly shifts at all means always on shift (small teams need
 * not plan). A dated exception replaces that day's weekly shifts: a day off, or other hours. A
 * shift whose end is not after its start runs past midnight into the next day.
 */
export function isOnShift(shifts: Shift[], exceptions: ShiftException[], at: Date, timeZone: string): boolean {
  if (shifts.length === 0 && exceptions.length === 0) return true;
  const { date, weekday, minute } = localClock(at, timeZone);
  const today = exceptions.find((e) => e.date === date);
  if (today) {
    if (today.off) return false;
    if (today.start && today.end) return within(minutesOf(today.start), minutesOf(today.end), minute, false);
  }
  const yesterdayOff = exceptions.some((e) => e.date === previousDate(date) && e.off);
  if (shifts.length === 0) return true;
  const yesterday = weekday === 1 ? 7 : weekday - 1;
  return shifts.some(
    (s) =>
      (s.weekday === weekday && within(minutesOf(s.start), minutesOf(s.end), minute, false)) ||
      (!yesterdayOff && s.weekday === yesterday && within(minutesOf(s.start), minutesOf(s.end), minute, true)),
  );
}

/** Whether `minute` falls in [start, end) on the shift's own day, or (spill) in the part after midnight. */
function within(start: number, end: number, minute: number, spill: boolean) {
  if (end > start) return !spill && minute >= start && minute < end;
  return spill ? minute < end : minute >= start;
}
