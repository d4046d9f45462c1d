import type { CreateMessageBody, CreateTicketBody, TicketStatus } from "@loopdesk/contracts/tickets";
import type { Transaction } from "kysely";
import type { DB, TicketRow, TicketUpdate } from "../../db/schema";
import type { Principal } from "../../platform/auth/principal";
import type { AppContext } from "../../platform/context";
import { ForbiddenError } from "../../platform/errors";
import { htmlToText, sanitizeUserHtml } from "../../platform/text/sanitize-html";
import { extractFieldValues, missingTemplateFields } from "../custom-fields/ticket-template";
import { linkAttachments } from "./attachment-service";
import { emitTicketEvent } from "./emit-ticket-event";
import { appendToSearch } from "./ticket-search-index";
import { assertAnswered } from "./change-ticket";
import { createTicket } from "./create-ticket";
import { loadVisibleTicket, withParticipant } from "./ticket-access";
import { type TicketEventInput, actorOf, recordTicketEvents, systemActor } from "./ticket-events";
import { assertTransition, statusAfterCustomerReply, statusAfterStaffReply, statusSideEffects } from "./ticket-lifecycle";
import { TicketClosedError } from "./update-ticket";

/**
 * Adds a public reply or internal note and moves the ticket as the conversation implies:
 * a customer reply reopens a solved ticket; a staff public reply answers a new one (first
 * response). A customer writing to a closed ticket starts a follow-up ticket linked to it.
 */
export async function addMessage(ctx: AppContext, principal: Principal, ticketId: number, input: CreateMessageBody) {
  return ctx.db.transaction().execute((trx) => appendMessage(ctx, trx, principal, ticketId, input));
}

/**
 * addMessage inside the caller's transaction; an intake channel passes where the message came
 * from (channel, and its id there, e.g. an email's Message-ID).
 */
export async function appendMessage(
  ctx: AppContext,
  trx: Transaction<DB>,
  principal: Principal,
  ticketId: number,
  input: CreateMessageBody,
  origin: { channel?: string; externalId?: string } = {},
) {
  if (principal.kind === "customer" && (input.visibility === "internal" || input.status !== undefined))
    throw ForbiddenError("Customers can only add public replies.");
  const bodyHtml = input.bodyHtml !== undefined ? sanitizeUserHtml(input.bodyHtml) : null;
  const bodyText = input.body.trim() !== "" ? input.body : bodyHtml ? htmlToText(bodyHtml) : "";
  // A participant (the ticket went to another department) may still add internal notes.
  let ticket = await loadVisibleTicket(trx, principal, ticketId, {
    forUpdate: true,
    need: input.visibility === "internal" ? "participant" : "full",
  });
  let followUpTicketId: number | null = null;
  if (ticket.status === "closed") {
    if (principal.kind !== "customer") throw TicketClosedError();
    ticket = await openFollowUp(ctx, trx, principal, ticket);
    followUpTicketId = ticket.id;
  }
  const now = new Date();
  const message = await trx
    .insertInto("ticket_messages")
    .values({
      ticket_id: ticket.id,
      visibility: input.visibility,
      author_type: principal.kind,
      author_staff_id: principal.kind === "staff" ? principal.id : null,
      author_customer_id: principal.kind === "customer" ? principal.id : null,
      body_text: bodyText,
      body_html: bodyHtml,
      channel: origin.channel ?? (principal.kind === "customer" ? "portal" : ticket.channel),
      external_id: origin.externalId ?? null,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (input.attachmentIds.length)
    await linkAttachments(trx, principal, input.attachmentIds, { ticketId: ticket.id, messageId: message.id });
  await appendToSearch(trx, ticket.id, bodyText);

  const from = ticket.status as TicketStatus;
  const isPublic = input.visibility === "public";
  // A public reply takes a new ticket into work, and so does a note by its owner (not a colleague's).
  const takesUp = isPublic || ticket.assignee_id === principal.id;
  const to = principal.kind === "customer" ? statusAfterCustomerReply(from) : statusAfterStaffReply(from, input.status, takesUp);
  assertTransition(from, to);
  // A public reply answers the customer; a note does not.
  if (to === "solved" && from !== "solved" && !isPublic) await assertAnswered(trx, ticket);
  const set: TicketUpdate = {};
  const events: TicketEventInput[] = [{ type: "message_added", data: { messageId: message.id, visibility: input.visibility } }];
  if (to !== from) {
    const { reopened, ...effects } = statusSideEffects(from, to, now);
    Object.assign(set, effects, { status: to });
    if (reopened) set.reopen_count = ticket.reopen_count + 1;
    events.push({ type: "status_changed", field: "status", before: from, after: to, data: reopened ? { reopened: true } : undefined });
  }
  if (principal.kind === "customer") {
    set.last_customer_message_at = now;
    Object.assign(set, await fillMissingFromAnswer(trx, ticket, bodyText, events));
  } else if (isPublic) {
    set.last_staff_reply_at = now;
    if (!ticket.first_response_at) {
      set.first_response_at = now;
      events.push({ type: "first_response", data: { messageId: message.id } });
    }
  }
  const participants = withParticipant(ticket.participant_ids, actorOf(principal));
  if (participants) set.participant_ids = participants;
  const updated = await trx
    .updateTable("tickets")
    .set({ ...set, version: ticket.version + 1, updated_at: now })
    .where("id", "=", ticket.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordTicketEvents(trx, ticket.id, actorOf(principal), events, now);
  await emitTicketEvent(ctx, trx, "ticket.message_added", updated, {
    messageId: message.id,
    visibility: input.visibility,
    authorType: principal.kind,
    byKind: principal.kind,
    byId: principal.id,
    ...(to !== from ? { changes: { status: { before: from, after: to } } } : {}),
  });
  return { message, ticket: updated, followUpTicketId };
}

async function openFollowUp(ctx: AppContext, trx: Transaction<DB>, principal: Principal, closed: TicketRow) {
  const followUp = await createTicket(
    ctx,
    trx,
    principal,
    {
      subject: closed.subject.startsWith("Re: ") ? closed.subject : `Re: ${closed.subject}`,
      description: "",
      priority: closed.priority as "normal",
      categoryId: closed.category_id,
      tags: [],
      customFields: {},
      attachmentIds: [],
    },
    {
      departmentId: closed.department_id,
      customFields: closed.custom_fields,
      channel: closed.channel as CreateTicketBody["channel"] & string,
      description: "",
      descriptionHtml: null,
    },
    { followUpOfId: closed.id },
  );
  // The closed ticket stays unchanged; only its (append-only) history learns of the follow-up.
  await recordTicketEvents(trx, closed.id, systemActor, [
    { type: "follow_up_created", data: { ticketId: followUp.id, number: followUp.number } },
  ]);
  return followUp;
}

/**
 * 信息不全: the customer's answer fills the missing template fields it states (a pattern match or
 * a "标签：值" line); when none are missing any more, the mark clears.
 */
async function fillMissingFromAnswer(
  db: Transaction<DB>,
  ticket: TicketRow,
  text: string,
  events: TicketEventInput[],
): Promise<TicketUpdate> {
  if (ticket.missing_fields.length === 0) return {};
  const found = await extractFieldValues(db, ticket.category_id, text, ticket.custom_fields, ticket.missing_fields);
  if (Object.keys(found).length === 0) return {};
  const values = { ...ticket.custom_fields, ...found };
  const missing = await missingTemplateFields(db, ticket.category_id, values);
  for (const [key, value] of Object.entries(found))
    events.push({ type: "field_changed", field: `customFields.${key}`, before: null, after: value });
  if (missing.length === 0) events.push({ type: "info_completed", data: { fields: ticket.missing_fields } });
  return { custom_fields: JSON.stringify(values), missing_fields: missing };
}
