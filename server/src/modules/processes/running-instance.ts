import type { ProcessCondition, ProcessGraph } from "@loopdesk/contracts/processes";
import type { Selectable, Transaction } from "kysely";
import type { DB, TicketRow } from "../../db/schema";
import type { ProcessInstancesTable } from "../../db/schema-processes";
import { NotFoundError } from "../../platform/errors";
import { evaluateCondition } from "../automations/rule-conditions";
import { ruleFacts } from "../automations/rule-facts";
import { type Actor, type PendingTicketEvent, recordTicketEventRows, type TicketEventInput } from "../tickets/ticket-events";
import { GraphIndex } from "./process-engine";

/** A process instance loaded for a change: its row, graph, ticket, and the change's history so far. */
type InstanceRow = Selectable<ProcessInstancesTable>;

/** An instance with what running it needs, loaded once per change. */
export type Running = {
  instance: InstanceRow;
  g: GraphIndex;
  name: string;
  progress: { onStageComplete: boolean; waitingEveryHours: number | null };
  ticket: TicketRow;
  /** History of this change, written in one statement (before any message, and at the end). */
  pending: PendingTicketEvent[];
};

/**
 * An instance with its graph. Every change to an instance holds its ticket's row lock (taken
 * first, as every ticket change does): changes of one ticket's processes run one after another,
 * and never deadlock with the ticket's own updates. The instance is read after the lock, so it is
 * current; a caller that already holds the ticket's lock passes the ticket.
 */
export async function loadRunning(trx: Transaction<DB>, instanceId: number, opts: { lock: boolean; ticket?: TicketRow }): Promise<Running> {
  let ticket = opts.ticket;
  if (!ticket) {
    let tq = trx
      .selectFrom("tickets")
      .selectAll()
      .where("id", "=", (eb) => eb.selectFrom("process_instances").select("ticket_id").where("id", "=", instanceId));
    if (opts.lock) tq = tq.forNoKeyUpdate();
    ticket = await tq.executeTakeFirst();
  }
  if (!ticket) throw NotFoundError("Process instance");
  const row = await trx
    .selectFrom("process_instances as i")
    .innerJoin("process_versions as v", "v.id", "i.version_id")
    .innerJoin("process_definitions as d", "d.id", "i.definition_id")
    .selectAll("i")
    .select(["v.graph", "v.progress", "d.name"])
    .where("i.id", "=", instanceId)
    .executeTakeFirstOrThrow();
  const { graph, progress, name, ...instance } = row;
  return { instance, g: new GraphIndex(graph as ProcessGraph), name, progress, ticket, pending: [] };
}

/**
 * A task and its running instance in one read, for a caller holding the task's ticket's lock (so
 * both are current, and stay so: every change to a process takes that lock first).
 */
export async function loadTaskRun(trx: Transaction<DB>, ticket: TicketRow, taskId: number) {
  const row = await trx
    .selectFrom("process_tasks as t")
    .innerJoin("process_instances as i", "i.id", "t.instance_id")
    .innerJoin("process_versions as v", "v.id", "i.version_id")
    .innerJoin("process_definitions as d", "d.id", "i.definition_id")
    .selectAll("t")
    .select([
      "i.definition_id",
      "i.version_id",
      "i.status as instance_status",
      "i.state",
      "i.step_values as instance_values",
      "i.parent_instance_id",
      "i.parent_node_id",
      "i.started_by_type",
      "i.started_by_id",
      "i.started_at as instance_started_at",
      "i.finished_at",
      "i.row_version",
      "v.graph",
      "v.progress",
      "d.name as process_name",
    ])
    .where("t.id", "=", taskId)
    .where("t.ticket_id", "=", ticket.id)
    .executeTakeFirst();
  if (!row) return undefined;
  const {
    definition_id,
    version_id,
    instance_status,
    state,
    instance_values,
    parent_instance_id,
    parent_node_id,
    started_by_type,
    started_by_id,
    instance_started_at,
    finished_at,
    row_version,
    graph,
    progress,
    process_name,
    ...task
  } = row;
  const instance: InstanceRow = {
    id: task.instance_id,
    ticket_id: ticket.id,
    definition_id,
    version_id,
    status: instance_status,
    state,
    step_values: instance_values,
    parent_instance_id,
    parent_node_id,
    started_by_type,
    started_by_id,
    started_at: instance_started_at,
    finished_at,
    row_version,
  };
  const run: Running = { instance, g: new GraphIndex(graph as ProcessGraph), name: process_name, progress, ticket, pending: [] };
  return { task, run };
}

/** Adds to the history of the change under way (written by flushEvents). */
export function logEvents(run: Running, actor: Actor, events: TicketEventInput[]) {
  const at = new Date();
  for (const event of events) run.pending.push({ actor, event, at });
}

export async function flushEvents(trx: Transaction<DB>, run: Running) {
  const rows = run.pending.splice(0);
  await recordTicketEventRows(trx, run.ticket.id, rows);
}

/** Conditions of gateways and approval levels read the ticket, its customer and the steps' forms. */
export async function evaluatorFor(trx: Transaction<DB>, run: Running) {
  // A graph without conditions reads nothing (most chains): no facts query per step.
  const conditional =
    run.g.graph.edges.some((e) => e.when.length > 0) ||
    run.g.graph.nodes.some((n) => n.type === "approval" && n.levels.some((l) => l.when.length > 0));
  if (!conditional) return (conds: ProcessCondition[]) => conds.length === 0;
  const facts = { ...(await ruleFacts(trx, run.ticket)), steps: run.instance.step_values };
  return (conds: ProcessCondition[]) => conds.every((c) => evaluateCondition(c as Parameters<typeof evaluateCondition>[0], facts).passed);
}
