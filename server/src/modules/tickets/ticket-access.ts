import type { ExpressionBuilder, Kysely } from "kysely";
import { sql } from "kysely";
import type { DB, TicketRow } from "../../db/schema";
import type { Principal } from "../../platform/auth/principal";
import { AppError, NotFoundError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { withDescendants } from "../directory/department-service";
import { staffOfDepartments } from "../staff/staff-service";

/**
 * Who sees which tickets:
 * - admin: all;
 * - supervisor and agent: tickets of their departments (and sub-departments), tickets assigned
 *   to them, and tickets not yet given to any department (the shared inbox) — full access;
 *   tickets they created or worked on (participants) wherever those went, and tickets whose process
 *   has a step held by their department — read and internal notes;
 * - a supervisor also reads (and adds notes to) every ticket the people of their departments hold
 *   or worked on, wherever it went: their reports count those people's work, and every ticket a
 *   report lists opens;
 * - customer: their own tickets; an organization's designated contacts: the organization's.
 * Anything else is answered as if it did not exist (404).
 */
export type TicketScope =
  | { kind: "all" }
  | { kind: "staff"; staffId: number; departmentIds: number[]; memberIds?: number[] }
  | { kind: "customer"; customerId: number; organizationId: number | null };

/** full: everything the role allows; participant: read and add internal notes. */
export type TicketAccess = "full" | "participant";

type ScopedRow = Pick<TicketRow, "customer_id" | "organization_id" | "department_id" | "assignee_id" | "participant_ids"> &
  Partial<Pick<TicketRow, "step_department_ids">>;

export async function scopeFor(db: Executor, principal: Principal): Promise<TicketScope> {
  if (principal.kind === "customer")
    return { kind: "customer", customerId: principal.id, organizationId: principal.isOrgContact ? principal.organizationId : null };
  if (principal.role === "admin") return { kind: "all" };
  const departmentIds = await withDescendants(db, principal.departmentIds);
  if (principal.role !== "supervisor") return { kind: "staff", staffId: principal.id, departmentIds };
  return { kind: "staff", staffId: principal.id, departmentIds, memberIds: await staffOfDepartments(db, departmentIds) };
}

export function scopeFilter(scope: TicketScope) {
  return (eb: ExpressionBuilder<DB, "tickets">) => {
    if (scope.kind === "all") return eb.lit(true);
    if (scope.kind === "customer") {
      const own = eb("tickets.customer_id", "=", scope.customerId);
      return scope.organizationId ? eb.or([own, eb("tickets.organization_id", "=", scope.organizationId)]) : own;
    }
    const ors = [
      eb("tickets.assignee_id", "=", scope.staffId),
      eb("tickets.department_id", "is", null),
      eb(sql`tickets.participant_ids`, "@>", sql`array[${scope.staffId}]::int[]`),
    ];
    if (scope.departmentIds.length) {
      ors.push(eb("tickets.department_id", "in", scope.departmentIds));
      ors.push(eb(sql`tickets.step_department_ids`, "&&", sql`${scope.departmentIds}::int[]`));
    }
    if (scope.memberIds?.length) {
      ors.push(eb("tickets.assignee_id", "in", scope.memberIds));
      ors.push(eb(sql`tickets.participant_ids`, "&&", sql`${scope.memberIds}::int[]`));
    }
    return eb.or(ors);
  };
}

/** The access this scope gives to the ticket, or null when it may not see it at all. */
export function accessTo(scope: TicketScope, t: ScopedRow): TicketAccess | null {
  if (scope.kind === "all") return "full";
  if (scope.kind === "customer")
    return t.customer_id === scope.customerId || (scope.organizationId !== null && t.organization_id === scope.organizationId)
      ? "full"
      : null;
  if (t.assignee_id === scope.staffId || t.department_id === null || scope.departmentIds.includes(t.department_id)) return "full";
  const participants = t.participant_ids ?? [];
  if (participants.includes(scope.staffId)) return "participant";
  // A department holding a step of the ticket's process reads it (its people work the step as a task).
  if (t.step_department_ids?.some((id) => scope.departmentIds.includes(id))) return "participant";
  const members = scope.memberIds;
  if (members && ((t.assignee_id !== null && members.includes(t.assignee_id)) || participants.some((id) => members.includes(id))))
    return "participant";
  return null;
}

export const inScope = (scope: TicketScope, t: ScopedRow) => accessTo(scope, t) !== null;

export const ParticipantOnlyError = () =>
  new AppError(
    403,
    "participant_only",
    "This ticket now belongs to another department: you can read it and add internal notes, but not change it.",
  );

/**
 * Loads a ticket the principal may see (optionally locking it for update), or 404. `need: "full"`
 * also refuses (403) a participant who may only read it and add notes.
 */
export async function loadVisibleTicket(
  db: Executor | Kysely<DB>,
  principal: Principal,
  id: number,
  opts: { forUpdate?: boolean; need?: TicketAccess } = {},
) {
  return (await loadTicketWithAccess(db, principal, id, opts)).ticket;
}

/** loadVisibleTicket, also saying which access the principal has. */
export async function loadTicketWithAccess(
  db: Executor | Kysely<DB>,
  principal: Principal,
  id: number,
  opts: { forUpdate?: boolean; need?: TicketAccess } = {},
) {
  let q = db.selectFrom("tickets").selectAll().where("id", "=", id);
  if (opts.forUpdate) q = q.forNoKeyUpdate();
  const ticket = await q.executeTakeFirst();
  const access = ticket ? accessTo(await scopeFor(db, principal), ticket) : null;
  if (!ticket || access === null) throw NotFoundError("Ticket");
  if (opts.need === "full" && access !== "full") throw ParticipantOnlyError();
  return { ticket, access };
}

/** Which of these tickets the principal may see (e.g. the tickets a report lists). */
export async function visibleAmong(db: Executor, principal: Principal, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const scope = await scopeFor(db, principal);
  const rows = await db.selectFrom("tickets").select("id").where("id", "in", ids).where(scopeFilter(scope)).execute();
  return new Set(rows.map((r) => r.id));
}

/** The ticket's participants with this staff member added (unchanged when already there or not staff). */
export function withParticipant(ids: readonly number[], actor: { type: string; id: number | null }): number[] | undefined {
  if (actor.type !== "staff" || actor.id === null || ids.includes(actor.id)) return undefined;
  return [...ids, actor.id];
}
