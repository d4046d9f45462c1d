import type { TicketsTable } from "../../db/schema";

/**
 * Every column of tickets, for the statements kept prepared (see db/prepared-statements.ts), which
 * name their result columns instead of `*`. The type below fails to compile if a column of the
 * table type is missing here; a test compares the list with the database.
 */
export const TICKET_COLUMNS = [
  "id",
  "number",
  "subject",
  "description",
  "description_html",
  "status",
  "priority",
  "channel",
  "category_id",
  "customer_id",
  "organization_id",
  "department_id",
  "assignee_id",
  "tags",
  "custom_fields",
  "first_response_due_at",
  "next_response_due_at",
  "resolution_due_at",
  "sla_policy_id",
  "sla_next_due_at",
  "urge_count",
  "first_response_at",
  "solved_at",
  "closed_at",
  "reopen_count",
  "follow_up_of_id",
  "duplicate_of_id",
  "merged_into_id",
  "missing_fields",
  "complete_at_creation",
  "version",
  "priority_rank",
  "last_customer_message_at",
  "last_staff_reply_at",
  "status_changed_at",
  "team_id",
  "priority_score",
  "priority_parts",
  "transfer_count",
  "routing_status",
  "routing_round",
  "offered_until",
  "routing_excluded",
  "participant_ids",
  "step_department_ids",
  "purged_at",
  "created_at",
  "updated_at",
] as const satisfies readonly (keyof TicketsTable)[];

type AllListed<Missing extends never> = Missing;
/** A compile error here names the columns of TicketsTable missing from TICKET_COLUMNS. */
export type TicketColumnsComplete = AllListed<Exclude<keyof TicketsTable, (typeof TICKET_COLUMNS)[number]>>;
