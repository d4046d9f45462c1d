import type { MacroActions } from "@loopdesk/contracts/workspace";
import type { ColumnType, Generated } from "kysely";
import type { Timestamp, NullableTimestamp, Json } from "./column-types";

/** Kysely table types of each staff member's own workspace: notifications, saved views, canned replies and macros; part of `DB`. */

export interface NotificationPreferencesTable {
  staff_id: number;
  /** Per notification type, which channels the person wants (missing: defaults). */
  prefs: Json<Record<string, { inApp: boolean; email: boolean }>>;
  updated_at: Timestamp;
}

export interface NotificationsTable {
  id: Generated<number>;
  staff_id: number;
  type: string;
  ticket_id: number | null;
  data: Json<Record<string, unknown>>;
  read_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface SavedViewsTable {
  id: Generated<number>;
  owner_id: number;
  name: string;
  filters: Json<Record<string, string>>;
  shared: Generated<boolean>;
  position: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CannedRepliesTable {
  id: Generated<number>;
  /** null: shared with all staff. */
  owner_id: number | null;
  title: string;
  body: string;
  /** What the macro also changes on the ticket (`MacroActions`); `{}` for a plain canned reply. */
  actions: ColumnType<MacroActions, string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
