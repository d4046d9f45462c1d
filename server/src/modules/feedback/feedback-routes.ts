import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams } from "@loopdesk/contracts/common";
import { csatAnswer, feedbackPage, rateBody, reopenBody, ticketCsat } from "@loopdesk/contracts/feedback";
import { createMessageBody } from "@loopdesk/contracts/tickets";
import type { AppContext } from "../../platform/context";
import { ForbiddenError, NotFoundError } from "../../platform/errors";
import { route } from "../../platform/http/route";
import { loadCustomerPrincipal } from "../customers/customer-service";
import { addMessage } from "../tickets/add-message";
import { loadVisibleTicket } from "../tickets/ticket-access";
import { findTicketById, lastPublicStaffReply } from "../tickets/ticket-lookup";
import { rateTicket, surveyByToken, ticketCsat as csatOf } from "./csat-service";

const tags = ["feedback"];
const tokenParams = z.object({ token: z.string().min(20).max(100) });

/** Confirming, rating and reopening: by the mailed link (no sign-in) or in the portal. */
export function registerFeedbackRoutes(app: FastifyInstance, ctx: AppContext) {
  const byToken = async (token: string) => {
    const survey = await surveyByToken(ctx.db, token);
    const ticket = await findTicketById(ctx.db, survey.ticketId);
    if (!ticket) throw NotFoundError("Survey");
    return { survey, ticket };
  };
  route(app, {
    method: "GET",
    url: "/api/v1/public/feedback/:token",
    summary: "The solved ticket behind a feedback link: its resolution and the answer, if given (no sign-in)",
    tags,
    access: "public",
    params: tokenParams,
    responses: { 200: feedbackPage },
    handler: async ({ params }) => {
      const { survey, ticket } = await byToken(params.token);
      return {
        ticketNumber: Number(ticket.number),
        subject: ticket.subject,
        status: ticket.status,
        resolution: await lastPublicStaffReply(ctx.db, ticket.id),
        answer: survey.answer,
      };
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/public/feedback/:token/rating",
    summary: "Confirm the resolution and rate it, 1–5, with an optional comment; one answer per ticket (409 already_rated)",
    tags,
    access: "public",
    params: tokenParams,
    body: rateBody,
    responses: { 201: csatAnswer },
    handler: async ({ params, body, reply }) => {
      const { ticket } = await byToken(params.token);
      reply.code(201);
      return rateTicket(ctx, ticket.id, ticket.customer_id, body, "link");
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/public/feedback/:token/reopen",
    summary: "Not solved after all: the comment is added as the customer's reply and the ticket reopens",
    tags,
    access: "public",
    params: tokenParams,
    body: reopenBody,
    responses: { 200: z.object({ status: z.string(), followUpTicketId: z.number().nullable() }) },
    handler: async ({ params, body }) => {
      const { ticket } = await byToken(params.token);
      const customer = await loadCustomerPrincipal(ctx.db, ticket.customer_id);
      if (!customer) throw NotFoundError("Survey");
      const result = await addMessage(ctx, customer, ticket.id, createMessageBody.parse({ body: body.comment }));
      return { status: result.ticket.status, followUpTicketId: result.followUpTicketId };
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/tickets/:id/csat",
    summary: "Whether the customer was asked to rate the ticket, and their answer",
    tags,
    access: "any",
    params: idParams,
    responses: { 200: ticketCsat },
    handler: async ({ principal, params }) => {
      await loadVisibleTicket(ctx.db, principal, params.id);
      return csatOf(ctx.db, params.id);
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/tickets/:id/csat",
    summary: "The customer rates their solved ticket in the portal (one answer per ticket)",
    tags,
    access: "any",
    params: idParams,
    body: rateBody,
    responses: { 201: csatAnswer },
    handler: async ({ principal, params, body, reply }) => {
      const ticket = await loadVisibleTicket(ctx.db, principal, params.id);
      if (principal.kind !== "customer" || ticket.customer_id !== principal.id)
        throw ForbiddenError("Only the customer who asked rates the ticket.");
      reply.code(201);
      return rateTicket(ctx, ticket.id, principal.id, body, "portal");
    },
  });
}
