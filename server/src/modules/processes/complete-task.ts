import { type completeTaskBody, fieldShown, type ProcessTask, type reassignTaskBody, type StepField } from "@loopdesk/contracts/processes";
import type { Transaction } from "kysely";
import type { z } from "zod";
import type { DB, TicketRow } from "../../db/schema";
import type { StaffPrincipal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import { AppError, ConflictError, ForbiddenError, ValidationError } from "../../platform/errors";
import { checkValue } from "../custom-fields/custom-field-service";
import { notifyStaff } from "../notifications/notification-service";
import { staffExists } from "../staff/staff-service";
import { type Actor, recordTicketEvents } from "../tickets/ticket-events";
import { finishStep } from "./process-engine";
import { activateLevel, advance, evaluatorFor, flushEvents, loadRunning, logEvents, refreshAccess, type Running } from "./process-runtime";
import { lockTaskWithTicket, presentTask, presentTasks, type TaskRow } from "./process-tasks";

export const TaskFinishedError = (status: string) =>
  new AppError(409, "step_finished", "This step has already been finished (perhaps by someone else, or in another tab).", { status });

const isEmpty = (v: unknown) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

/** A step's form field as a custom field, to check and read its values as custom fields do. */
export const asFieldDefinition = (f: StepField) => ({
  ...f,
  id: 0,
  entity: "ticket" as const,
  position: 0,
  active: true,
  categoryIds: [],
  requiredWhen: null,
});

/**
 * Checks a step's answers against its form (types, options, patterns as custom fields do; required
 * fields that are shown). All problems at once, by `values.<key>`; answers of hidden fields are dropped.
 */
export function checkStepValues(form: StepField[], values: Record<string, unknown>) {
  const issues: { path: string; code: string; message: string }[] = [];
  const out: Record<string, unknown> = {};
  const known = new Set(form.map((f) => f.key));
  for (const key of Object.keys(values))
    if (!known.has(key)) issues.push({ path: `values.${key}`, code: "unknown_field", message: "No such field in this step." });
  for (const f of form) {
    if (!fieldShown(f, values)) continue;
    const v = values[f.key];
    if (isEmpty(v)) {
      if (f.required) issues.push({ path: `values.${f.key}`, code: "required", message: `${f.label} is required.` });
      continue;
    }
    const checked = checkValue(asFieldDefinition(f), v);
    if (checked.issue) issues.push({ path: `values.${f.key}`, code: checked.issue, message: `Invalid value for ${f.label}.` });
    else out[f.key] = checked.value;
  }
  if (issues.length) throw ValidationError(issues, "Some answers of the step are missing or wrong; nothing was changed.");
  return out;
}

/**
 * Finishes a task: a step's form, or an approver's decision. Of two people finishing the same task
 * (two agents, two tabs) one succeeds and the other gets 409. An approval passes its level when one
 * (any-of) or every (all-of) approver agrees, then the next level that applies; a rejection sends
 * the process back to the step the approval names, with the reason.
 */
export async function completeTask(
  ctx: AppContext,
  trx: Transaction<DB>,
  actorTask: { task: TaskRow; actor: Actor; staffId: number | null; ticket?: TicketRow; run?: Running },
  input: z.output<typeof completeTaskBody>,
): Promise<ProcessTask> {
  const { task, actor } = actorTask;
  if (task.status !== "active") throw TaskFinishedError(task.status);
  const run = actorTask.run ?? (await loadRunning(trx, task.instance_id, { lock: true, ticket: actorTask.ticket }));
  const node = run.g.node(task.node_id);
  if (node.type !== "task" && node.type !== "approval") throw ConflictError("This step cannot be finished by hand.");
  const values = checkStepValues(node.form, input.values);
  const decision = task.kind === "approval" ? input.decision : undefined;
  if (task.kind === "approval" && !decision) throw ValidationError([{ path: "decision", code: "required", message: "Approve or reject." }]);
  if (decision === "reject" && !input.comment)
    throw ValidationError([{ path: "comment", code: "required", message: "Say why it is rejected." }]);
  const status = decision === "approve" ? "approved" : decision === "reject" ? "rejected" : "done";
  const now = new Date();
  const updated = await trx
    .updateTable("process_tasks")
    .set({
      status,
      step_values: JSON.stringify(values),
      comment: input.comment ?? null,
      completed_at: now,
      completed_by: actorTask.staffId,
      // Finished straight from the pool: whoever finished it took it then.
      ...(task.assignee_id === null && actorTask.staffId !== null ? { assignee_id: actorTask.staffId } : {}),
      ...(task.claimed_at === null ? { claimed_at: now } : {}),
      version: task.version + 1,
    })
    .where("id", "=", task.id)
    .where("status", "=", "active")
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw TaskFinishedError("done");
  run.instance.step_values = {
    ...run.instance.step_values,
    [node.id]: {
      ...(run.instance.step_values[node.id] ?? {}),
      ...values,
      ...(decision ? { decision, approved: decision === "approve", comment: input.comment ?? "" } : {}),
    },
  };
  const name = node.name || node.id;
  const eventType =
    decision === "approve" ? "process_step_approved" : decision === "reject" ? "process_step_rejected" : "process_step_completed";
  logEvents(run, actor, [
    { type: eventType, data: { name, taskId: task.id, level: task.level, ...(input.comment ? { reason: input.comment } : {}) } },
  ]);
  const done = presentTask(updated, { node, processName: run.name, ticket: run.ticket });
  const participants = actorTask.staffId !== null ? [actorTask.staffId] : [];

  // An approval waits for the rest of its level (all-of), or goes on to its next level.
  if (node.type === "approval" && decision === "approve") {
    const level = node.levels[(task.level ?? 1) - 1];
    if (level?.mode === "all") {
      const open = await trx
        .selectFrom("process_tasks")
        .select("id")
        .where("instance_id", "=", run.instance.id)
        .where("node_id", "=", node.id)
        .where("status", "=", "active")
        .execute();
      if (open.length) {
        await saveValues(trx, run);
        await refreshAccess(ctx, trx, run.ticket.id, { change: "completed", taskId: task.id }, participants);
        return done;
      }
    } else await cancelOthers(trx, run, node.id, now);
    if (await activateLevel(ctx, trx, run, node, task.level ?? 1)) {
      await saveValues(trx, run);
      await refreshAccess(ctx, trx, run.ticket.id, { change: "completed", taskId: task.id }, participants);
      return done;
    }
  }
  if (node.type === "approval" && decision === "reject") await cancelOthers(trx, run, node.id, now);
  const evaluate = await evaluatorFor(trx, run);
  const flow = finishStep(run.g, run.instance.state, node.id, decision === "reject" ? "rejected" : "done", evaluate);
  if (decision === "reject" && node.type === "approval" && node.rejectTo) {
    const back = run.g.nodes.get(node.rejectTo);
    logEvents(run, actor, [{ type: "process_step_returned", data: { name: back?.name || node.rejectTo, reason: input.comment ?? "" } }]);
  }
  await advance(ctx, trx, run, flow, actor, node.id, { participants, taskId: task.id });
  return done;
}

/** The other approvers of a decided level need not decide any more. */
async function cancelOthers(trx: Transaction<DB>, run: Running, nodeId: string, now: Date) {
  await trx
    .updateTable("process_tasks")
    .set({ status: "cancelled", completed_at: now })
    .where("instance_id", "=", run.instance.id)
    .where("node_id", "=", nodeId)
    .where("status", "=", "active")
    .execute();
}

/** An approval level still open: its answers so far and its history. */
async function saveValues(trx: Transaction<DB>, run: Running) {
  await flushEvents(trx, run);
  await trx
    .updateTable("process_instances")
    .set({ step_values: JSON.stringify(run.instance.step_values) })
    .where("id", "=", run.instance.id)
    .execute();
}

/** Takes a pooled task (first claim wins), or hands a task to someone else with a reason. */
export async function reassignTask(
  ctx: AppContext,
  trx: Transaction<DB>,
  staff: StaffPrincipal,
  id: number,
  input: z.output<typeof reassignTaskBody> & { claim?: boolean },
) {
  const { task } = await lockTaskWithTicket(ctx.db, trx, staff, id);
  if (task.status !== "active") throw TaskFinishedError(task.status);
  if (input.claim && task.assignee_id !== null && task.assignee_id !== staff.id)
    throw new AppError(409, "step_taken", "Someone else has taken this step.");
  if (!input.claim && staff.role === "agent" && task.assignee_id !== staff.id)
    throw ForbiddenError("Only its holder or a supervisor hands a step on.");
  if (input.assigneeId !== null && !(await staffExists(trx, input.assigneeId)))
    throw ValidationError([{ path: "assigneeId", code: "unknown_reference", message: "Unknown staff member." }]);
  const updated = await trx
    .updateTable("process_tasks")
    .set({ assignee_id: input.assigneeId, claimed_at: input.assigneeId !== null ? new Date() : null, version: task.version + 1 })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordTicketEvents(trx, task.ticket_id, { type: "staff", id: staff.id }, [
    {
      type: "process_step_reassigned",
      data: { name: task.name, taskId: id, assigneeId: input.assigneeId, ...(input.reason ? { reason: input.reason } : {}) },
    },
  ]);
  if (input.assigneeId !== null && input.assigneeId !== staff.id)
    await notifyStaff(ctx, trx, [input.assigneeId], {
      type: "task_assigned",
      ticketId: task.ticket_id,
      data: { name: task.name, taskId: id },
    });
  await refreshAccess(ctx, trx, task.ticket_id, { change: "reassigned", taskId: id }, [staff.id]);
  return (await presentTasks(trx, [updated]))[0];
}
