import type { ProcessCondition, ProcessGraph } from "@loopdesk/contracts/processes";
import { type Transaction, sql } from "kysely";
import type { DB } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import { usageFlag } from "../../platform/events/usage-flag";
import { enqueue, enqueueUnlessWaiting } from "../../platform/jobs/job-queue";
import { evaluateCondition } from "../automations/rule-conditions";
import { ruleFacts } from "../automations/rule-facts";
import { customerContact } from "../customers/customer-service";
import { notifyStaff } from "../notifications/notification-service";
import { staffOfDepartments, supervisorIdsFor } from "../staff/staff-service";
import { addSystemMessage } from "../tickets/add-system-message";
import { recordTicketEvents, systemActor } from "../tickets/ticket-events";
import { lockTicket } from "../tickets/ticket-lookup";
import { autoStartVersions } from "./process-definitions";
import { startProcess } from "./process-runtime";
import { progressTexts } from "./progress-texts";
import { resolveHolder } from "./step-holders";

const SWEEP_QUEUE = "process.sweep";
const BATCH = 200;

/** Whether any published process starts by itself (then every new ticket is checked against it). */
const autoStartUsage = usageFlag(async (db) => (await autoStartVersions(db)).some((v) => v.start_rule.enabled));

/** Marks auto-start in use at once in this process (after publishing a process with a start rule). */
export const markAutoStartInUse = (ctx: AppContext) => autoStartUsage.markInUse(ctx.db);

/**
 * Processes' background work: starting a process on a new ticket its start rule matches, and a
 * sweep that warns a step's holder before its target time, escalates at it, and tells the
 * customer a step is still in hand when it has waited long (so nobody is left hanging).
 */
export function registerProcessJobs(ctx: AppContext) {
  ctx.events.subscribe({
    name: "process-start",
    types: ["ticket.created"],
    active: () => autoStartUsage.inUse(ctx.db),
    handle: async (event, { trx }) => {
      const ticket = await lockTicket(trx, event.aggregateId);
      if (!ticket) return;
      const facts = await ruleFacts(trx, ticket);
      for (const v of await autoStartVersions(trx)) {
        if (!v.start_rule.enabled) continue;
        const when = v.start_rule.when as ProcessCondition[];
        if (!when.every((c) => evaluateCondition(c as Parameters<typeof evaluateCondition>[0], facts).passed)) continue;
        const running = await trx
          .selectFrom("process_instances as i")
          .innerJoin("process_definitions as d", "d.id", "i.definition_id")
          .select("i.id")
          .where("i.ticket_id", "=", ticket.id)
          .where("d.key", "=", v.key)
          .executeTakeFirst();
        if (!running) await startProcess(ctx, trx, ticket.id, v.key, systemActor);
      }
    },
  });

  ctx.jobs.define({
    queue: SWEEP_QUEUE,
    handler: async (_payload, { trx }) => {
      const now = new Date();
      const [warn, due] = await Promise.all([
        trx
          .selectFrom("process_tasks")
          .selectAll()
          .where("status", "=", "active")
          .where("warned_at", "is", null)
          .where("warn_at", "<=", now)
          .orderBy("warn_at")
          .limit(BATCH)
          .execute(),
        trx
          .selectFrom("process_tasks")
          .selectAll()
          .where("status", "=", "active")
          .where("escalated_at", "is", null)
          .where("due_at", "<=", now)
          .orderBy("due_at")
          .limit(BATCH)
          .execute(),
      ]);
      for (const task of warn) {
        await trx.updateTable("process_tasks").set({ warned_at: now }).where("id", "=", task.id).execute();
        const to = task.assignee_id !== null ? [task.assignee_id] : await poolPeople(trx, task.department_id);
        await notifyStaff(ctx, trx, to, { type: "task_warning", ticketId: task.ticket_id, data: { name: task.name, dueAt: task.due_at } });
      }
      for (const task of due) await escalate(ctx, trx, task, now);
      await nudgeCustomers(ctx, trx, now);
      const full = warn.length === BATCH || due.length === BATCH;
      const next = new Date(Date.now() + (full ? 0 : 60_000));
      await enqueue(trx, SWEEP_QUEUE, {}, { runAt: next, dedupeKey: `process-sweep:${next.toISOString()}` });
    },
  });
}

async function poolPeople(trx: Transaction<DB>, departmentId: number | null) {
  return departmentId !== null ? staffOfDepartments(trx, [departmentId]) : [];
}

type TaskRow = {
  id: number;
  ticket_id: number;
  instance_id: number;
  node_id: string;
  name: string;
  department_id: number | null;
  assignee_id: number | null;
};

/** A step past its target: recorded once, and its escalation owner (else the department's supervisors) told and able to take it. */
async function escalate(ctx: AppContext, trx: Transaction<DB>, task: TaskRow, now: Date) {
  await trx.updateTable("process_tasks").set({ escalated_at: now }).where("id", "=", task.id).execute();
  const version = await trx
    .selectFrom("process_instances as i")
    .innerJoin("process_versions as v", "v.id", "i.version_id")
    .select("v.graph")
    .where("i.id", "=", task.instance_id)
    .executeTakeFirst();
  const node = (version?.graph as ProcessGraph | undefined)?.nodes.find((n) => n.id === task.node_id);
  const escalateTo = node && (node.type === "task" || node.type === "approval") ? node.target?.escalateTo : null;
  let to: number[];
  const ticket = await lockTicket(trx, task.ticket_id);
  if (escalateTo && ticket) {
    const holder = await resolveHolder(ctx, trx, ticket, escalateTo);
    to = holder.assigneeId !== null ? [holder.assigneeId] : await supervisorIdsFor(trx, holder.departmentId);
  } else to = await supervisorIdsFor(trx, task.department_id ?? ticket?.department_id ?? null);
  await recordTicketEvents(trx, task.ticket_id, systemActor, [
    { type: "process_step_escalated", data: { name: task.name, taskId: task.id, assigneeId: to[0] ?? null } },
  ]);
  await notifyStaff(ctx, trx, to, { type: "task_escalated", ticketId: task.ticket_id, data: { name: task.name } });
}

/** Customers of steps that have waited longer than their process's interval hear that it is still in hand. */
async function nudgeCustomers(ctx: AppContext, trx: Transaction<DB>, now: Date) {
  const rows = await trx
    .selectFrom("process_tasks as t")
    .innerJoin("process_instances as i", "i.id", "t.instance_id")
    .innerJoin("process_versions as v", "v.id", "i.version_id")
    .select(["t.id", "t.ticket_id", "t.node_id", "t.name", "t.started_at", "t.nudged_at", "v.progress", "v.graph"])
    .where("t.status", "=", "active")
    .where("t.kind", "!=", "customer")
    .where("i.parent_instance_id", "is", null)
    // The shortest interval is an hour: only steps quiet for that long are looked at.
    .where(sql<Date>`coalesce(t.nudged_at, t.started_at)`, "<", new Date(now.getTime() - 3_600_000))
    .orderBy("t.started_at")
    .limit(BATCH)
    .execute();
  const told = new Set<number>();
  for (const r of rows) {
    const every = r.progress.waitingEveryHours;
    if (!every || told.has(r.ticket_id)) continue;
    const last = r.nudged_at ?? r.started_at;
    if (now.getTime() - last.getTime() < every * 3_600_000) continue;
    const node = (r.graph as ProcessGraph).nodes.find((n) => n.id === r.node_id);
    const stage = (node && "stage" in node && node.stage) || r.name;
    const ticket = await lockTicket(trx, r.ticket_id);
    if (!ticket || ["solved", "closed"].includes(ticket.status)) continue;
    told.add(r.ticket_id);
    const customer = await customerContact(trx, ticket.customer_id);
    const hours = Math.floor((now.getTime() - r.started_at.getTime()) / 3_600_000);
    await addSystemMessage(
      ctx,
      trx,
      ticket,
      { visibility: "public", body: progressTexts(customer.locale).waiting(stage, hours) },
      { kind: "process", id: r.id, name: stage },
    );
    await trx
      .updateTable("process_tasks")
      .set({ nudged_at: now })
      .where("ticket_id", "=", r.ticket_id)
      .where("status", "=", "active")
      .execute();
    await recordTicketEvents(trx, r.ticket_id, systemActor, [
      { type: "process_progress_sent", data: { name: stage, waitingHours: hours } },
    ]);
  }
}

/** Makes sure one sweep is scheduled (idempotent across restarts and processes). */
export async function scheduleProcessJobs(ctx: AppContext) {
  await enqueueUnlessWaiting(ctx.db, SWEEP_QUEUE, { dedupeKey: `process-sweep:start:${new Date().toISOString().slice(0, 13)}` });
}
