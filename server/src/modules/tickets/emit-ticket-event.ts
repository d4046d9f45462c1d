import type { TicketRow } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import type { EventInput } from "../../platform/events/event-bus";
import type { Executor } from "../../platform/jobs/job-queue";

type Scope = Pick<TicketRow, "customer_id" | "organization_id" | "department_id" | "assignee_id" | "participant_ids"> &
  Partial<Pick<TicketRow, "step_department_ids">>;

/** Who may see the ticket, carried on every ticket event so realtime streams can filter by scope. */
export const scopeOf = (t: Scope) => ({
  customerId: t.customer_id,
  organizationId: t.organization_id,
  departmentId: t.department_id,
  assigneeId: t.assignee_id,
  participantIds: t.participant_ids ?? [],
  ...(t.step_department_ids?.length ? { stepDepartmentIds: t.step_department_ids } : {}),
});

export type TicketEventScope = ReturnType<typeof scopeOf>;

type TicketEventType =
  | "ticket.created"
  | "ticket.updated"
  | "ticket.message_added"
  | "ticket.urged"
  | "ticket.sla_warning"
  | "ticket.sla_breached"
  | "ticket.escalated"
  | "ticket.csat_received"
  | "ticket.transferred"
  /** A step of the ticket's process started, finished or changed hands (`taskId`, `change`). */
  | "ticket.task_changed";

/**
 * A ticket domain event (outbox) with the ticket's scope, and its scope before the change when
 * that differs, so a ticket leaving someone's view still reaches them once.
 */
export function ticketDomainEvent(
  type: TicketEventType,
  ticket: Scope & Pick<TicketRow, "id" | "number">,
  extra: Record<string, unknown> = {},
  before?: Scope,
): EventInput {
  const scope = scopeOf(ticket);
  const previous = before ? scopeOf(before) : undefined;
  return {
    type,
    aggregateType: "ticket",
    aggregateId: ticket.id,
    payload: {
      number: ticket.number,
      scope,
      ...(previous && JSON.stringify(previous) !== JSON.stringify(scope) ? { scopeBefore: previous } : {}),
      ...extra,
    },
  };
}

export function emitTicketEvent(
  ctx: AppContext,
  trx: Executor,
  type: TicketEventType,
  ticket: Scope & Pick<TicketRow, "id" | "number">,
  extra: Record<string, unknown> = {},
  before?: Scope,
) {
  return ctx.events.emit(trx, ticketDomainEvent(type, ticket, extra, before));
}
