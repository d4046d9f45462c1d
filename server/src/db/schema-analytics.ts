import type { ColumnType, Generated } from "kysely";
import type { Timestamp, NullableTimestamp, Json } from "./column-types";

/** Kysely table types of the analytics tables (migration 0014); part of `DB` in schema.ts. */
type Measure = ColumnType<number, number | undefined, number>;
type Histogram = ColumnType<number[], number[] | undefined, number[]>;

export interface AnalyticsDirtyTable {
  ticket_id: number;
}

export interface AnalyticsTicketFactsTable {
  ticket_id: number;
  created_at: Timestamp;
  department_id: number;
  category_id: number;
  channel: string;
  /** The team the ticket was routed to, 0 for none. */
  team_id: Generated<number>;
  /** The departments the ticket passed through (its stages). */
  stages: ColumnType<number[], number[] | undefined, number[]>;
  assignee_id: number | null;
  first_response_at: NullableTimestamp;
  responder_id: number | null;
  frt_s: number | null;
  frt_bus_s: number | null;
  resolved_at: NullableTimestamp;
  res_s: number | null;
  res_bus_s: number | null;
  unresolved: boolean;
  reopens: number;
  transfers: number;
  public_replies: number;
  fcr: boolean;
  is_repeat: boolean;
  fr_breached: boolean;
  res_breached: boolean;
  /** When each target was first missed (migration 0038). */
  fr_breached_at: NullableTimestamp;
  res_breached_at: NullableTimestamp;
  csat: number | null;
  csat_at: NullableTimestamp;
  /** What this ticket added to the rollups, so a recomputation can take exactly that back. */
  contributions: Json<unknown>;
  computed_at: Generated<Date>;
}

/** Additive measures of one rollup row (see analytics/measures.ts). */
export interface RollupMeasures {
  created: Measure;
  repeats: Measure;
  complete: Measure;
  completeness_known: Measure;
  arrivals: Histogram;
  first_responses: Measure;
  frt_sum: Measure;
  frt_bus_sum: Measure;
  frt_hist: Histogram;
  frt_bus_hist: Histogram;
  resolved: Measure;
  res_sum: Measure;
  res_bus_sum: Measure;
  res_hist: Histogram;
  res_bus_hist: Histogram;
  fcr: Measure;
  reopened: Measure;
  transferred: Measure;
  transfers: Measure;
  new_s: Measure;
  open_s: Measure;
  pending_s: Measure;
  on_hold_s: Measure;
  csat_count: Measure;
  csat_sum: Measure;
  csat_positive: Measure;
  csat_negative: Measure;
  sla_fr_total: Measure;
  sla_fr_breached: Measure;
  sla_res_total: Measure;
  sla_res_breached: Measure;
  backlog_delta: Measure;
}

export interface AnalyticsDailyTable extends RollupMeasures {
  day: ColumnType<string, string, string>;
  department_id: number;
  category_id: number;
  channel: string;
  team_id: Generated<number>;
}

/** The same measures summed over every department, category and channel of a day. */
export interface AnalyticsDailyTotalsTable extends RollupMeasures {
  day: ColumnType<string, string, string>;
}

/** The same measures for one department, one category or one channel on a day (value: its id or name). */
export interface AnalyticsDailySlicesTable extends RollupMeasures {
  day: ColumnType<string, string, string>;
  dimension: "department" | "category" | "channel";
  value: string;
}

export interface AnalyticsAgentDailyTable extends RollupMeasures {
  day: ColumnType<string, string, string>;
  agent_id: number;
}

export interface ReportSchedulesTable {
  id: Generated<number>;
  name: string;
  frequency: "weekly" | "monthly";
  recipients: ColumnType<string[], string[], string[]>;
  filters: Json<{ departmentId?: number; categoryId?: number; channel?: string }>;
  locale: Generated<string>;
  active: Generated<boolean>;
  next_run_at: Timestamp;
  last_sent_at: NullableTimestamp;
  created_by: number | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

/** Working seconds solved tickets spent in each department they passed through, by solve day. */
export interface AnalyticsStageDailyTable {
  day: ColumnType<string, string, string>;
  department_id: number;
  tickets: Measure;
  seconds: ColumnType<string | number, number | undefined, number>;
}
