import type { ExpressionBuilder, Kysely } from "kysely";
import type { DB, TicketRow } from "../../db/schema";
import type { Principal } from "../../platform/auth/principal";
import { NotFoundError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { withDescendants } from "../directory/department-service";

/**
 * Who sees which tickets:
 * - admin: all;
 * - supervisor and agent: tickets of their departments (and sub-departments), tickets assigned
 *   to them, and tickets not yet given to any department (the shared inbox);
 * - customer: their own tickets; an organization's designated contacts: the organization's.
 * Anything else is answered as if it did not exist (404).
 */
export type TicketScope =
  | { kind: "all" }
  | { kind: "staff"; staffId: number; departmentIds: number[] }
  | { kind: "customer"; customerId: number; organizationId: number | null };

export async function scopeFor(db: Executor, principal: Principal): Promise<TicketScope> {
  if (principal.kind === "customer")
    return { kind: "customer", customerId: principal.id, organizationId: principal.isOrgContact ? principal.organizationId : null };
  if (principal.role === "admin") return { kind: "all" };
  return { kind: "staff", staffId: principal.id, departmentIds: await withDescendants(db, principal.departmentIds) };
}

export function scopeFilter(scope: TicketScope) {
  return (eb: ExpressionBuilder<DB, "tickets">) => {
    if (scope.kind === "all") return eb.lit(true);
    if (scope.kind === "customer") {
      const own = eb("tickets.customer_id", "=", scope.customerId);
      return scope.organizationId ? eb.or([own, eb("tickets.organization_id", "=", scope.organizationId)]) : own;
    }
    const ors = [eb("tickets.assignee_id", "=", scope.staffId), eb("tickets.department_id", "is", null)];
    if (scope.departmentIds.length) ors.push(eb("tickets.department_id", "in", scope.departmentIds));
    return eb.or(ors);
  };
}

export function inScope(scope: TicketScope, t: Pick<TicketRow, "customer_id" | "organization_id" | "department_id" | "assignee_id">) {
  if (scope.kind === "all") return true;
  if (scope.kind === "customer")
    return t.customer_id === scope.customerId || (scope.organizationId !== null && t.organization_id === scope.organizationId);
  return t.assignee_id === scope.staffId || t.department_id === null || scope.departmentIds.includes(t.department_id);
}

/** Loads a ticket the principal may see (optionally locking it for update), or 404. */
export async function loadVisibleTicket(db: Executor | Kysely<DB>, principal: Principal, id: number, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom("tickets").selectAll().where("id", "=", id);
  if (opts.forUpdate) q = q.forUpdate();
  const ticket = await q.executeTakeFirst();
  if (!ticket || !inScope(await scopeFor(db, principal), ticket)) throw NotFoundError("Ticket");
  return ticket;
}
