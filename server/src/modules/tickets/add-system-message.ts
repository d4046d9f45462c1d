import type { TicketRow } from "../../db/schema";
import type { AppContext } from "../../platform/context";
import type { Executor } from "../../platform/jobs/job-queue";
import type { ChangeSource } from "./change-ticket";
import { emitTicketEvent } from "./emit-ticket-event";
import { appendToSearch } from "./ticket-search-index";
import { recordTicketEvents, systemActor } from "./ticket-events";

/**
 * A message written by a rule (trigger, automation), not a person: an internal note, or a public
 * reply the customer sees. It is not a staff response, so it neither answers the ticket (first
 * response) nor moves its status.
 */
export async function addSystemMessage(
  ctx: AppContext,
  trx: Executor,
  ticket: TicketRow,
  input: { visibility: "public" | "internal"; body: string },
  source: ChangeSource,
) {
  const now = new Date();
  const message = await trx
    .insertInto("ticket_messages")
    .values({
      ticket_id: ticket.id,
      visibility: input.visibility,
      author_type: "system",
      author_staff_id: null,
      author_customer_id: null,
      body_text: input.body,
      body_html: null,
      channel: ticket.channel,
      created_at: now,
    })
    .returning(["id"])
    .executeTakeFirstOrThrow();
  await trx.updateTable("tickets").set({ updated_at: now }).where("id", "=", ticket.id).execute();
  await appendToSearch(trx, ticket.id, input.body);
  await recordTicketEvents(
    trx,
    ticket.id,
    systemActor,
    [{ type: "message_added", data: { messageId: message.id, visibility: input.visibility, via: source } }],
    now,
  );
  await emitTicketEvent(ctx, trx, "ticket.message_added", ticket, {
    messageId: message.id,
    visibility: input.visibility,
    authorType: "system",
    via: source,
  });
  return message.id;
}

/**
 * Whether a new message goes out to the customer on the ticket's channel (mail, IM): an agent's
 * public reply, or what a process tells the customer (its questions and progress). Other rules'
 * public notes stay on the ticket and the portal.
 */
export const reachesCustomerChannels = (payload: Record<string, unknown>) =>
  payload.visibility === "public" &&
  (payload.authorType === "staff" ||
    (payload.authorType === "system" && (payload.via as { kind?: string } | undefined)?.kind === "process"));
