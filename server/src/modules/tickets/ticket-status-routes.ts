import type { FastifyInstance } from "fastify";
import { publicUrgeBody, ticketStatusAnswer, ticketStatusLookupBody, urgeResult } from "@loopdesk/contracts/tickets";
import { loadCustomerPrincipal } from "../customers/customer-service";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { findTicketByContact, lookupTicketStatus } from "./lookup-ticket-status";
import { urgeTicket } from "./urge-ticket";
import { customerProgress } from "../processes/process-instances";
import { NotFoundError } from "../../platform/errors";

/** The public status page's one endpoint: no account, no data beyond the status. */
export function registerTicketStatusRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "POST",
    url: "/api/v1/public/ticket-status",
    summary: "A ticket's status by its number and the email or phone used on it (no sign-in; throttled)",
    tags: ["tickets"],
    access: "public",
    body: ticketStatusLookupBody,
    responses: { 200: ticketStatusAnswer },
    handler: async ({ body, req }) => {
      const found = await lookupTicketStatus(ctx.db, body, req.ip);
      // Where its process stands, in stage names only (no one's name, no step's form).
      const progress = await customerProgress(ctx.db, found.id);
      const { id: _id, ...answer } = found;
      return { ...answer, stages: progress?.stages ?? [] };
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/public/ticket-urge",
    summary: "Urge a ticket by its number and the contact used on it (no sign-in; throttled; once per 30 minutes)",
    tags: ["tickets"],
    access: "public",
    body: publicUrgeBody,
    responses: { 200: urgeResult },
    handler: async ({ body, req }) => {
      const ticket = await findTicketByContact(ctx.db, body, req.ip);
      const customer = await loadCustomerPrincipal(ctx.db, ticket.customer_id);
      if (!customer) throw NotFoundError("Ticket");
      return urgeTicket(ctx, customer, ticket.id, body.note);
    },
  });
}
