import type { RuleAction } from "@loopdesk/contracts/rules";
import type { TicketStatus } from "@loopdesk/contracts/tickets";
import type { TicketRow } from "../../db/schema";
import { AppError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { validateCustomFields } from "../custom-fields/custom-field-service";
import { getCategory } from "../directory/category-service";
import { departmentExists, solveRequiresReply } from "../directory/department-service";
import { staffExists } from "../staff/staff-service";
import type { TicketChanges } from "../tickets/change-ticket";
import { answeredSinceCustomer, canTransition, raisedPriority } from "../tickets/ticket-lifecycle";

/** An action's effect beyond the ticket's fields (messages, mail, notifications, webhooks). */
export type SideEffect = Extract<
  RuleAction,
  { type: "add_note" | "reply_customer" | "email_customer" | "notify_staff" | "call_webhook" | "create_visit" }
>;
export type PlannedEffect = { action: RuleAction["type"]; description: Record<string, unknown>; skipped: string | null };
export type Plan = { changes: TicketChanges; sideEffects: SideEffect[]; effects: PlannedEffect[] };

/**
 * Works out what a rule's actions would do to a ticket, without doing it: the field changes
 * (checked: transitions, references, custom field rules) and the side effects. The same plan
 * drives the real run and the "test against ticket #N" preview, so they cannot disagree.
 */
export async function planActions(db: Executor, ticket: TicketRow, actions: RuleAction[]): Promise<Plan> {
  const changes: TicketChanges = {};
  const sideEffects: SideEffect[] = [];
  const effects: PlannedEffect[] = [];
  let status = ticket.status as TicketStatus;
  let priority = ticket.priority;
  let tags = [...ticket.tags];
  let customFields: Record<string, unknown> | undefined;
  const effect = (a: RuleAction, description: Record<string, unknown>, skipped: string | null = null) =>
    effects.push({ action: a.type, description, skipped });

  for (const a of actions) {
    switch (a.type) {
      case "set_status":
        if (a.value === status) effect(a, { to: a.value }, "no_change");
        else if (!canTransition(status, a.value)) effect(a, { from: status, to: a.value }, "invalid_transition");
        else if (
          a.value === "solved" &&
          !answeredSinceCustomer(ticket) &&
          (await solveRequiresReply(db, changes.departmentId ?? ticket.department_id))
        )
          effect(a, { from: status, to: a.value }, "reply_required");
        else {
          effect(a, { from: status, to: a.value });
          status = a.value;
          changes.status = a.value;
        }
        break;
      case "set_priority":
      case "raise_priority": {
        const to = a.type === "raise_priority" ? raisedPriority(priority) : a.value;
        if (to === priority) effect(a, { to }, "no_change");
        else {
          effect(a, { from: priority, to });
          priority = to;
          changes.priority = to as TicketChanges["priority"];
        }
        break;
      }
      case "set_category":
        if (a.value !== null && !(await getCategory(db, a.value))?.active) effect(a, { to: a.value }, "unknown_reference");
        else {
          effect(a, { from: ticket.category_id, to: a.value });
          changes.categoryId = a.value;
        }
        break;
      case "set_department":
        if (a.value !== null && !(await departmentExists(db, a.value))) effect(a, { to: a.value }, "unknown_reference");
        else {
          effect(a, { from: ticket.department_id, to: a.value, keepAssignee: a.keepAssignee });
          changes.departmentId = a.value;
          if (!a.keepAssignee && changes.assigneeId === undefined) changes.assigneeId = null;
        }
        break;
      case "set_assignee":
        if (a.value !== null && !(await staffExists(db, a.value))) effect(a, { to: a.value }, "unknown_reference");
        else {
          effect(a, { from: ticket.assignee_id, to: a.value });
          changes.assigneeId = a.value;
        }
        break;
      case "set_custom_field":
        try {
          await validateCustomFields(
            db,
            "ticket",
            { [a.key]: a.value },
            { requireAll: false, categoryId: changes.categoryId ?? ticket.category_id },
          );
          customFields = { ...customFields, [a.key]: a.value };
          changes.customFields = customFields;
          effect(a, { key: a.key, from: ticket.custom_fields[a.key] ?? null, to: a.value });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          effect(a, { key: a.key, to: a.value }, "invalid_value");
        }
        break;
      case "add_tags":
      case "remove_tags": {
        const next = a.type === "add_tags" ? [...new Set([...tags, ...a.tags])] : tags.filter((t) => !a.tags.includes(t));
        if (next.length === tags.length && next.every((t) => tags.includes(t))) effect(a, { tags: a.tags }, "no_change");
        else {
          effect(a, { tags: a.tags });
          tags = next;
          changes.tags = next;
        }
        break;
      }
      default:
        sideEffects.push(a);
        effect(a, describeSideEffect(a));
    }
  }
  return { changes, sideEffects, effects };
}

function describeSideEffect(a: SideEffect): Record<string, unknown> {
  switch (a.type) {
    case "add_note":
    case "reply_customer":
      return { body: a.body };
    case "email_customer":
      return { subject: a.subject, body: a.body };
    case "notify_staff":
      return { to: a.to, message: a.message };
    case "call_webhook":
      return { webhookId: a.webhookId };
    case "create_visit":
      return { reason: a.reason, dueHours: a.dueHours, departmentId: a.departmentId };
  }
}
