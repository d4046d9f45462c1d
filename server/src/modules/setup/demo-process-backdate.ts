import { type ExpressionBuilder, type Transaction, sql } from "kysely";
import type { DB } from "../../db/schema";
import type { Rng } from "./demo-rng";
import { scheduleSteps } from "./demo-step-times";
const HOUR = 3_600_000;

/** Typical hours a step takes in the demo (so the process report shows where instances wait). */
const STEP_HOURS: Record<string, [number, number]> = {
  review: [0.5, 4],
  receive: [6, 40],
  approve: [1, 10],
  refund: [1, 8],
  confirm: [0.5, 3],
  precheck: [1, 6],
  register: [0.3, 2],
  audit: [2, 12],
  issue: [1, 6],
  intake: [0.2, 1],
  dispatch: [0.5, 4],
  onsite: [8, 36],
  signoff: [2, 30],
  frontline: [0.2, 1],
  supervisor: [2, 10],
  qa: [4, 20],
};

/** The steps of a process instance and of its sub-processes. */
export const familyTasks = (db: Transaction<DB>, instanceId: number) =>
  db
    .selectFrom("process_tasks")
    .selectAll()
    .where(
      "instance_id",
      "in",
      sql<number>`(select id from process_instances where id = ${instanceId} or parent_instance_id = ${instanceId})`,
    );

/**
 * Moves an instance's times back to when its ticket was worked: from soon after the ticket came to its
 * agent, each step its typical time (parallel ones side by side: demo-step-times.ts), until `end`.
 */
export async function backdate(db: Transaction<DB>, r: Rng, instanceId: number, afterEvent: number, created: Date, end: Date) {
  const tasks = await familyTasks(db, instanceId).orderBy("id").execute();
  const durations = tasks.map((t) => {
    const [lo, hi] = STEP_HOURS[t.node_id] ?? [1, 8];
    return (lo + r.next() * (hi - lo)) * HOUR;
  });
  const total = durations.reduce((a, b) => a + b, 0);
  // Twenty minutes after the ticket came to the agent who holds it (its last assignment) — sooner for
  // a ticket that arrived minutes ago (never after `end`: a process of the newest tickets must not
  // start in the future).
  const ticketId = tasks[0]?.ticket_id ?? 0;
  const assigned = await db
    .selectFrom("ticket_events")
    .select((eb) => eb.fn.max("created_at").as("at"))
    .where("ticket_id", "=", ticketId)
    .where("id", "<=", afterEvent)
    .where("type", "=", "assigned")
    .executeTakeFirst();
  const from = Math.max(created.getTime(), assigned?.at ? new Date(assigned.at).getTime() : 0);
  const startAt = Math.min(
    from + Math.min(20 * 60_000, Math.max(end.getTime() - from, 0) / 3),
    Math.max(end.getTime() - 60_000, created.getTime()),
  );
  // Squeeze the steps into the time the ticket had, when it had less.
  const room = Math.max(end.getTime() - startAt, 60_000);
  const scale = Math.min(1, room / Math.max(total, 1));
  // Who held each step when it started: its start event names a person, or a pool.
  const pooled = new Set(
    (
      await db
        .selectFrom("ticket_events")
        .select("data")
        .where("ticket_id", "=", ticketId)
        .where("id", ">", afterEvent)
        .where("type", "=", "process_step_started")
        .execute()
    )
      .map((e) => e.data as { taskId?: number; assigneeId?: number | null })
      .filter((d) => d.assigneeId == null)
      .map((d) => d.taskId),
  );
  const lengths = new Map(tasks.map((t, i) => [t.id, (durations[i] ?? HOUR) * scale]));
  const schedule = scheduleSteps(
    tasks.map((t) => ({ id: t.id, startedAt: t.started_at, completedAt: t.completed_at })),
    lengths,
    startAt,
    end.getTime(),
  );
  const times = new Map<number, { start: Date; end: Date | null }>();
  for (const t of tasks) {
    const planned = schedule.get(t.id) ?? { start: startAt, end: null };
    const start = new Date(planned.start);
    const finish = planned.end === null ? null : new Date(planned.end);
    times.set(t.id, { start, end: finish });
    const target = t.due_at ? t.due_at.getTime() - t.started_at.getTime() : null;
    const warnAhead = t.due_at && t.warn_at ? t.due_at.getTime() - t.warn_at.getTime() : 0;
    await db
      .updateTable("process_tasks")
      .set({
        started_at: start,
        // A step held by a pool waits a while before someone takes it; one given to a person is theirs at once.
        claimed_at: finish
          ? new Date(pooled.has(t.id) ? start.getTime() + (finish.getTime() - start.getTime()) * r.between(0.2, 0.6) : start.getTime())
          : t.claimed_at
            ? start
            : null,
        completed_at: finish,
        due_at: target !== null ? new Date(start.getTime() + target) : null,
        warn_at: target !== null ? new Date(start.getTime() + target - warnAhead) : null,
        warned_at: finish ? start : null,
      })
      .where("id", "=", t.id)
      .execute();
  }
  const last = Math.max(startAt, ...[...times.values()].map((x) => (x.end ?? x.start).getTime()));
  const family = (eb: ExpressionBuilder<DB, "process_instances">) =>
    eb.or([eb("id", "=", instanceId), eb("parent_instance_id", "=", instanceId)]);
  await db
    .updateTable("process_instances")
    .set({ started_at: new Date(startAt) })
    .where(family)
    .execute();
  await db
    .updateTable("process_instances")
    .set({ finished_at: new Date(last) })
    .where(family)
    .where("finished_at", "is not", null)
    .execute();
  // The ticket's history entries and system messages of the process, at the times of their steps.
  if (tasks.length === 0) return { start: new Date(startAt), last: new Date(last) };
  const events = await db
    .selectFrom("ticket_events")
    .select(["id", "type", "data"])
    .where("ticket_id", "=", ticketId)
    .where("id", ">", afterEvent)
    .orderBy("id")
    .execute();
  let at = new Date(startAt);
  // History is append-only; the demo's seeding (one transaction, before anyone is served) is the one
  // writer allowed to set the replayed entries' times, by the table owner's right to pause the guard.
  await sql`alter table ticket_events disable trigger ticket_events_no_update`.execute(db);
  for (const e of events) {
    const data = (e.data ?? {}) as { taskId?: number; messageId?: number };
    const step = data.taskId !== undefined ? times.get(data.taskId) : undefined;
    if (step) at = e.type === "process_step_started" || e.type === "process_step_reassigned" ? step.start : (step.end ?? step.start);
    else if (e.type === "process_completed" || e.type === "process_rejected" || e.type === "process_cancelled") at = new Date(last);
    await db.updateTable("ticket_events").set({ created_at: at }).where("id", "=", e.id).execute();
    if (e.type === "message_added" && data.messageId !== undefined)
      await db.updateTable("ticket_messages").set({ created_at: at }).where("id", "=", data.messageId).execute();
  }
  await sql`alter table ticket_events enable trigger ticket_events_no_update`.execute(db);
  return { start: new Date(startAt), last: new Date(last) };
}
