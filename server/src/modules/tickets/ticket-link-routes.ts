import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams } from "@loopdesk/contracts/common";
import { ticket } from "@loopdesk/contracts/tickets";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { enqueueRoute } from "../routing/routing-jobs";
import { clearDuplicate, mergeTickets } from "./merge-tickets";
import { presentTicket } from "./ticket-presenter";

const tags = ["tickets"];

/** Duplicates and merging: merge a ticket into another, or clear a duplicate flag (the ticket is then routed). */
export function registerTicketLinkRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "POST",
    url: "/api/v1/tickets/:id/merge",
    summary: "Merge this ticket into another of the same customer (it closes; its request and conversation move over)",
    tags,
    access: "staff",
    params: idParams,
    body: z.strictObject({ ticketId: z.number().int().positive() }),
    responses: { 200: ticket },
    handler: async ({ principal, params, body }) => {
      const kept = await mergeTickets(ctx, principal, params.id, body.ticketId);
      ctx.jobs.wake();
      return presentTicket(kept);
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/tickets/:id/not-duplicate",
    summary: "Not a duplicate after all: clear the flag and route the ticket",
    tags,
    access: "staff",
    params: idParams,
    responses: { 200: ticket },
    handler: async ({ principal, params }) => {
      const updated = await ctx.db.transaction().execute(async (trx) => {
        const t = await clearDuplicate(ctx, trx, principal, params.id);
        if (t.assignee_id === null) await enqueueRoute(trx, t.id, "created");
        return t;
      });
      ctx.jobs.wake();
      return presentTicket(updated);
    },
  });
}
