import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams } from "@loopdesk/contracts/common";
import { createVisitBody, listVisitsQuery, updateVisitBody, visit } from "@loopdesk/contracts/visits";
import type { AppContext } from "../../platform/context";
import { ConflictError } from "../../platform/errors";
import { route } from "../../platform/http/route";
import { loadVisibleTicket } from "../tickets/ticket-access";
import { actorOf } from "../tickets/ticket-events";
import { createVisit, listVisits, updateVisit } from "./visit-service";

const tags = ["feedback"];

/** Follow-up visits (回访): planned by rules or by hand, worked from the visits list. */
export function registerVisitRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/visits",
    summary: "Follow-up visits the caller may see, soonest due first; `overdue=true` for the overdue view",
    tags,
    access: "staff",
    query: listVisitsQuery,
    responses: { 200: z.object({ items: z.array(visit) }) },
    handler: async ({ principal, query }) => ({ items: await listVisits(ctx.db, principal, query) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/tickets/:id/visits",
    summary: "Plan a follow-up visit for the ticket (one open visit per ticket: 409 otherwise)",
    tags,
    access: "staff",
    params: idParams,
    body: createVisitBody,
    responses: { 201: visit },
    handler: async ({ principal, params, body, reply }) => {
      const ticket = await loadVisibleTicket(ctx.db, principal, params.id, { need: "full" });
      const saved = await createVisit(ctx.db, ticket, body, { kind: "staff", id: principal.id }, actorOf(principal));
      if (!saved) throw ConflictError("This ticket already has an open follow-up visit.");
      reply.code(201);
      return saved;
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/visits/:id",
    summary: "Assign or reschedule a visit, or record its result (`status: done` needs `result`)",
    tags,
    access: "staff",
    params: idParams,
    body: updateVisitBody,
    responses: { 200: visit },
    handler: ({ principal, params, body }) => updateVisit(ctx.db, principal, params.id, body),
  });
}
