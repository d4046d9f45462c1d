import type { AppContext } from "../../platform/context";
import { threadMail } from "../intake/email/reply-mail";
import { customerContact } from "../customers/customer-service";
import { recordTicketEvents, systemActor } from "../tickets/ticket-events";
import { lastPublicStaffReply, lockTicket } from "../tickets/ticket-lookup";
import { openSurvey } from "./csat-service";
import { resolutionMail } from "./resolution-mail";

type Payload = { changes?: { status?: { after?: unknown } } };

/**
 * Closing the loop: when a ticket becomes solved the customer gets the resolution (the last public
 * reply) by mail with a link to confirm and rate it, or to reopen — and the portal offers the same.
 */
export function registerFeedbackJobs(ctx: AppContext) {
  ctx.events.subscribe({
    name: "resolution-notice",
    types: ["ticket.updated", "ticket.message_added"],
    accepts: ({ payload }) => (payload as Payload).changes?.status?.after === "solved",
    handle: async (event, { trx }) => {
      const ticket = await lockTicket(trx, event.aggregateId);
      if (ticket?.status !== "solved") return; // reopened meanwhile
      const token = await openSurvey(trx, ticket.id);
      if (!token) return; // rated already: one answer per ticket
      const customer = await customerContact(trx, ticket.customer_id);
      if (!customer.email || !ctx.mailer.enabled) return;
      const resolution = await lastPublicStaffReply(trx, ticket.id);
      const mail = resolutionMail(
        customer.email,
        customer.locale,
        { number: Number(ticket.number), subject: ticket.subject, customerName: customer.name, resolution },
        `${ctx.config.publicUrl}/feedback/${token}`,
      );
      // An email ticket's resolution arrives in the customer's thread, and their answer comes back to it.
      await ctx.mailer.queue(trx, await threadMail(trx, ticket.id, mail, ctx.mailer.fromAddress));
      await recordTicketEvents(trx, ticket.id, systemActor, [{ type: "resolution_sent", data: { to: customer.email } }]);
    },
  });
}
