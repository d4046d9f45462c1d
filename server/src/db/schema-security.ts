import type { ColumnType, Generated } from "kysely";

/** Kysely table types of security and compliance (audit log); part of `DB`. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string | null | undefined, string | null>;

export type AuditActorType = "staff" | "customer" | "token" | "system" | "anonymous";

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_type: AuditActorType;
  actor_id: number | null;
  actor_name: string | null;
  ip: string | null;
  action: string;
  outcome: Generated<"ok" | "failed">;
  target_type: string | null;
  target_id: string | null;
  target_name: string | null;
  before: Json | null;
  after: Json | null;
  detail: Json | null;
}

export interface AuditSettingsTable {
  id: number;
  retention_days: Generated<number>;
  stream_url: string | null;
  stream_secret_sealed: string | null;
  syslog_target: string | null;
  streamed_until: Generated<number>;
  updated_at: Timestamp;
}
