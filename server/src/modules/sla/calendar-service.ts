import type { z } from "zod";
import type { BusinessCalendar, createCalendarBody, updateCalendarBody } from "@loopdesk/contracts/sla";
import type { Selectable } from "kysely";
import type { BusinessCalendarsTable } from "../../db/schema-sla";
import { NotFoundError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import type { Calendar, WorkInterval } from "./business-calendar";
import { type OfficialDay, chinaOfficialDays } from "./china-calendar";

type Row = Selectable<BusinessCalendarsTable>;
const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const toClock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

const present = (r: Row): BusinessCalendar => ({
  id: r.id,
  name: r.name,
  timeZone: r.time_zone,
  weekly: r.weekly.map((day) => day.map((i) => ({ start: toClock(i.start), end: toClock(i.end) }))),
  chinaOfficial: r.china_official,
  holidays: r.holidays,
  workdays: r.workdays,
});

const weeklyMinutes = (weekly: { start: string; end: string }[][]): WorkInterval[][] =>
  weekly.map((day) => day.map((i) => ({ start: toMinutes(i.start), end: toMinutes(i.end) })).sort((a, b) => a.start - b.start));

export async function listCalendars(db: Executor) {
  return (await db.selectFrom("business_calendars").selectAll().orderBy("id").execute()).map(present);
}

export async function createCalendar(db: Executor, input: z.output<typeof createCalendarBody>) {
  const row = await db
    .insertInto("business_calendars")
    .values({
      name: input.name,
      time_zone: input.timeZone,
      weekly: JSON.stringify(weeklyMinutes(input.weekly)),
      china_official: input.chinaOfficial,
      holidays: input.holidays,
      workdays: input.workdays,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return present(row);
}

export async function updateCalendar(db: Executor, id: number, input: z.output<typeof updateCalendarBody>) {
  const row = await db
    .updateTable("business_calendars")
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.timeZone !== undefined ? { time_zone: input.timeZone } : {}),
      ...(input.weekly !== undefined ? { weekly: JSON.stringify(weeklyMinutes(input.weekly)) } : {}),
      ...(input.chinaOfficial !== undefined ? { china_official: input.chinaOfficial } : {}),
      ...(input.holidays !== undefined ? { holidays: input.holidays } : {}),
      ...(input.workdays !== undefined ? { workdays: input.workdays } : {}),
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw NotFoundError("Calendar");
  return present(row);
}

export async function calendarExists(db: Executor, id: number) {
  return !!(await db.selectFrom("business_calendars").select("id").where("id", "=", id).executeTakeFirst());
}

/**
 * The calendar for clock arithmetic: its own days plus, if chosen, mainland China's official ones
 * (the package's, and those an administrator entered for years the package does not know).
 */
export function toCalendar(r: Row, entered: OfficialDay[] = []): Calendar {
  const china = r.china_official ? chinaOfficialDays(entered) : { holidays: new Set<string>(), workdays: new Set<string>() };
  const own = new Set(r.holidays);
  const holidays = new Set([...china.holidays, ...own]);
  const workdays = new Set([...china.workdays, ...r.workdays].filter((d) => !own.has(d)));
  const weekly = r.weekly.map((day) => day.map((i) => ({ start: i.start, end: i.end })));
  // Make-up days (调休) work a normal weekday's hours: Monday's, or the first working weekday's.
  const makeUpHours = weekly[1]?.length ? weekly[1] : (weekly.find((d) => d.length) ?? []);
  return { timeZone: r.time_zone, weekly, holidays, workdays, makeUpHours };
}

/**
 * Calendars by id for one recomputation (rows are small; built objects keep their day cache). A
 * change to the entered official days touches the official calendars' rows, so every process
 * builds them again.
 */
const built = new Map<number, { updatedAt: number; calendar: Calendar }>();
export async function calendarsById(db: Executor, ids: number[]) {
  const out = new Map<number, Calendar>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom("business_calendars").selectAll().where("id", "in", ids).execute();
  let entered: OfficialDay[] | undefined;
  for (const r of rows) {
    const hit = built.get(r.id);
    if (hit && hit.updatedAt === r.updated_at.getTime()) out.set(r.id, hit.calendar);
    else {
      if (r.china_official) entered ??= await enteredOfficialDays(db);
      const calendar = toCalendar(r, entered);
      built.set(r.id, { updatedAt: r.updated_at.getTime(), calendar });
      out.set(r.id, calendar);
    }
  }
  return out;
}

/** The official days an administrator entered (for years the holiday package does not know). */
export async function enteredOfficialDays(db: Executor): Promise<OfficialDay[]> {
  const rows = await db
    .selectFrom("official_calendar_days")
    .select([(eb) => eb.cast<string>("date", "text").as("date"), "kind"])
    .orderBy("date")
    .execute();
  return rows.map((r) => ({ date: r.date, kind: r.kind }));
}

/** After the official days changed: every calendar that follows them is built again in every process. */
export async function touchOfficialCalendars(db: Executor) {
  await db.updateTable("business_calendars").set({ updated_at: new Date() }).where("china_official", "=", true).execute();
}
