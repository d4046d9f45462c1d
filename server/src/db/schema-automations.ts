import type { Conditions, RuleAction } from "@loopdesk/contracts/rules";
import type { ColumnType, Generated } from "kysely";
import type { Timestamp, NullableTimestamp, Json } from "./column-types";

/** Kysely table types of triggers, automations and webhooks (migration 0011); part of `DB`. */

export interface TriggersTable {
  id: Generated<number>;
  name: string;
  position: Generated<number>;
  active: Generated<boolean>;
  events: string[];
  conditions: Json<Conditions>;
  actions: Json<RuleAction[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AutomationsTable {
  id: Generated<number>;
  name: string;
  position: Generated<number>;
  active: Generated<boolean>;
  status: string;
  hours_in_status: number;
  conditions: Json<Conditions>;
  actions: Json<RuleAction[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AutomationRunsTable {
  automation_id: number;
  ticket_id: number;
  episode: Date;
  created_at: Timestamp;
}

export interface TriggerFiringsTable {
  ticket_id: number;
  hour: Date;
  count: Generated<number>;
}

export interface WebhooksTable {
  id: Generated<number>;
  name: string;
  kind: "generic" | "wecom" | "dingtalk" | "feishu";
  url: string;
  secret: string | null;
  events: ColumnType<string[], string[] | undefined, string[]>;
  active: Generated<boolean>;
  locale: Generated<"zh-CN" | "en">;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: number;
  event_type: string;
  ticket_id: number | null;
  payload: Json<Record<string, unknown>>;
  status: Generated<"pending" | "succeeded" | "failed">;
  attempts: Generated<number>;
  response_status: number | null;
  response_body: string | null;
  error: string | null;
  resend_of: number | null;
  created_at: Timestamp;
  completed_at: NullableTimestamp;
}
