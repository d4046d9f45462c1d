import type { EscalationStep } from "@loopdesk/contracts/sla";
import type { ColumnType, Generated } from "kysely";
import type { Timestamp, NullableTimestamp, Json } from "./column-types";

/** Kysely table types of the SLA tables (migrations 0008, 0010); part of `DB` in schema.ts. */

export interface BusinessCalendarsTable {
  id: Generated<number>;
  name: string;
  time_zone: string;
  weekly: Json<{ start: number; end: number }[][]>;
  china_official: Generated<boolean>;
  holidays: ColumnType<string[], string[] | undefined, string[]>;
  workdays: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** China's official days an administrator entered for a year the holiday package does not know yet (migration 0040). */
export interface OfficialCalendarDaysTable {
  date: ColumnType<string, string, string>;
  kind: "holiday" | "workday";
  name: Generated<string>;
  source: Generated<"manual" | "ics">;
  created_at: Generated<Date>;
}

export type SlaConditions = {
  priorities?: string[];
  tiers?: string[];
  categoryIds?: number[];
  channels?: string[];
  departmentIds?: number[];
  customFields?: Record<string, string[]>;
};

export interface SlaPoliciesTable {
  id: Generated<number>;
  name: string;
  position: Generated<number>;
  active: Generated<boolean>;
  conditions: Json<SlaConditions>;
  first_response_minutes: number | null;
  next_response_minutes: number | null;
  resolution_minutes: number | null;
  business_hours: Generated<boolean>;
  calendar_id: number | null;
  pause_on_pending: Generated<boolean>;
  pause_on_hold: Generated<boolean>;
  warn_percent: number | null;
  warn_minutes_before: number | null;
  escalation: Json<EscalationStep[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type SlaTarget = "first_response" | "next_response" | "resolution";

export interface TicketSlaTable {
  ticket_id: number;
  target: SlaTarget;
  policy_id: number | null;
  cycle_start: Timestamp;
  due_at: NullableTimestamp;
  status: "active" | "paused" | "hit" | "missed";
  completed_at: NullableTimestamp;
  breached_at: NullableTimestamp;
  /** The next warning not yet given (for the sweep). */
  warn_at: NullableTimestamp;
  /** Warnings given in this cycle, e.g. "p75", "m15". */
  warned: ColumnType<string[], string[] | undefined, string[]>;
  /** Escalation steps already run in this cycle, and when the next one is due. */
  escalation_step: Generated<number>;
  escalate_at: NullableTimestamp;
}
