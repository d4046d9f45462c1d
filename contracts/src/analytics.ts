import { z } from "zod";
import { isoDate, patchBody } from "./common";

/** A calendar date in the report time zone, YYYY-MM-DD. */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD");

/** Which tickets a report covers: days (inclusive, report time zone), and optional slices. */
export const analyticsFilters = z
  .strictObject({
    from: day,
    to: day,
    departmentId: z.coerce.number().int().min(0).optional(),
    categoryId: z.coerce.number().int().min(0).optional(),
    channel: z.string().trim().min(1).max(40).optional(),
    /** The team the ticket was routed to (0 = none). */
    teamId: z.coerce.number().int().min(0).optional(),
  })
  .refine((f) => f.from <= f.to, { path: ["to"], message: "to must not be before from" })
  .refine((f) => Date.parse(f.to) - Date.parse(f.from) <= 366 * 86_400_000 * 3, {
    path: ["from"],
    message: "a report covers at most three years",
  });
export type AnalyticsFilters = z.infer<typeof analyticsFilters>;

/** A duration distribution in seconds; `method` says whether percentiles are exact or read from buckets. */
const durationStats = z.object({
  count: z.number(),
  mean: z.number().nullable(),
  median: z.number().nullable(),
  p90: z.number().nullable(),
});
const durations = z.object({ calendar: durationStats, business: durationStats });
const rate = z.object({ count: z.number(), of: z.number(), rate: z.number().nullable() });

export const overviewReport = z.object({
  from: day,
  to: day,
  timeZone: z.string(),
  percentiles: z.enum(["exact", "histogram"]),
  totals: z.object({
    created: z.number(),
    resolved: z.number(),
    backlog: z.number(),
    firstResponse: durations,
    resolution: durations,
    firstContactResolution: rate,
    transferred: rate,
    reopened: rate,
    repeat: rate,
    completeAtCreation: rate,
    csat: z.object({ count: z.number(), average: z.number().nullable(), positive: rate, negative: rate }),
    sla: z.object({ firstResponse: rate, resolution: rate }),
    /** Mean seconds solved tickets spent in each working status. */
    timeInStatus: z.object({ new: z.number(), open: z.number(), pending: z.number(), on_hold: z.number() }),
  }),
  /**
   * Stages: for tickets solved in the range, the departments they passed through, how many passed
   * through each and their mean working seconds there. Null when the report is sliced (stages are
   * kept by day and department only).
   */
  stages: z.array(z.object({ departmentId: z.number(), tickets: z.number(), meanSeconds: z.number() })).nullable(),
  daily: z.array(
    z.object({
      day,
      created: z.number(),
      resolved: z.number(),
      backlog: z.number(),
      frtMean: z.number().nullable(),
      csatAverage: z.number().nullable(),
      slaBreached: z.number(),
    }),
  ),
  /** completeAtCreation: of the tickets created on the channel whose template was known, the share complete when created. */
  byChannel: z.array(z.object({ channel: z.string(), created: z.number(), resolved: z.number(), completeAtCreation: rate })),
  byCategory: z.array(z.object({ categoryId: z.number(), created: z.number(), resolved: z.number() })),
  byDepartment: z.array(z.object({ departmentId: z.number(), created: z.number(), resolved: z.number() })),
  /** By the team tickets were routed to (0 = none). */
  byTeam: z.array(z.object({ teamId: z.number(), created: z.number(), resolved: z.number() })),
  /** Arrivals by weekday (0 Monday … 6 Sunday) × hour of day, in the report time zone. */
  heatmap: z.array(z.array(z.number())),
});
export type OverviewReport = z.infer<typeof overviewReport>;

export const agentReportQuery = z.strictObject({
  from: day,
  to: day,
  teamId: z.coerce.number().int().positive().optional(),
});
export const agentStats = z.object({
  agentId: z.number(),
  name: z.string(),
  handled: z.number(),
  firstResponses: z.number(),
  frtMean: z.number().nullable(),
  frtBusinessMean: z.number().nullable(),
  resolutionMean: z.number().nullable(),
  resolutionBusinessMean: z.number().nullable(),
  fcrRate: z.number().nullable(),
  reopenRate: z.number().nullable(),
  csatCount: z.number(),
  csatAverage: z.number().nullable(),
  slaBreached: z.number(),
  /** Open tickets assigned now. */
  load: z.number(),
});
export type AgentStats = z.infer<typeof agentStats>;
export const agentReport = z.object({ from: day, to: day, items: z.array(agentStats) });

export const teamStats = agentStats.omit({ agentId: true }).extend({ teamId: z.number(), members: z.number() });
export type TeamStats = z.infer<typeof teamStats>;
export const teamReport = z.object({ from: day, to: day, items: z.array(teamStats) });

export const drilldownMetrics = [
  "created",
  "resolved",
  "backlog",
  "first_response",
  "fcr",
  "transferred",
  "reopened",
  "repeat",
  "csat",
  "csat_negative",
  "sla_first_response_breached",
  "sla_resolution_breached",
  /** Tickets solved in the range that passed through `stageDepartmentId`. */
  "stage",
] as const;
export const drilldownQuery = z.strictObject({
  metric: z.enum(drilldownMetrics),
  from: day,
  to: day,
  departmentId: z.coerce.number().int().min(0).optional(),
  categoryId: z.coerce.number().int().min(0).optional(),
  channel: z.string().trim().min(1).max(40).optional(),
  teamId: z.coerce.number().int().min(0).optional(),
  /** With metric `stage`: the department (0 = none) the tickets passed through. */
  stageDepartmentId: z.coerce.number().int().min(0).optional(),
  agentId: z.coerce.number().int().positive().optional(),
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
/** What selects the tickets behind a number (a drill-down without its paging). */
export type DrilldownFilters = Omit<z.infer<typeof drilldownQuery>, "cursor" | "limit">;
export const drilldownExportQuery = drilldownQuery
  .omit({ cursor: true, limit: true })
  .extend({ format: z.enum(["csv", "xlsx"]).default("csv") });
export const drilldownTicket = z.object({
  id: z.number(),
  number: z.number(),
  subject: z.string(),
  status: z.string(),
  priority: z.string(),
  channel: z.string(),
  categoryId: z.number().nullable(),
  departmentId: z.number().nullable(),
  assigneeId: z.number().nullable(),
  createdAt: isoDate,
  firstResponseSeconds: z.number().nullable(),
  resolutionSeconds: z.number().nullable(),
  csat: z.number().nullable(),
});
export const drilldownPage = z.object({ items: z.array(drilldownTicket), nextCursor: z.string().nullable(), total: z.number() });

export const reportFrequencies = ["weekly", "monthly"] as const;
const reportSlices = z.strictObject({
  departmentId: z.number().int().min(0).optional(),
  categoryId: z.number().int().min(0).optional(),
  channel: z.string().trim().min(1).max(40).optional(),
  teamId: z.number().int().min(0).optional(),
});
export const reportSchedule = z.object({
  id: z.number(),
  name: z.string(),
  frequency: z.enum(reportFrequencies),
  recipients: z.array(z.string()),
  filters: reportSlices,
  locale: z.enum(["zh-CN", "en"]),
  active: z.boolean(),
  nextRunAt: isoDate,
  lastSentAt: isoDate.nullable(),
});
export type ReportSchedule = z.infer<typeof reportSchedule>;
export const createReportScheduleBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  frequency: z.enum(reportFrequencies),
  recipients: z.array(z.string().trim().toLowerCase().pipe(z.email())).min(1).max(50),
  filters: reportSlices.default({}),
  locale: z.enum(["zh-CN", "en"]).default("zh-CN"),
  active: z.boolean().default(true),
});
export const updateReportScheduleBody = patchBody(createReportScheduleBody);
