import type { ColumnType, Generated } from "kysely";
import type { Timestamp, NullableTimestamp, Json } from "./column-types";

/** Kysely table types of sign-in and API access (sessions, tokens, login codes, invitations, throttling, idempotency); part of `DB`. */

export interface StaffInvitationsTable {
  id: Generated<number>;
  staff_id: number;
  token_hash: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface LoginCodesTable {
  id: Generated<number>;
  customer_id: number;
  code_hash: string;
  link_hash: string;
  attempts: Generated<number>;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  principal_type: "staff" | "customer";
  principal_id: number;
  csrf_token: string;
  user_agent: string | null;
  ip: string | null;
  /** Signed in with a password only where the person's role requires a second factor: may only enrol. */
  needs_two_factor: Generated<boolean>;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<number>;
  staff_id: number;
  name: string;
  prefix: string;
  token_hash: string;
  scopes: string[];
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  key: string;
  failed_at: Timestamp;
}

export interface IdempotencyKeysTable {
  principal: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: Json;
  created_at: Timestamp;
}

export interface StaffRecoveryCodesTable {
  id: Generated<number>;
  staff_id: number;
  code_hash: string;
  used_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface StaffPasskeysTable {
  id: Generated<number>;
  staff_id: number;
  credential_id: string;
  public_key: string;
  counter: ColumnType<number, number | undefined, number>;
  transports: ColumnType<string[], string[] | undefined, string[]>;
  name: string;
  created_at: Generated<Date>;
  last_used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}
