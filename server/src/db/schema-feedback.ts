import type { Generated } from "kysely";
import type { Timestamp, NullableTimestamp, Json } from "./column-types";

/** Kysely table types of closing the loop: CSAT surveys and follow-up visits (migrations 0012, 0013); part of `DB`. */

export interface FollowUpVisitsTable {
  id: Generated<number>;
  ticket_id: number;
  department_id: number | null;
  assignee_id: number | null;
  reason: string;
  due_at: Timestamp;
  status: Generated<"open" | "done" | "cancelled">;
  result: "satisfied" | "resolved_now" | "unresolved" | "unreachable" | null;
  outcome: string | null;
  source: Json<{ kind: string; id: number | null; name?: string } | null> | null;
  created_at: Timestamp;
  completed_at: NullableTimestamp;
  completed_by: number | null;
}

export interface CsatSurveysTable {
  ticket_id: number;
  token_hash: string;
  sent_at: Timestamp;
  rating: number | null;
  comment: string | null;
  answered_at: NullableTimestamp;
  answered_via: "link" | "portal" | "widget" | null;
}
