/**
 * Business-time arithmetic on a working calendar: weekly working hours (several intervals a day)
 * in a time zone, holidays, and make-up working days (调休). Pure functions over instants; local
 * dates and times are resolved in the calendar's zone, so daylight-saving changes are honoured.
 */

/** Minutes after local midnight, end exclusive: { start: 540, end: 720 } is 09:00–12:00. */
export type WorkInterval = { start: number; end: number };

export type Calendar = {
  timeZone: string;
  /** Index 0 = Sunday … 6 = Saturday. */
  weekly: WorkInterval[][];
  /** Local dates (YYYY-MM-DD) with no working time. */
  holidays: ReadonlySet<string>;
  /** Local dates that are working days even on a weekend (调休上班), with `makeUpHours`. */
  workdays: ReadonlySet<string>;
  makeUpHours: WorkInterval[];
};

const MINUTE = 60_000;
/** How far ahead a calendar is searched for working time (ten years). */
const MAX_DAYS = 3660;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset at an instant (whole seconds, in ms), read from the platform's time-zone data. */
function exactOffset(instant: number, timeZone: string) {
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) p[part.type] = part.value;
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * Offsets per zone and quarter hour: asking Intl for every instant made date arithmetic the
 * largest cost of an import and of SLA work. A zone's offset changes only at transitions (on the
 * quarter hour in every zone of the last century); a quarter with a transition inside it — its
 * first and last second disagree — is not cached and is asked exactly each time.
 */
const QUARTER = 15 * 60_000;
const offsets = new Map<string, Map<number, number | null>>();
function zoneOffset(instant: number, timeZone: string) {
  let zone = offsets.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsets.set(timeZone, zone);
  }
  const bucket = Math.floor(instant / QUARTER);
  let offset = zone.get(bucket);
  if (offset === undefined) {
    const first = exactOffset(bucket * QUARTER, timeZone);
    offset = first === exactOffset(bucket * QUARTER + QUARTER - 1000, timeZone) ? first : null;
    if (zone.size >= 100_000) zone.clear();
    zone.set(bucket, offset);
  }
  return offset ?? exactOffset(instant, timeZone);
}

/** The local calendar date, clock time and weekday of an instant in a zone. */
export function localParts(instant: number, timeZone: string) {
  const local = new Date(Math.floor(instant / 1000) * 1000 + zoneOffset(instant, timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    minutes: local.getUTCHours() * 60 + local.getUTCMinutes(),
    seconds: local.getUTCSeconds(),
    weekday: local.getUTCDay(),
  };
}

/** How far the zone's clock is ahead of UTC at an instant, in ms. */
const offsetAt = zoneOffset;

/** The instant of a local date and time in a zone (a time skipped by DST moves forward). */
export function zonedInstant(year: number, month: number, day: number, minutes: number, timeZone: string) {
  const guess = Date.UTC(year, month - 1, day, 0, minutes);
  const first = guess - offsetAt(guess, timeZone);
  return guess - offsetAt(first, timeZone);
}

export const dateKey = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;

const intervalCache = new WeakMap<Calendar, Map<string, [number, number][]>>();

/** The working intervals of one local date, as instants, in order (cached per calendar object). */
export function workingIntervals(cal: Calendar, y: number, m: number, d: number): [number, number][] {
  const key = dateKey(y, m, d);
  let byDay = intervalCache.get(cal);
  if (!byDay) {
    byDay = new Map();
    intervalCache.set(cal, byDay);
  }
  const hit = byDay.get(key);
  if (hit) return hit;
  if (byDay.size > 20_000) byDay.clear();
  const computed = computeIntervals(cal, key, y, m, d);
  byDay.set(key, computed);
  return computed;
}

function computeIntervals(cal: Calendar, key: string, y: number, m: number, d: number): [number, number][] {
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  const hours = cal.holidays.has(key) ? [] : cal.workdays.has(key) ? cal.makeUpHours : (cal.weekly[weekday] ?? []);
  return hours
    .map((h): [number, number] => [zonedInstant(y, m, d, h.start, cal.timeZone), zonedInstant(y, m, d, h.end, cal.timeZone)])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
}

/** Local dates from the one containing `from`, one after another. */
function* daysFrom(cal: Calendar, from: number) {
  const p = localParts(from, cal.timeZone);
  for (let i = 0; i < MAX_DAYS; i++) {
    const date = new Date(Date.UTC(p.year, p.month - 1, p.day + i));
    yield [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()] as const;
  }
}

/**
 * The instant `minutes` of working time after `from`. A due time lands inside working hours (at
 * the latest at an interval's end); 0 minutes is `from` itself. A calendar too thin to supply the
 * minutes within the ten years searched (an admin's one working minute a week and a year-long
 * target) gives the end of those ten years: due, for any practical purpose, never — rather than an
 * error in whatever ticket change asked.
 */
export function addBusinessMinutes(cal: Calendar, from: Date, minutes: number): Date {
  if (minutes <= 0) return from;
  let remaining = minutes * MINUTE;
  const t = from.getTime();
  // The day before too: an interval of the previous local date may still be running (zones, midnight).
  const start = new Date(t - 86_400_000);
  for (const [y, m, d] of daysFrom(cal, start.getTime())) {
    for (const [s, e] of workingIntervals(cal, y, m, d)) {
      if (e <= t) continue;
      const begin = Math.max(s, t);
      const available = e - begin;
      if (remaining <= available) return new Date(begin + remaining);
      remaining -= available;
    }
  }
  return new Date(start.getTime() + MAX_DAYS * 86_400_000);
}

/** Working minutes between two instants (0 when `to` is not after `from`). */
export function businessMinutesBetween(cal: Calendar, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  let total = 0;
  for (const [y, m, d] of daysFrom(cal, a - 86_400_000)) {
    const intervals = workingIntervals(cal, y, m, d);
    for (const [s, e] of intervals) total += Math.max(0, Math.min(e, b) - Math.max(s, a));
    // Stop once a whole local day lies past `to`.
    if ((intervals[0]?.[0] ?? zonedInstant(y, m, d, 0, cal.timeZone)) > b) break;
  }
  return total / MINUTE;
}

/** Whether an instant is inside working time (interval ends count, as due times may land there). */
export function isWorkingTime(cal: Calendar, at: Date): boolean {
  const t = at.getTime();
  for (const [y, m, d] of daysFrom(cal, t - 86_400_000)) {
    for (const [s, e] of workingIntervals(cal, y, m, d)) if (t > s && t <= e) return true;
    if (zonedInstant(y, m, d, 0, cal.timeZone) > t) return false;
  }
  return false;
}
