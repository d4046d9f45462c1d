import type { OfficialCalendar, OfficialDayInput } from "@loopdesk/contracts/sla";
import ICAL from "ical.js";
import { sql } from "kysely";
import { NotFoundError, ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { localParts } from "./business-calendar";
import { touchOfficialCalendars } from "./calendar-service";
import { packagedChinaDays } from "./china-calendar";
import { recomputeOpenTickets } from "./sla-jobs";

/** Days an .ics import may hold (a few years of holidays at most). */
const MAX_IMPORTED_DAYS = 2000;
/** An event longer than this is not a holiday (a mistake in the file). */
const MAX_EVENT_DAYS = 40;

const yearOf = (date: string) => Number(date.slice(0, 4));

/**
 * Which years mainland China's official calendar covers: the holiday package's (and its version),
 * the years an administrator entered days for, and whether this year or — from December on — next
 * year is missing (due times would then treat 元旦 and 春节 as working days).
 */
export async function officialCalendar(db: Executor, timeZone: string, now = new Date()): Promise<OfficialCalendar> {
  const pkg = packagedChinaDays();
  const rows = await db
    .selectFrom("official_calendar_days")
    .select([(eb) => eb.cast<string>("date", "text").as("date"), "kind", "name", "source"])
    .orderBy("date")
    .execute();
  const local = localParts(now.getTime(), timeZone);
  const enteredYears = [...new Set(rows.map((r) => yearOf(r.date)))].sort((a, b) => a - b);
  const covered = (y: number) => pkg.years.includes(y) || enteredYears.includes(y);
  const needed = local.month === 12 ? [local.year, local.year + 1] : [local.year];
  return {
    packageYears: pkg.years,
    enteredYears,
    missingYears: needed.filter((y) => !covered(y)),
    days: rows.map((r) => ({ ...r, supersededByPackage: pkg.years.includes(yearOf(r.date)) })),
  };
}

async function afterChange(db: Executor) {
  // Every official calendar is built again, and every open ticket's due times follow.
  await touchOfficialCalendars(db);
  await recomputeOpenTickets(db);
}

/** Enters official days (a holiday or a make-up working day each), replacing what those dates had. */
export async function saveOfficialDays(db: Executor, days: OfficialDayInput[], source: "manual" | "ics") {
  const pkgYears = new Set(packagedChinaDays().years);
  const known = days.filter((d) => pkgYears.has(yearOf(d.date)));
  if (known.length)
    throw ValidationError(
      known.slice(0, 5).map((d) => ({
        path: "date",
        code: "covered_by_package",
        message: `${yearOf(d.date)} is already in the official holiday data.`,
      })),
    );
  if (days.length === 0) return 0;
  await db
    .insertInto("official_calendar_days")
    .values(days.map((d) => ({ date: d.date, kind: d.kind, name: d.name, source })))
    .onConflict((oc) =>
      oc
        .column("date")
        .doUpdateSet((eb) => ({ kind: eb.ref("excluded.kind"), name: eb.ref("excluded.name"), source: eb.ref("excluded.source") })),
    )
    .execute();
  await afterChange(db);
  return days.length;
}

export async function deleteOfficialDay(db: Executor, date: string) {
  const res = await db.deleteFrom("official_calendar_days").where(sql<string>`date::text`, "=", date).executeTakeFirst();
  if (Number(res.numDeletedRows) === 0) throw NotFoundError("Official day");
  await afterChange(db);
}

/** Local calendar dates as YYYY-MM-DD. */
const dateKey = (t: ICAL.Time) => `${t.year}-${String(t.month).padStart(2, "0")}-${String(t.day).padStart(2, "0")}`;

/** A make-up working day (调休上班) as holiday calendars name it: 班, 补班, 上班, 调休上班, workday. */
const WORKDAY = /补班|上班|（班）|\(班\)|^班$|\b班\b|work\s*day|working day/i;

/**
 * The days an .ics file (a holiday calendar such as the ones phones subscribe to) holds: each
 * all-day event's days, as a holiday, or as a make-up working day when its name says so.
 */
export function daysFromIcs(text: string): OfficialDayInput[] {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (e) {
    throw ValidationError([{ path: "ics", code: "invalid_ics", message: `Not an iCalendar file: ${(e as Error).message}`.slice(0, 300) }]);
  }
  const days = new Map<string, OfficialDayInput>();
  for (const component of root.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(component);
    if (!event.startDate) continue;
    const name = (event.summary ?? "").trim().slice(0, 100);
    const kind = WORKDAY.test(name) ? "workday" : "holiday";
    const day = event.startDate.clone();
    const end = event.endDate && event.startDate.isDate ? event.endDate : null;
    for (let n = 0; n < MAX_EVENT_DAYS; n++) {
      days.set(dateKey(day), { date: dateKey(day), kind, name });
      day.adjust(1, 0, 0, 0);
      if (!end || day.compare(end) >= 0) break;
    }
    if (days.size > MAX_IMPORTED_DAYS)
      throw ValidationError([{ path: "ics", code: "too_many_days", message: `An import holds at most ${MAX_IMPORTED_DAYS} days.` }]);
  }
  if (days.size === 0) throw ValidationError([{ path: "ics", code: "no_events", message: "The file has no events." }]);
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}
