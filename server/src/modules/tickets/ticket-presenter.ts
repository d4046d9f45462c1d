import { type CustomFieldDefinition, emptyValue, fieldApplies } from "@loopdesk/contracts/custom-fields";
import type { CustomerState, PortalTicket, Ticket } from "@loopdesk/contracts/tickets";
import type { TicketRow } from "../../db/schema";
import type { Executor } from "../../platform/jobs/job-queue";
import { activeDefinitions } from "../custom-fields/custom-field-service";

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

/** The values of the ticket's template fields (active, of its category) that are filled: what its customer may read. */
function templateDetails(t: TicketRow, fields: CustomFieldDefinition[]) {
  const values = (t.custom_fields ?? {}) as Record<string, unknown>;
  const details: Record<string, unknown> = {};
  for (const f of fields) if (fieldApplies(f, t.category_id) && !emptyValue(values[f.key])) details[f.key] = values[f.key];
  return details;
}

/** The ticket as its customer sees it (see portalTicket); `fields` the active ticket field definitions. */
export function presentPortalTicket(t: TicketRow, fields: CustomFieldDefinition[]): PortalTicket {
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
    details: templateDetails(t, fields),
    expected,
    urgeCount: t.urge_count,
    mergedIntoId: t.merged_into_id,
    createdAt: t.created_at.toISOString(),
    updatedAt: t.updated_at.toISOString(),
    solvedAt: iso(t.solved_at),
  };
}

/** What the caller may see of a ticket: staff the whole ticket, a customer the portal view. */
export const presentTicketFor = async (db: Executor, principal: { kind: "staff" | "customer" }, t: TicketRow) =>
  principal.kind === "customer" ? presentPortalTicket(t, await activeDefinitions(db, "ticket")) : presentTicket(t);
