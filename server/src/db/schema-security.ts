import type { ColumnType, Generated } from "kysely";
import type { Timestamp, NullableTimestamp } from "./column-types";

/** Kysely table types of security and compliance (audit log); part of `DB`. */
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

export interface PrivacyRequestsTable {
  id: Generated<number>;
  kind: "access" | "erasure";
  customer_id: number;
  channel: Generated<"email" | "phone" | "portal" | "letter" | "other">;
  note: Generated<string>;
  received_at: Timestamp;
  due_at: Timestamp;
  status: Generated<"open" | "done" | "rejected">;
  reason: string | null;
  archive_sha256: string | null;
  archive_size: number | null;
  report: Json | null;
  created_by: number | null;
  completed_by: number | null;
  completed_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RetentionRulesTable {
  id: Generated<number>;
  category_id: number | null;
  months: number;
  active: Generated<boolean>;
  last_run_at: NullableTimestamp;
  purged_total: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type GroupMapping = { group: string; role: "agent" | "supervisor" | "admin"; departmentIds: number[] };

export interface SsoSettingsTable {
  id: number;
  oidc_enabled: Generated<boolean>;
  oidc_name: Generated<string>;
  oidc_issuer: string | null;
  oidc_client_id: string | null;
  oidc_client_secret_sealed: string | null;
  oidc_scopes: Generated<string>;
  oidc_groups_claim: Generated<string>;
  ldap_enabled: Generated<boolean>;
  ldap_url: string | null;
  ldap_bind_dn: string | null;
  ldap_bind_password_sealed: string | null;
  ldap_base_dn: string | null;
  ldap_user_filter: Generated<string>;
  ldap_group_base_dn: string | null;
  ldap_group_filter: Generated<string>;
  group_mappings: Json<GroupMapping[]>;
  jit: Generated<boolean>;
  default_role: "agent" | "supervisor" | "admin" | null;
  password_sign_in: Generated<"all" | "break_glass">;
  updated_at: Timestamp;
}
