import { z } from "zod";
import { isoDate, patchBody } from "./common";
import { tier } from "./customers";
import { channel, priority } from "./tickets";

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "hh_mm");
/** A working interval as local clock times, e.g. { "start": "09:00", "end": "12:00" }. */
export const workInterval = z
  .strictObject({ start: hhmm, end: hhmm })
  .refine((i) => i.start < i.end, { message: "start_before_end", path: ["end"] });
const localDate = z.iso.date();

export const calendar = z.object({
  id: z.number(),
  name: z.string(),
  timeZone: z.string(),
  /** Seven entries, Sunday first: each day's working intervals. */
  weekly: z.array(z.array(z.object({ start: z.string(), end: z.string() }))),
  /** Include mainland China's public holidays and make-up working days (调休). */
  chinaOfficial: z.boolean(),
  holidays: z.array(z.string()),
  workdays: z.array(z.string()),
});
export type BusinessCalendar = z.infer<typeof calendar>;

const validZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "unknown_time_zone");

export const createCalendarBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  timeZone: validZone.default("Asia/Shanghai"),
  weekly: z
    .array(z.array(workInterval).max(6))
    .length(7)
    .refine((days) => days.some((d) => d.length > 0), "no_working_time")
    .refine(
      (days) =>
        days.every((d) =>
          [...d]
            .sort((a, b) => a.start.localeCompare(b.start))
            .every((x, i, all) => i === 0 || (all[i - 1] as { end: string }).end <= x.start),
        ),
      "overlapping_intervals",
    ),
  chinaOfficial: z.boolean().default(false),
  holidays: z.array(localDate).max(1000).default([]),
  workdays: z.array(localDate).max(1000).default([]),
});
export const updateCalendarBody = patchBody(createCalendarBody);

export const slaConditions = z.strictObject({
  priorities: z.array(priority).max(10).optional(),
  tiers: z.array(tier).max(10).optional(),
  categoryIds: z.array(z.number().int().positive()).max(200).optional(),
  channels: z.array(channel).max(20).optional(),
  departmentIds: z.array(z.number().int().positive()).max(200).optional(),
  /** Custom field key → the values that match. */
  customFields: z.record(z.string().max(63), z.array(z.string().max(200)).max(50)).optional(),
});

const minutes = z.number().int().min(1).max(525_600);

/** After a breach: steps at minutes after the due time, each recorded on the ticket once per cycle. */
export const escalationActions = ["notify_assignee", "notify_supervisors", "raise_priority", "reassign"] as const;
export const escalationStep = z
  .strictObject({
    afterMinutes: z.number().int().min(0).max(43_200),
    action: z.enum(escalationActions),
    /** reassign: to this agent and/or department. */
    staffId: z.number().int().positive().nullable().default(null),
    departmentId: z.number().int().positive().nullable().default(null),
  })
  .refine((s) => s.action !== "reassign" || s.staffId !== null || s.departmentId !== null, {
    message: "reassign_needs_target",
    path: ["staffId"],
  });
export type EscalationStep = z.infer<typeof escalationStep>;
const escalation = z
  .array(escalationStep)
  .max(10)
  .refine(
    (steps) => steps.every((s, i) => i === 0 || (steps[i - 1] as EscalationStep).afterMinutes <= s.afterMinutes),
    "steps_out_of_order",
  );
export const slaPolicy = z.object({
  id: z.number(),
  name: z.string(),
  position: z.number(),
  active: z.boolean(),
  conditions: slaConditions,
  firstResponseMinutes: z.number().nullable(),
  nextResponseMinutes: z.number().nullable(),
  resolutionMinutes: z.number().nullable(),
  /** true: targets count working time on `calendarId`; false: calendar time (24×7). */
  businessHours: z.boolean(),
  calendarId: z.number().nullable(),
  pauseOnPending: z.boolean(),
  pauseOnHold: z.boolean(),
  /** Warn when this share (%) of a target is used … */
  warnPercent: z.number().nullable(),
  /** … and/or this many minutes before it is due. */
  warnMinutesBefore: z.number().nullable(),
  escalation: z.array(escalationStep),
});
export type SlaPolicy = z.infer<typeof slaPolicy>;
export const createSlaPolicyBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  position: z.number().int().min(0).max(100_000).default(0),
  active: z.boolean().default(true),
  conditions: slaConditions.default({}),
  firstResponseMinutes: minutes.nullable().default(null),
  nextResponseMinutes: minutes.nullable().default(null),
  resolutionMinutes: minutes.nullable().default(null),
  businessHours: z.boolean().default(true),
  calendarId: z.number().int().positive().nullable().default(null),
  pauseOnPending: z.boolean().default(true),
  pauseOnHold: z.boolean().default(true),
  warnPercent: z.number().int().min(1).max(99).nullable().default(75),
  warnMinutesBefore: z.number().int().min(1).max(10_080).nullable().default(null),
  escalation: escalation.default([]),
});
export const updateSlaPolicyBody = patchBody(createSlaPolicyBody);

export const slaTargets = ["first_response", "next_response", "resolution"] as const;
export const ticketSlaClock = z.object({
  target: z.enum(slaTargets),
  status: z.enum(["active", "paused", "hit", "missed"]),
  dueAt: isoDate.nullable(),
  cycleStart: isoDate,
  completedAt: isoDate.nullable(),
  breachedAt: isoDate.nullable(),
});
export const ticketSla = z.object({ policyId: z.number().nullable(), policyName: z.string().nullable(), clocks: z.array(ticketSlaClock) });

/** A day of mainland China's official calendar an administrator enters: a holiday or a make-up working day (调休上班). */
export const officialDayInput = z.strictObject({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD."),
  kind: z.enum(["holiday", "workday"]),
  name: z.string().trim().max(100).default(""),
});
export type OfficialDayInput = z.output<typeof officialDayInput>;
export const saveOfficialDaysBody = z.strictObject({ days: z.array(officialDayInput).min(1).max(400) });
/** An .ics file's text (a holiday calendar), whose all-day events become official days. */
export const importOfficialDaysBody = z.strictObject({ ics: z.string().min(1).max(2_000_000) });
export const officialCalendar = z.object({
  /** Years the bundled holiday data knows (package chinese-days). */
  packageYears: z.array(z.number()),
  /** Years an administrator entered days for. */
  enteredYears: z.array(z.number()),
  /** This year, and from December on next year, when neither source knows them. */
  missingYears: z.array(z.number()),
  days: z.array(
    z.object({
      date: z.string(),
      kind: z.enum(["holiday", "workday"]),
      name: z.string(),
      source: z.enum(["manual", "ics"]),
      /** A package update now knows this year: its days are used instead. */
      supersededByPackage: z.boolean(),
    }),
  ),
});
export type OfficialCalendar = z.infer<typeof officialCalendar>;
