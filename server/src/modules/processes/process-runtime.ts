import type { ProcessGraph, StepNode } from "@loopdesk/contracts/processes";
import type { Transaction } from "kysely";
import type { DB } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors";
import { customerContact } from "../customers/customer-service";
import { notifyStaff } from "../notifications/notification-service";
import { addSystemMessage } from "../tickets/add-system-message";
import { emitTicketEvent } from "../tickets/emit-ticket-event";
import { type Actor, recordTicketEvents, systemActor, ticketEventInsert } from "../tickets/ticket-events";
import { lockTicket } from "../tickets/ticket-lookup";
import { type StepAccessExecutor, setStepAccess } from "../tickets/ticket-step-access";
import { type Flow, finishStep, GraphIndex, startFlow } from "./process-engine";
import { runnableVersion } from "./process-definitions";
import { markCustomerStepInUse } from "./customer-step-usage";
import { progressTexts } from "./progress-texts";
import { type Holder, resolveHolder, stepDue } from "./step-holders";

import { type Running, evaluatorFor, flushEvents, loadRunning, logEvents } from "./running-instance";

export { evaluatorFor, flushEvents, loadRunning, loadTaskRun, logEvents, type Running } from "./running-instance";

/**
 * Starts a process on a ticket (by a person, a rule or the API; or as a sub-process of another
 * instance). A ticket runs one instance of a process at a time.
 */
export async function startProcess(
  ctx: AppContext,
  trx: Transaction<DB>,
  ticketId: number,
  key: string,
  actor: Actor,
  parent?: { instanceId: number; nodeId: string },
) {
  const version = await runnableVersion(trx, key);
  if (!version) throw ValidationError([{ path: "processKey", code: "unknown_process", message: "No published process with this key." }]);
  const ticket = await lockTicket(trx, ticketId);
  if (!ticket) throw NotFoundError("Ticket");
  if (["closed"].includes(ticket.status)) throw ConflictError("The ticket is closed.");
  if (!parent) {
    const running = await trx
      .selectFrom("process_instances")
      .select("id")
      .where("ticket_id", "=", ticketId)
      .where("definition_id", "=", version.definitionId)
      .where("status", "=", "running")
      .executeTakeFirst();
    if (running) throw ConflictError("This process is already running on the ticket.", { instanceId: running.id });
  }
  const instance = await trx
    .insertInto("process_instances")
    .values({
      ticket_id: ticketId,
      definition_id: version.definitionId,
      version_id: version.versionId,
      state: JSON.stringify({ active: [], joins: {}, ended: null }),
      parent_instance_id: parent?.instanceId ?? null,
      parent_node_id: parent?.nodeId ?? null,
      started_by_type: actor.type,
      started_by_id: actor.id,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const run: Running = {
    instance,
    g: new GraphIndex(version.graph as ProcessGraph),
    name: version.name,
    progress: version.progress,
    ticket,
    pending: [],
  };
  logEvents(run, actor, [{ type: "process_started", data: { name: version.name, instanceId: instance.id, version: version.version } }]);
  const flow = startFlow(run.g, await evaluatorFor(trx, run));
  await advance(ctx, trx, run, flow, actor, null);
  return instance.id;
}

type TaskInsert = { holder: Holder; level: number | null; slot: number };

/** Creates the tasks of a step that became active; answers true when the step needs nobody (and so is already done). */
async function activate(ctx: AppContext, trx: Transaction<DB>, run: Running, nodeId: string, actor: Actor): Promise<boolean> {
  const node = run.g.node(nodeId);
  if (node.type === "subprocess") {
    // The parent's history so far comes before the sub-process's.
    await flushEvents(trx, run);
    const child = await startProcess(ctx, trx, run.ticket.id, node.processKey, actor, { instanceId: run.instance.id, nodeId });
    const done = await trx.selectFrom("process_instances").select("status").where("id", "=", child).executeTakeFirstOrThrow();
    return done.status !== "running";
  }
  if (node.type === "task") {
    const holder = await resolveHolder(ctx, trx, run.ticket, node.owner);
    await insertTasks(ctx, trx, run, node, [{ holder, level: null, slot: 0 }]);
    return false;
  }
  if (node.type === "approval") return !(await activateLevel(ctx, trx, run, node, 0));
  return true;
}

/** Activates the first approval level from `from` whose conditions hold; false when none is left. */
export async function activateLevel(ctx: AppContext, trx: Transaction<DB>, run: Running, node: StepNode, from: number) {
  if (node.type !== "approval") return false;
  const evaluate = await evaluatorFor(trx, run);
  for (let i = from; i < node.levels.length; i++) {
    const level = node.levels[i];
    if (!level || !evaluate(level.when)) continue;
    const holders: TaskInsert[] = [];
    for (const [slot, approver] of level.approvers.entries())
      holders.push({ holder: await resolveHolder(ctx, trx, run.ticket, approver), level: i + 1, slot });
    await insertTasks(ctx, trx, run, node, holders);
    return true;
  }
  return false;
}

async function insertTasks(ctx: AppContext, trx: Transaction<DB>, run: Running, node: StepNode, items: TaskInsert[]) {
  const now = new Date();
  const { dueAt, warnAt } = await stepDue(trx, node, now);
  for (const { holder, level, slot } of items) {
    const task = await trx
      .insertInto("process_tasks")
      .values({
        instance_id: run.instance.id,
        ticket_id: run.ticket.id,
        node_id: node.id,
        name: node.name || node.id,
        kind: node.type === "approval" ? "approval" : holder.kind,
        level,
        slot,
        department_id: holder.departmentId,
        team_id: holder.teamId,
        role: holder.role,
        assignee_id: holder.assigneeId,
        step_values: JSON.stringify({}),
        note: holder.note,
        due_at: dueAt,
        warn_at: warnAt,
        started_at: now,
        claimed_at: holder.assigneeId !== null ? now : null,
      })
      .returning(["id"])
      .executeTakeFirstOrThrow();
    logEvents(run, systemActor, [
      {
        type: "process_step_started",
        data: {
          name: node.name || node.id,
          taskId: task.id,
          assigneeId: holder.assigneeId,
          departmentId: holder.departmentId,
          // A step for a department's supervisors or admins (an approval's countersigners) says so.
          ...(holder.role ? { role: holder.role } : {}),
          // An approval's signature is asked at its level (the history reads "awaits X's approval").
          ...(level !== null ? { level } : {}),
          // A step the customer does waits for them (the history reads "waits for the customer").
          ...(holder.kind === "customer" ? { customer: true } : {}),
          ...(holder.note ? { reason: holder.note } : {}),
        },
      },
    ]);
    if (holder.kind === "customer") await askCustomer(ctx, trx, run, node);
    else if (holder.assigneeId !== null)
      await notifyStaff(ctx, trx, [holder.assigneeId], {
        type: "task_assigned",
        ticketId: run.ticket.id,
        data: { name: node.name || node.id, taskId: task.id },
      });
  }
}

/** A step the customer holds: one message listing what to fill in, answered on the portal. */
async function askCustomer(ctx: AppContext, trx: Transaction<DB>, run: Running, node: StepNode) {
  markCustomerStepInUse(ctx);
  const customer = await customerContact(trx, run.ticket.customer_id);
  const texts = progressTexts(customer.locale);
  const lines = node.form.map((f) => `- ${f.label}${f.helpText ? `（${f.helpText}）` : ""}`).join("\n");
  const body = texts.ask(node.name, lines, `${ctx.config.publicUrl}/tickets/${run.ticket.id}`);
  await flushEvents(trx, run);
  await addSystemMessage(ctx, trx, run.ticket, { visibility: "public", body }, { kind: "process", id: run.instance.id, name: run.name });
}

/**
 * Applies a flow's result: creates the tasks of the steps that became active (steps that need
 * nobody finish at once), saves where the tokens are, ends the instance (and continues its
 * parent) when it is done, tells the customer a finished stage, and opens the ticket to the
 * departments now holding steps.
 */
export async function advance(
  ctx: AppContext,
  trx: Transaction<DB>,
  run: Running,
  flow: Flow,
  actor: Actor,
  finished: string | null,
  opts: { participants?: number[]; taskId?: number } = {},
) {
  // The customer hears a stage is done before anything the next steps ask of them.
  if (finished) await tellStageDone(ctx, trx, run, finished, flow.state.active, flow.state.ended);
  let current = flow;
  const evaluate = await evaluatorFor(trx, run);
  for (let guard = 0; guard < 100; guard++) {
    const instant: string[] = [];
    for (const nodeId of current.activated) if (await activate(ctx, trx, run, nodeId, actor)) instant.push(nodeId);
    if (instant.length === 0) break;
    let state = current.state;
    const activated: string[] = [];
    for (const nodeId of instant) {
      const next = finishStep(run.g, state, nodeId, "done", evaluate);
      state = next.state;
      activated.push(...next.activated);
    }
    current = { state, activated, trail: [] };
  }
  const state = current.state;
  const ended = state.ended;
  if (ended) {
    await trx
      .updateTable("process_tasks")
      .set({ status: "cancelled", completed_at: new Date() })
      .where("instance_id", "=", run.instance.id)
      .where("status", "=", "active")
      .execute();
    logEvents(run, actor, [
      { type: ended === "completed" ? "process_completed" : "process_rejected", data: { name: run.name, instanceId: run.instance.id } },
    ]);
  }
  // Where the tokens are and the change's history, saved in the statement that opens the ticket to the steps' holders.
  const history = run.pending.splice(0);
  const saved = trx.with("saved_instance", (qb) =>
    qb
      .updateTable("process_instances")
      .set({
        state: JSON.stringify(state),
        step_values: JSON.stringify(run.instance.step_values),
        row_version: run.instance.row_version + 1,
        ...(ended ? { status: ended, finished_at: new Date() } : {}),
      })
      .where("id", "=", run.instance.id),
  );
  const via = history.length ? saved.with("history", (qb) => ticketEventInsert(qb, run.ticket.id, history)) : saved;
  run.instance = { ...run.instance, state, row_version: run.instance.row_version + 1, ...(ended ? { status: ended } : {}) };
  await refreshAccess(ctx, trx, run.ticket.id, { change: ended ? "ended" : "advanced", taskId: opts.taskId }, opts.participants, via);
  if (ended && run.instance.parent_instance_id !== null && run.instance.parent_node_id !== null) {
    const parent = await loadRunning(trx, run.instance.parent_instance_id, { lock: true, ticket: run.ticket });
    if (parent.instance.status === "running" && parent.instance.state.active.includes(run.instance.parent_node_id)) {
      const outcome = ended === "completed" ? "done" : "rejected";
      const flowUp = finishStep(parent.g, parent.instance.state, run.instance.parent_node_id, outcome, await evaluatorFor(trx, parent));
      await advance(ctx, trx, parent, flowUp, actor, run.instance.parent_node_id);
    }
  }
}

/** A stage (the customer's name for a group of steps) is done when none of its steps is still active. */
async function tellStageDone(
  ctx: AppContext,
  trx: Transaction<DB>,
  run: Running,
  finished: string,
  active: string[],
  ended: string | null,
) {
  if (!run.progress.onStageComplete) return;
  const node = run.g.nodes.get(finished);
  const stage = node && "stage" in node ? node.stage : "";
  if (!stage) return;
  const stageOf = (id: string) => {
    const n = run.g.nodes.get(id);
    return n && "stage" in n ? n.stage : "";
  };
  if (active.some((id) => stageOf(id) === stage)) return;
  const next = [...new Set(active.map(stageOf).filter((s) => s && s !== stage))];
  const customer = await customerContact(trx, run.ticket.customer_id);
  const texts = progressTexts(customer.locale);
  const body = ended === "completed" || (ended === null && next.length === 0) ? texts.stageDoneLast(stage) : texts.stageDone(stage, next);
  if (ended === "rejected") return;
  await flushEvents(trx, run);
  await addSystemMessage(ctx, trx, run.ticket, { visibility: "public", body }, { kind: "process", id: run.instance.id, name: run.name });
  logEvents(run, systemActor, [{ type: "process_progress_sent", data: { name: stage, next } }]);
}

/**
 * The ticket opens to the departments holding its active steps (and those who held one); live
 * views refresh. `via` carries a change to write in the same statement (the instance's state).
 */
export async function refreshAccess(
  ctx: AppContext,
  trx: Transaction<DB>,
  ticketId: number,
  event: { change: string; taskId?: number },
  participants: number[] = [],
  via: StepAccessExecutor = trx,
) {
  const ticket = await setStepAccess(via, ticketId, participants);
  await emitTicketEvent(ctx, trx, "ticket.task_changed", ticket, { taskId: event.taskId ?? 0, change: event.change });
}

/** Cancels a running instance (and its sub-processes) with a reason. */
export async function cancelInstance(ctx: AppContext, trx: Transaction<DB>, instanceId: number, actor: Actor, reason: string) {
  const run = await loadRunning(trx, instanceId, { lock: true });
  if (run.instance.status !== "running") throw ConflictError("The process is not running.");
  const children = await trx
    .selectFrom("process_instances")
    .select("id")
    .where("parent_instance_id", "=", instanceId)
    .where("status", "=", "running")
    .execute();
  for (const c of children) await cancelInstance(ctx, trx, c.id, actor, reason);
  await trx
    .updateTable("process_instances")
    .set({ status: "cancelled", finished_at: new Date(), row_version: run.instance.row_version + 1 })
    .where("id", "=", instanceId)
    .execute();
  await trx
    .updateTable("process_tasks")
    .set({ status: "cancelled", completed_at: new Date() })
    .where("instance_id", "=", instanceId)
    .where("status", "=", "active")
    .execute();
  await recordTicketEvents(trx, run.ticket.id, actor, [{ type: "process_cancelled", data: { name: run.name, instanceId, reason } }]);
  await refreshAccess(ctx, trx, run.ticket.id, { change: "cancelled" });
}
