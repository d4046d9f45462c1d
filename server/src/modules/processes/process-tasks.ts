import type { listTasksQuery, ProcessGraph, ProcessTask, StepField, StepNode } from "@loopdesk/contracts/processes";
import { type ExpressionBuilder, type Kysely, type Selectable, sql, type Transaction } from "kysely";
import type { z } from "zod";
import type { DB, TicketRow } from "../../db/schema";
import type { ProcessTasksTable } from "../../db/schema-processes";
import type { StaffPrincipal } from "../../platform/auth/principal";
import { ForbiddenError, NotFoundError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { routingDirectory } from "../routing/routing-directory";
import { ticketTitles } from "../tickets/ticket-lookup";
import { loadTaskRun } from "./process-runtime";

export type TaskRow = Selectable<ProcessTasksTable>;

/**
 * The departments (with those below them) and teams whose pools a staff member works from, from
 * routing's cached directory: no query per request. `root` keys the cache, `via` reads on a miss.
 */
export async function poolsOf(root: Kysely<DB>, via: Executor, staff: StaffPrincipal) {
  const dir = await routingDirectory(root, via);
  const departments = new Set(staff.departmentIds);
  // Below a department of theirs: walk each department's parents up to the top.
  for (const id of dir.parentOf.keys())
    for (let at = dir.parentOf.get(id) ?? null, guard = 0; at !== null && guard < 50; at = dir.parentOf.get(at) ?? null, guard++)
      if (staff.departmentIds.includes(at)) departments.add(id);
  const teams = [...dir.teams.values()].filter((t) => t.memberIds.includes(staff.id)).map((t) => t.teamId);
  return { departments: [...departments], teams };
}
type Pools = Awaited<ReturnType<typeof poolsOf>>;

/**
 * Tasks waiting for this person: assigned to them, or in a pool of theirs with nobody assigned —
 * their department's or team's, or their role's in one of their departments (a role task of a
 * ticket without a department is for everyone of that role).
 */
function mineFilter(staff: StaffPrincipal, pools: Pools) {
  return (eb: ExpressionBuilder<DB, "process_tasks">) => {
    const inDepartments = pools.departments.length ? eb("process_tasks.department_id", "in", pools.departments) : eb.lit(false);
    const inTeams = pools.teams.length ? eb("process_tasks.team_id", "in", pools.teams) : eb.lit(false);
    return eb.or([
      eb("process_tasks.assignee_id", "=", staff.id),
      eb.and([
        eb("process_tasks.assignee_id", "is", null),
        eb.or([
          eb.and([eb("process_tasks.role", "is", null), eb.or([inDepartments, inTeams])]),
          eb.and([eb("process_tasks.role", "=", staff.role), eb.or([inDepartments, eb("process_tasks.department_id", "is", null)])]),
        ]),
      ]),
    ]);
  };
}

/** Tasks of the caller's departments and teams, whoever holds them (what a supervisor oversees). */
function teamFilter(staff: StaffPrincipal, pools: Pools) {
  return (eb: ExpressionBuilder<DB, "process_tasks">) =>
    eb.or([
      mineFilter(staff, pools)(eb),
      ...(pools.departments.length ? [eb("process_tasks.department_id", "in", pools.departments)] : []),
      ...(pools.teams.length ? [eb("process_tasks.team_id", "in", pools.teams)] : []),
    ]);
}

/** Whether this person may finish, take or hand on the task: its holder, someone of its pool, a supervisor of its department, an admin. */
export function canAct(task: TaskRow, staff: StaffPrincipal, pools: Pools) {
  if (staff.role === "admin") return true;
  if (task.kind === "customer") return false;
  if (task.assignee_id === staff.id) return true;
  const inPool =
    (task.department_id !== null && pools.departments.includes(task.department_id)) ||
    (task.team_id !== null && pools.teams.includes(task.team_id));
  if (staff.role === "supervisor" && inPool) return true;
  if (task.assignee_id !== null) return false;
  if (task.role !== null) return task.role === staff.role && (task.department_id === null || inPool);
  return inPool;
}

/** Whether the person may see the task at all (else it is answered as not existing). */
export function canSee(task: TaskRow, staff: StaffPrincipal, pools: Pools) {
  if (canAct(task, staff, pools)) return true;
  return (
    task.completed_by === staff.id ||
    (task.department_id !== null && pools.departments.includes(task.department_id)) ||
    (task.team_id !== null && pools.teams.includes(task.team_id))
  );
}

/** The step nodes of the versions these tasks run on. */
async function stepNodes(db: Executor, rows: TaskRow[]) {
  const nodes = new Map<string, StepNode>();
  const names = new Map<number, string>();
  if (rows.length === 0) return { nodes, names };
  // Each version's graph once (a queue of 200 tasks usually runs on a handful of versions).
  const instances = await db
    .selectFrom("process_instances as i")
    .innerJoin("process_versions as v", "v.id", "i.version_id")
    .innerJoin("process_definitions as d", "d.id", "i.definition_id")
    .select([
      "i.id",
      "i.version_id",
      "d.name",
      sql<ProcessGraph | null>`case when row_number() over (partition by i.version_id order by i.id) = 1 then v.graph end`.as("graph"),
    ])
    .where("i.id", "in", [...new Set(rows.map((r) => r.instance_id))])
    .execute();
  const steps = new Map<number, Map<string, StepNode>>();
  for (const i of instances)
    if (i.graph)
      steps.set(i.version_id, new Map(i.graph.nodes.flatMap((n) => (n.type === "task" || n.type === "approval" ? [[n.id, n]] : []))));
  for (const i of instances) {
    names.set(i.id, i.name);
    for (const [id, n] of steps.get(i.version_id) ?? []) nodes.set(`${i.id}:${id}`, n);
  }
  return { nodes, names };
}

export async function presentTasks(db: Executor, rows: TaskRow[], now = new Date()): Promise<ProcessTask[]> {
  const [{ nodes, names }, titles] = await Promise.all([stepNodes(db, rows), ticketTitles(db, [...new Set(rows.map((r) => r.ticket_id))])]);
  return rows.map((r) =>
    presentTask(r, {
      node: nodes.get(`${r.instance_id}:${r.node_id}`),
      processName: names.get(r.instance_id) ?? "",
      ticket: titles.get(r.ticket_id),
      now,
    }),
  );
}

/** A task as the API shows it, from its row, its step's node, its process's name and its ticket's number and subject. */
export function presentTask(
  r: TaskRow,
  about: { node: StepNode | undefined; processName: string; ticket: { number: number; subject: string } | undefined; now?: Date },
): ProcessTask {
  const { node, ticket, now = new Date() } = about;
  return {
    id: r.id,
    instanceId: r.instance_id,
    ticketId: r.ticket_id,
    ticketNumber: ticket?.number ?? 0,
    ticketSubject: ticket?.subject ?? "",
    processName: about.processName,
    nodeId: r.node_id,
    name: r.name,
    kind: r.kind,
    status: r.status,
    level: r.level,
    departmentId: r.department_id,
    teamId: r.team_id,
    role: r.role,
    assigneeId: r.assignee_id,
    instructions: node?.instructions ?? "",
    form: (node?.form ?? []) as StepField[],
    values: r.step_values,
    comment: r.comment,
    dueAt: r.due_at?.toISOString() ?? null,
    overdue: r.status === "active" && r.due_at !== null && r.due_at < now,
    startedAt: r.started_at.toISOString(),
    completedAt: r.completed_at?.toISOString() ?? null,
    completedBy: r.completed_by,
    note: r.note,
    version: r.version,
  };
}

/** 我的待办 and the team's tasks: most urgent first (overdue, then soonest due, then oldest). */
export async function listTasks(db: Kysely<DB>, staff: StaffPrincipal, q: z.output<typeof listTasksQuery>) {
  const pools = await poolsOf(db, db, staff);
  let query = db.selectFrom("process_tasks").selectAll().limit(200);
  if (q.status === "active")
    query = query
      .where("status", "=", "active")
      .orderBy("due_at", (o) => o.asc().nullsLast())
      .orderBy("started_at");
  else query = query.where("status", "!=", "active").orderBy("completed_at", "desc");
  if (q.scope === "mine") query = query.where(mineFilter(staff, pools));
  else if (q.scope === "team" || staff.role !== "admin") query = query.where(teamFilter(staff, pools));
  if (q.ticketId) query = query.where("ticket_id", "=", q.ticketId);
  if (q.overdue) query = query.where("due_at", "<", new Date());
  return presentTasks(db, await query.execute());
}

/** How many tasks wait for this person (the 我的待办 badge). */
export async function countMyTasks(db: Kysely<DB>, staff: StaffPrincipal) {
  const pools = await poolsOf(db, db, staff);
  const row = await db
    .selectFrom("process_tasks")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "=", "active")
    .where(mineFilter(staff, pools))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A task the caller may see, locked for a change when asked; 404 when not theirs to see. */
export async function loadTask(
  root: Kysely<DB>,
  db: Executor,
  staff: StaffPrincipal,
  id: number,
  opts: { lock?: boolean; act?: boolean } = {},
) {
  let q = db.selectFrom("process_tasks").selectAll().where("id", "=", id);
  if (opts.lock) q = q.forUpdate();
  return checkTaskAccess(root, db, staff, await q.executeTakeFirst(), opts);
}

/** The task when the caller may see it (and act on it, when asked); else 404 (or 403 for one they only see). */
async function checkTaskAccess(root: Kysely<DB>, db: Executor, staff: StaffPrincipal, task: TaskRow | undefined, opts: { act?: boolean }) {
  const pools = await poolsOf(root, db, staff);
  if (!task || !canSee(task, staff, pools)) throw NotFoundError("Task");
  if (opts.act && !canAct(task, staff, pools)) throw ForbiddenError("This step is held by someone else.");
  return task;
}

/** A step of this ticket that asks its customer, locked for their answer; 404 otherwise. */
export async function loadCustomerTask(db: Executor, ticketId: number, taskId: number) {
  const task = await db
    .selectFrom("process_tasks")
    .selectAll()
    .where("id", "=", taskId)
    .where("ticket_id", "=", ticketId)
    .where("kind", "=", "customer")
    .forNoKeyUpdate()
    .executeTakeFirst();
  if (!task) throw NotFoundError("Task");
  return task;
}

/** The ticket a process instance runs on, or 404. */
export async function instanceTicketId(db: Executor, instanceId: number) {
  const row = await db.selectFrom("process_instances").select("ticket_id").where("id", "=", instanceId).executeTakeFirst();
  if (!row) throw NotFoundError("Process instance");
  return row.ticket_id;
}

/**
 * A task about to change, with its ticket (locked) and its running instance: every change to a
 * ticket takes the ticket's row first, so completions and ticket updates queue up instead of
 * deadlocking, and the task and instance read after the lock stay current until the commit.
 */
export async function lockTaskWithTicket(root: Kysely<DB>, trx: Transaction<DB>, staff: StaffPrincipal, id: number) {
  const ticket = await trx
    .selectFrom("tickets")
    .selectAll()
    .where("id", "=", (eb) => eb.selectFrom("process_tasks").select("ticket_id").where("id", "=", id))
    .forUpdate()
    .executeTakeFirst();
  const found = ticket ? await loadTaskRun(trx, ticket, id) : undefined;
  const task = await checkTaskAccess(root, trx, staff, found?.task, { act: true });
  return { task, ticket: ticket as TicketRow, run: (found as NonNullable<typeof found>).run };
}
