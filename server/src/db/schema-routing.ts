import type { ColumnType, Generated } from "kysely";
import type { Timestamp, NullableTimestamp, Json } from "./column-types";
import type { RuleConditions, Shift, ShiftException } from "@loopdesk/contracts/routing";

/** Kysely table types of routing (migration 0018); part of `DB`. */

export interface AgentStatesTable {
  staff_id: number;
  presence: Generated<"online" | "away" | "offline">;
  /** Who set the presence last: user, inactivity or system. */
  presence_source: Generated<string>;
  presence_changed_at: Timestamp;
  last_seen_at: NullableTimestamp;
  capacity: Generated<number>;
  channel_capacity: Json<Record<string, number>>;
  shifts: Json<Shift[]>;
  shift_exceptions: Json<ShiftException[]>;
  last_assigned_at: NullableTimestamp;
  /** Kept by the tickets trigger: unsolved tickets assigned, in total and per channel. */
  open_count: Generated<number>;
  open_by_channel: ColumnType<Record<string, number>, string | undefined, string>;
  /** Per category id ("0": none). */
  open_by_category: ColumnType<Record<string, number>, string | undefined, string>;
  updated_at: Timestamp;
  /** Drawn from a sequence on every write (a trigger): equal versions mean an unchanged row. bigint, read as a string. */
  version: ColumnType<string, never, never>;
}

export interface CategorySkillsTable {
  category_id: number;
  skill_id: number;
  min_level: Generated<number>;
}

export interface RoutingRulesTable {
  id: Generated<number>;
  name: string;
  position: Generated<number>;
  active: Generated<boolean>;
  conditions: Json<RuleConditions>;
  team_id: number | null;
  agent_ids: ColumnType<number[], number[] | undefined, number[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AssignmentLogTable {
  id: Generated<number>;
  ticket_id: number;
  round: number;
  outcome: string;
  team_id: number | null;
  staff_id: number | null;
  strategy: string | null;
  reason: string;
  details: Json<Record<string, unknown>>;
  candidates: Json<unknown[]>;
  actor_type: string;
  actor_id: number | null;
  created_at: Timestamp;
}
