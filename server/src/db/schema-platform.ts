import type { ColumnType, Generated } from "kysely";

/** Kysely table types of the platform's outbox and job queue (migration 0001); part of `DB`. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T = unknown> = ColumnType<T, string | undefined, string>;
type JsonObject = Record<string, unknown>;

export interface DomainEventsTable {
  id: Generated<number>;
  type: string;
  aggregate_type: string;
  aggregate_id: number;
  payload: Json<JsonObject>;
  created_at: Timestamp;
}

export interface JobsTable {
  id: Generated<number>;
  queue: string;
  payload: Json<JsonObject>;
  status: Generated<"queued" | "completed" | "failed">;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_at: Timestamp;
  dedupe_key: string | null;
  last_error: string | null;
  created_at: Timestamp;
  completed_at: NullableTimestamp;
}

export interface RateLimitCountersTable {
  key: string;
  window_start: ColumnType<Date, Date | string, Date | string>;
  hits: number;
}

export interface WorkspaceExportsTable {
  id: Generated<number>;
  status: Generated<"queued" | "running" | "done" | "failed">;
  requested_by: number | null;
  file_name: string | null;
  bytes: number | null;
  tables_done: Generated<number>;
  tables_total: Generated<number>;
  rows: Generated<number>;
  files: Generated<number>;
  error: string | null;
  created_at: Generated<Date>;
  finished_at: Date | null;
}
