import type { ProcessGraph } from "@loopdesk/contracts/processes";
import type { Generated } from "kysely";
import type { Timestamp, NullableTimestamp, Json } from "./column-types";

/** Kysely table types of processes (migration 0042); part of `DB`. */
type StartRule = { enabled: boolean; when: unknown[] };
/** Where a running instance's tokens are: steps waiting on people, branches that reached each join. */
export type EngineState = {
  active: string[];
  /** Join node → the incoming edges whose branch has arrived. */
  joins: Record<string, string[]>;
  ended: null | "completed" | "rejected";
};
type Progress = { onStageComplete: boolean; waitingEveryHours: number | null };

export interface ProcessDefinitionsTable {
  id: Generated<number>;
  key: string;
  name: string;
  description: Generated<string>;
  graph: Json<ProcessGraph>;
  start_rule: Json<StartRule>;
  progress: Json<Progress>;
  active: Generated<boolean>;
  current_version: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProcessVersionsTable {
  id: Generated<number>;
  definition_id: number;
  version: number;
  graph: Json<ProcessGraph>;
  start_rule: Json<StartRule>;
  progress: Json<Progress>;
  published_at: Timestamp;
  published_by: number | null;
}

export interface ProcessInstancesTable {
  id: Generated<number>;
  ticket_id: number;
  definition_id: number;
  version_id: number;
  status: Generated<"running" | "completed" | "rejected" | "cancelled">;
  state: Json<EngineState>;
  /** Node id → the values its form collected. */
  step_values: Json<Record<string, Record<string, unknown>>>;
  parent_instance_id: number | null;
  parent_node_id: string | null;
  started_by_type: string;
  started_by_id: number | null;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  row_version: Generated<number>;
}

export interface ProcessTasksTable {
  id: Generated<number>;
  instance_id: number;
  ticket_id: number;
  node_id: string;
  name: string;
  kind: "task" | "approval" | "customer";
  status: Generated<"active" | "done" | "approved" | "rejected" | "cancelled">;
  level: number | null;
  slot: Generated<number>;
  department_id: number | null;
  team_id: number | null;
  role: string | null;
  assignee_id: number | null;
  step_values: Json<Record<string, unknown>>;
  comment: string | null;
  note: string | null;
  due_at: NullableTimestamp;
  warn_at: NullableTimestamp;
  warned_at: NullableTimestamp;
  escalated_at: NullableTimestamp;
  nudged_at: NullableTimestamp;
  started_at: Timestamp;
  claimed_at: NullableTimestamp;
  completed_at: NullableTimestamp;
  completed_by: number | null;
  version: Generated<number>;
}
