import type { ColumnType, Generated } from "kysely";
import type { Timestamp, NullableTimestamp } from "./column-types";

/** Kysely table types of email intake (migration 0020); part of `DB`. */

export interface MailboxesTable {
  id: Generated<number>;
  name: string;
  /** Lower case: the address customers write to. */
  address: string;
  active: Generated<boolean>;
  department_id: number | null;
  category_id: number | null;
  imap_host: string | null;
  imap_port: number | null;
  imap_secure: Generated<boolean>;
  imap_user: string | null;
  /** A credential: never returned by the API nor logged. */
  imap_password: string | null;
  imap_folder: Generated<string>;
  imap_uid_validity: ColumnType<string | null, number | bigint | string | null | undefined, number | bigint | string | null>;
  imap_last_uid: ColumnType<string, number | bigint | string | undefined, number | bigint | string>;
  last_polled_at: NullableTimestamp;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type InboundOutcome = "created" | "appended" | "duplicate" | "ignored" | "quarantined";

export interface InboundEmailsTable {
  id: ColumnType<string, never, never>;
  mailbox_id: number | null;
  source: "smtp" | "imap";
  message_id: string | null;
  from_address: string | null;
  subject: string | null;
  size: number;
  outcome: InboundOutcome;
  reason: string | null;
  ticket_id: number | null;
  /** The raw message in the file store, kept for mail that did not become part of a ticket. */
  raw_sha256: string | null;
  received_at: Timestamp;
}

export interface EmailThreadsTable {
  message_id: string;
  ticket_id: number;
  mailbox_id: number | null;
  direction: "in" | "out";
  created_at: Timestamp;
}

export interface CallsTable {
  id: Generated<number>;
  /** The call-center system's id of the call: the same call posted twice is one record. */
  external_id: string;
  ticket_id: number;
  customer_id: number;
  direction: "inbound" | "outbound";
  caller_number: string;
  called_number: string | null;
  agent_id: number | null;
  started_at: Timestamp;
  answered_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  recording_url: string | null;
  created_at: Timestamp;
}

export interface TicketAccessTokensTable {
  /** SHA-256 of the key the widget keeps; the key itself is never stored. */
  token_hash: string;
  ticket_id: number;
  customer_id: number;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
}

export type ImKind = "wecom" | "dingtalk" | "feishu" | "webhook";

export interface ImChannelsTable {
  id: Generated<number>;
  kind: ImKind;
  name: string;
  active: Generated<boolean>;
  /** The platform's credentials (tokens, keys, secrets): never returned by the API nor logged. */
  config: ColumnType<Record<string, string>, string | undefined, string>;
  /** The platform's API address for replies (default: the vendor's public API). */
  api_base: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ImMessagesTable {
  channel_id: number;
  external_id: string;
  ticket_id: number;
  sender_id: string;
  received_at: Timestamp;
}

export interface CrmLookupCacheTable {
  /** SHA-256 of the lookup URL (which may carry a customer's contacts). */
  url_hash: string;
  records: ColumnType<Record<string, unknown>[], string, string>;
  fetched_at: Timestamp;
}
