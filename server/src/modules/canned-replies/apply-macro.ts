import { fillPlaceholders, type MacroActions, type MacroPreview } from "@loopdesk/contracts/workspace";
import type { TicketRow } from "../../db/schema";
import type { StaffPrincipal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import { ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { customerContact } from "../customers/customer-service";
import { staffExists } from "../staff/staff-service";
import { appendMessage } from "../tickets/add-message";
import { changeTicket, type TicketChanges } from "../tickets/change-ticket";
import { loadVisibleTicket } from "../tickets/ticket-access";
import { actorOf } from "../tickets/ticket-events";
import { lockTicket } from "../tickets/ticket-lookup";
import { TicketClosedError } from "../tickets/update-ticket";
import { usableMacro } from "./canned-reply-service";

/** The ticket changes a macro's actions make on this ticket (only what differs), as the ticket update takes them. */
function changesOf(actions: MacroActions, ticket: TicketRow, staff: StaffPrincipal, withReply: boolean): TicketChanges {
  const out: TicketChanges = {};
  // With a reply, the status goes with the reply (as 发送后状态 does); without one, it is a change of its own.
  if (!withReply && actions.status && actions.status !== ticket.status) out.status = actions.status;
  if (actions.priority && actions.priority !== ticket.priority) out.priority = actions.priority;
  if (actions.addTags?.length) {
    const tags = [...new Set([...ticket.tags, ...actions.addTags])];
    if (tags.length !== ticket.tags.length) out.tags = tags;
  }
  if (actions.assignee !== undefined) {
    const assigneeId = actions.assignee === "me" ? staff.id : actions.assignee;
    if (assigneeId !== ticket.assignee_id) out.assigneeId = assigneeId;
  }
  if (actions.customFields) {
    const changed = Object.entries(actions.customFields).filter(
      ([k, v]) => JSON.stringify((ticket.custom_fields as Record<string, unknown>)[k]) !== JSON.stringify(v),
    );
    if (changed.length) out.customFields = Object.fromEntries(changed);
  }
  return out;
}

async function replyText(db: Executor, body: string, ticket: TicketRow, staff: StaffPrincipal) {
  if (!body.includes("{{")) return body;
  const customer = await customerContact(db, ticket.customer_id);
  return fillPlaceholders(body, {
    "customer.name": customer.name,
    "ticket.number": String(ticket.number),
    "ticket.subject": ticket.subject,
    "agent.name": staff.name,
  });
}

/**
 * Applies a macro to a ticket in one transaction: its reply (filled in for this ticket; public,
 * or an internal note), leaving the ticket in the macro's status, and its other changes — or, with
 * `preview`, answers what it would do and changes nothing.
 */
export async function applyMacro(ctx: AppContext, staff: StaffPrincipal, ticketId: number, macroId: number, preview: boolean) {
  return ctx.db.transaction().execute(async (trx): Promise<MacroPreview> => {
    const macro = await usableMacro(trx, staff, macroId);
    const internal = macro.actions.internal === true;
    const ticket = await loadVisibleTicket(trx, staff, ticketId, { forUpdate: !preview, need: internal ? "participant" : "full" });
    if (ticket.status === "closed") throw TicketClosedError();
    const reply = await replyText(trx, macro.body, ticket, staff);
    const withReply = reply.trim() !== "";
    const changes = changesOf(macro.actions, ticket, staff, withReply);
    if (changes.assigneeId != null && !(await staffExists(trx, changes.assigneeId)))
      throw ValidationError([{ path: "actions.assignee", code: "unknown_reference", message: "The macro's assignee no longer exists." }]);
    const statusChange =
      withReply && macro.actions.status && macro.actions.status !== ticket.status
        ? [{ field: "status", before: ticket.status, after: macro.actions.status }]
        : [];
    const shown: MacroPreview = {
      reply,
      internal,
      changes: [
        ...statusChange,
        ...Object.entries(changes).map(([field, after]) => ({
          field,
          before:
            field === "customFields"
              ? Object.fromEntries(
                  Object.keys(after as object).map((k) => [k, (ticket.custom_fields as Record<string, unknown>)[k] ?? null]),
                )
              : (ticket as unknown as Record<string, unknown>)[{ assigneeId: "assignee_id" }[field] ?? field],
          after,
        })),
      ],
    };
    if (preview) return shown;
    if (withReply)
      await appendMessage(ctx, trx, staff, ticketId, {
        body: reply,
        visibility: internal ? "internal" : "public",
        status: internal ? undefined : macro.actions.status,
        attachmentIds: [],
      });
    // An internal note leaves the status to the macro's own change.
    if (withReply && internal && macro.actions.status && macro.actions.status !== ticket.status) changes.status = macro.actions.status;
    if (Object.keys(changes).length) {
      const current = (await lockTicket(trx, ticketId)) as TicketRow;
      await changeTicket(ctx, trx, current, changes, actorOf(staff), { kind: "macro", id: macro.id, name: macro.title });
    }
    return shown;
  });
}
