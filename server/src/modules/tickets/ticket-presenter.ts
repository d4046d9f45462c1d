import type { CustomerState, PortalTicket, Ticket } from "@loopdesk/contracts/tickets";
import type { TicketRow } from "../../db/schema";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const etagOf = (t: Pick<TicketRow, "version">) => `"${t.version}"`;

export function presentTicket(t: TicketRow): Ticket {
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    description: t.description,
    descriptionHtml: t.description_html,
    status: t.status as Ticket["status"],
    priority: t.priority as Ticket["priority"],
    channel: t.channel as Ticket["channel"],
    categoryId: t.category_id,
    customerId: t.customer_id,
    organizationId: t.organization_id,
    departmentId: t.department_id,
    assigneeId: t.assignee_id,
    tags: t.tags ?? [],
    customFields: t.custom_fields ?? {},
    firstResponseDueAt: iso(t.first_response_due_at),
    nextResponseDueAt: iso(t.next_response_due_at),
    resolutionDueAt: iso(t.resolution_due_at),
    slaDueAt: iso(t.sla_next_due_at),
    urgeCount: t.urge_count,
    firstResponseAt: iso(t.first_response_at),
    solvedAt: iso(t.solved_at),
    closedAt: iso(t.closed_at),
    reopenCount: t.reopen_count,
    followUpOfId: t.follow_up_of_id,
    duplicateOfId: t.duplicate_of_id,
    mergedIntoId: t.merged_into_id,
    missingFields: t.missing_fields ?? [],
    teamId: t.team_id,
    priorityScore: t.priority_score,
    routingStatus: t.routing_status,
    transferCount: t.transfer_count,
    version: t.version,
    createdAt: t.created_at.toISOString(),
    updatedAt: t.updated_at.toISOString(),
  };
}

const STATE: Record<string, CustomerState> = {
  new: "in_progress",
  open: "in_progress",
  on_hold: "in_progress",
  pending: "awaiting_you",
  solved: "solved",
  closed: "closed",
};

/** A status in the customer's words. */
export const customerStateOf = (status: string): CustomerState => STATE[status] ?? "in_progress";

/** The ticket as its customer sees it (see portalTicket). */
export function presentPortalTicket(t: TicketRow): PortalTicket {
  const state = customerStateOf(t.status);
  const open = state === "in_progress";
  const expected =
    open && t.first_response_at === null && t.first_response_due_at
      ? { kind: "first_response" as const, at: t.first_response_due_at.toISOString() }
      : open && t.resolution_due_at
        ? { kind: "resolution" as const, at: t.resolution_due_at.toISOString() }
        : null;
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    description: t.description,
    descriptionHtml: t.description_html,
    state,
    categoryId: t.category_id,
    missingFields: t.missing_fields ?? [],
    expected,
    urgeCount: t.urge_count,
    mergedIntoId: t.merged_into_id,
    createdAt: t.created_at.toISOString(),
    updatedAt: t.updated_at.toISOString(),
    solvedAt: iso(t.solved_at),
  };
}

/** What the caller may see of a ticket: staff the whole ticket, a customer the portal view. */
export const presentTicketFor = (principal: { kind: "staff" | "customer" }, t: TicketRow) =>
  principal.kind === "customer" ? presentPortalTicket(t) : presentTicket(t);
