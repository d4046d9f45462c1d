import type { listVisitsQuery, updateVisitBody, Visit } from "@loopdesk/contracts/visits";
import type { Selectable } from "kysely";
import type { z } from "zod";
import type { TicketRow } from "../../db/schema";
import type { FollowUpVisitsTable } from "../../db/schema-feedback";
import type { StaffPrincipal } from "../../platform/auth/principal";
import { NotFoundError, ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { withDescendants } from "../directory/department-service";
import { staffExists } from "../staff/staff-service";
import { type Actor, recordTicketEvents } from "../tickets/ticket-events";
import { ticketTitles } from "../tickets/ticket-lookup";

type Row = Selectable<FollowUpVisitsTable>;
type Source = { kind: string; id: number | null; name?: string };

async function present(db: Executor, rows: Row[], now = new Date()): Promise<Visit[]> {
  const titles = await ticketTitles(
    db,
    rows.map((r) => r.ticket_id),
  );
  return rows.map((r) => ({
    id: r.id,
    ticketId: r.ticket_id,
    ticketNumber: titles.get(r.ticket_id)?.number ?? 0,
    ticketSubject: titles.get(r.ticket_id)?.subject ?? "",
    departmentId: r.department_id,
    assigneeId: r.assignee_id,
    reason: r.reason,
    dueAt: r.due_at.toISOString(),
    overdue: r.status === "open" && r.due_at < now,
    status: r.status,
    result: r.result,
    outcome: r.outcome,
    source: r.source ?? null,
    createdAt: r.created_at.toISOString(),
    completedAt: r.completed_at?.toISOString() ?? null,
  }));
}

/**
 * Plans a visit for a ticket (by a rule or a person). A ticket has at most one open visit: a second
 * request while one is open changes nothing and answers null.
 */
export async function createVisit(
  db: Executor,
  ticket: Pick<TicketRow, "id" | "department_id">,
  input: { reason: string; dueHours: number; departmentId?: number | null; assigneeId?: number | null },
  source: Source,
  actor: Actor,
) {
  if (input.assigneeId != null && !(await staffExists(db, input.assigneeId)))
    throw ValidationError([{ path: "assigneeId", code: "unknown_reference", message: "Unknown staff member." }]);
  const row = await db
    .insertInto("follow_up_visits")
    .values({
      ticket_id: ticket.id,
      department_id: input.departmentId ?? ticket.department_id,
      assignee_id: input.assigneeId ?? null,
      reason: input.reason,
      due_at: new Date(Date.now() + input.dueHours * 3_600_000),
      source: JSON.stringify(source),
    })
    .onConflict((oc) => oc.column("ticket_id").where("status", "=", "open").doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) return null;
  await recordTicketEvents(db, ticket.id, actor, [
    { type: "visit_created", data: { visitId: row.id, reason: input.reason, dueAt: row.due_at.toISOString(), via: source } },
  ]);
  return (await present(db, [row]))[0] as Visit;
}

/** Visits a staff member may see: admins all; others their departments' (and below), their own, and unrouted ones. */
async function visibleTo(db: Executor, staff: StaffPrincipal) {
  if (staff.role === "admin") return null;
  return withDescendants(db, staff.departmentIds);
}

export async function listVisits(db: Executor, staff: StaffPrincipal, q: z.output<typeof listVisitsQuery>) {
  const departments = await visibleTo(db, staff);
  let query = db.selectFrom("follow_up_visits").selectAll().orderBy("due_at").orderBy("id").limit(200);
  if (departments)
    query = query.where((eb) =>
      eb.or([
        eb("assignee_id", "=", staff.id),
        eb("department_id", "is", null),
        ...(departments.length ? [eb("department_id", "in", departments)] : []),
      ]),
    );
  if (q.status) query = query.where("status", "=", q.status);
  if (q.overdue) query = query.where("status", "=", "open").where("due_at", "<", new Date());
  if (q.mine) query = query.where("assignee_id", "=", staff.id);
  if (q.ticketId) query = query.where("ticket_id", "=", q.ticketId);
  return present(db, await query.execute());
}

/** Assign, reschedule, or close a visit with its result and what the customer said. */
export async function updateVisit(db: Executor, staff: StaffPrincipal, id: number, input: z.output<typeof updateVisitBody>) {
  const [visible] = await listVisitsById(db, staff, id);
  if (!visible) throw NotFoundError("Visit");
  if (input.assigneeId != null && !(await staffExists(db, input.assigneeId)))
    throw ValidationError([{ path: "assigneeId", code: "unknown_reference", message: "Unknown staff member." }]);
  const closing = input.status !== undefined && visible.status === "open";
  const row = await db
    .updateTable("follow_up_visits")
    .set({
      ...(input.assigneeId !== undefined ? { assignee_id: input.assigneeId } : {}),
      ...(input.dueAt !== undefined ? { due_at: new Date(input.dueAt) } : {}),
      ...(input.result !== undefined ? { result: input.result } : {}),
      ...(input.outcome !== undefined ? { outcome: input.outcome } : {}),
      ...(closing ? { status: input.status, completed_at: new Date(), completed_by: staff.id } : {}),
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (closing)
    await recordTicketEvents(db, row.ticket_id, { type: "staff", id: staff.id }, [
      { type: "visit_completed", data: { visitId: id, status: row.status, result: row.result, outcome: row.outcome } },
    ]);
  return (await present(db, [row]))[0] as Visit;
}

async function listVisitsById(db: Executor, staff: StaffPrincipal, id: number) {
  const departments = await visibleTo(db, staff);
  const row = await db.selectFrom("follow_up_visits").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) return [];
  const ok = !departments || row.assignee_id === staff.id || row.department_id === null || departments.includes(row.department_id);
  return ok ? [row] : [];
}
