import type { ColumnType, Generated } from "kysely";
import type { Timestamp, NullableTimestamp, Json } from "./column-types";

/** Kysely table types of the platform's outbox and job queue (migration 0001); part of `DB`. */
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

type JsonColumn<T> = ColumnType<T, string | undefined, string>;
export type ImportProblem = { row: number; column: string; code: string; value?: string; warning?: boolean };

export interface ImportJobsTable {
  id: Generated<number>;
  source: "spreadsheet" | "zendesk" | "osticket";
  entity: "tickets" | "customers" | "organizations";
  status: Generated<"uploaded" | "queued" | "running" | "done" | "failed">;
  file_name: string;
  file_size: Generated<number>;
  format: string;
  encoding: string | null;
  headers: JsonColumn<string[]>;
  sample: JsonColumn<string[][]>;
  total_rows: Generated<number>;
  columns: JsonColumn<Record<string, string>>;
  value_map: JsonColumn<Record<string, Record<string, string | number | null>>>;
  options: JsonColumn<{
    runAutomations?: boolean;
    /** Where a helpdesk import reads from (no secret: that is sealed apart). */
    connection?: Record<string, string | number>;
    /** How far a paged source was read and committed (an API cursor). */
    cursor?: string | null;
  }>;
  dry_run: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  processed_rows: Generated<number>;
  created: Generated<number>;
  skipped: Generated<number>;
  failed: Generated<number>;
  problems: JsonColumn<ImportProblem[]>;
  problem_count: Generated<number>;
  error: string | null;
  heartbeat_at: Date | null;
  created_by: number | null;
  created_at: Generated<Date>;
  started_at: Date | null;
  finished_at: Date | null;
  /** A helpdesk source as found before the import (counts, values to map). */
  survey: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  secret_sealed: string | null;
}

export interface ImportRecordsTable {
  source: string;
  entity: string;
  external_id: string;
  local_id: number;
  job_id: number | null;
  created_at: Generated<Date>;
}

export interface ImportMappingsTable {
  id: Generated<number>;
  name: string;
  entity: "tickets" | "customers" | "organizations";
  columns: JsonColumn<Record<string, string>>;
  value_map: JsonColumn<Record<string, Record<string, string | number | null>>>;
  created_by: number | null;
  created_at: Generated<Date>;
}

/** The tables of imports and workspace exports (migrations 0054, 0055); part of `DB`. */
export interface DataTables {
  workspace_exports: WorkspaceExportsTable;
  import_jobs: ImportJobsTable;
  import_records: ImportRecordsTable;
  import_mappings: ImportMappingsTable;
}
