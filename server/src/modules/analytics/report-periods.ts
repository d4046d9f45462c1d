import { dateKey, localParts, zonedInstant } from "../sla/business-calendar";

export type Frequency = "weekly" | "monthly";
const SEND_AT_MINUTES = 8 * 60;

const ymd = (ms: number) => {
  const d = new Date(ms);
  return dateKey(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
};

/** When a schedule next sends after `after`: Monday 08:00 (weekly) or the 1st 08:00 (monthly), local time. */
export function nextRunAt(frequency: Frequency, after: Date, timeZone: string): Date {
  const p = localParts(after.getTime(), timeZone);
  if (frequency === "weekly") {
    const ahead = (1 - p.weekday + 7) % 7;
    let at = zonedInstant(p.year, p.month, p.day + ahead, SEND_AT_MINUTES, timeZone);
    if (at <= after.getTime()) at = zonedInstant(p.year, p.month, p.day + ahead + 7, SEND_AT_MINUTES, timeZone);
    return new Date(at);
  }
  let at = zonedInstant(p.year, p.month, 1, SEND_AT_MINUTES, timeZone);
  if (at <= after.getTime()) at = zonedInstant(p.year, p.month + 1, 1, SEND_AT_MINUTES, timeZone);
  return new Date(at);
}

/** The last whole period before the local day of `at`: the previous Monday–Sunday, or the previous calendar month. */
export function reportPeriod(frequency: Frequency, at: Date, timeZone: string): { from: string; to: string } {
  const p = localParts(at.getTime(), timeZone);
  if (frequency === "weekly") {
    const sinceMonday = (p.weekday + 6) % 7;
    const monday = Date.UTC(p.year, p.month - 1, p.day - sinceMonday);
    return { from: ymd(monday - 7 * 86_400_000), to: ymd(monday - 86_400_000) };
  }
  return { from: ymd(Date.UTC(p.year, p.month - 2, 1)), to: ymd(Date.UTC(p.year, p.month - 1, 0)) };
}
