import type { FastifyInstance } from "fastify";
import { ticketStatusAnswer, ticketStatusLookupBody } from "@loopdesk/contracts/tickets";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { lookupTicketStatus } from "./lookup-ticket-status";

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
    handler: ({ body, req }) => lookupTicketStatus(ctx.db, body, req.ip),
  });
}
