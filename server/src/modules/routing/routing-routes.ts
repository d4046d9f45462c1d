import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams } from "@loopdesk/contracts/common";
import { ticket } from "@loopdesk/contracts/tickets";
import {
  agentState,
  rejectTicketBody,
  setPresenceBody,
  ticketRouting,
  transferOutcome,
  transferTicketBody,
} from "@loopdesk/contracts/routing";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { loadVisibleTicket } from "../tickets/ticket-access";
import { presentTicket } from "../tickets/ticket-presenter";
import { getTicketRow, offeredTickets } from "../tickets/ticket-routing-state";
import { heartbeat, listAgentStates, setPresence } from "./agent-state-service";
import { ticketDecisions } from "./assignment-log";
import { returnTicketsOf, sweepSoon } from "./routing-jobs";
import { routingDirectory } from "./routing-directory";
import { claimTicket, rejectTicket } from "./ticket-routing-actions";
import { previewTransfer, transferTicket } from "./transfer-ticket";
import { routeTicket } from "./route-ticket";

const tags = ["routing"];
const offer = z.object({
  ticketId: z.number(),
  number: z.number(),
  subject: z.string(),
  teamId: z.number().nullable(),
  priorityScore: z.number(),
  offeredUntil: z.string().nullable(),
  createdAt: z.string(),
});

/** An agent's side of routing: presence, offers to claim, claim / decline / transfer, and why a ticket went where it did. */
export function registerRoutingRoutes(app: FastifyInstance, ctx: AppContext) {
  const db = ctx.db;

  route(app, {
    method: "GET",
    url: "/api/v1/routing/me",
    summary: "My routing state: presence, shift, load and capacity",
    tags,
    access: "staff",
    responses: { 200: agentState },
    handler: async ({ principal }) => {
      const me = (await listAgentStates(db, ctx.config.timeZone)).find((a) => a.staffId === principal.id);
      return me;
    },
  });
  route(app, {
    method: "PUT",
    url: "/api/v1/routing/me/presence",
    summary: "Set my presence (online receives automatic assignments; away and offline do not)",
    tags,
    access: "staff",
    body: setPresenceBody,
    responses: { 200: z.object({ presence: setPresenceBody.shape.presence }) },
    handler: async ({ principal, body }) => {
      await db.transaction().execute(async (trx) => {
        await setPresence(trx, principal.id, body.presence, "user");
        if (body.presence === "online") await sweepSoon(trx);
        else await returnTicketsOf(trx, principal.id);
      });
      ctx.jobs.wake();
      return { presence: body.presence };
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/routing/me/heartbeat",
    summary: "The workspace reports activity (presence follows inactivity)",
    tags,
    access: "staff",
    responses: { 200: z.object({ presence: setPresenceBody.shape.presence }) },
    handler: async ({ principal }) => {
      const beat = await db.transaction().execute(async (trx) => {
        const result = await heartbeat(trx, principal.id, ctx.config.timeZone);
        // Came online (back from inactivity, or on shift at sign-in): waiting tickets are assigned now.
        if (result.cameOnline) await sweepSoon(trx);
        return result;
      });
      if (beat.cameOnline) ctx.jobs.wake();
      return { presence: beat.presence };
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/routing/offers",
    summary: "Tickets offered to my teams for claiming (抢单)",
    tags,
    access: "staff",
    responses: { 200: z.object({ items: z.array(offer) }) },
    handler: async ({ principal }) => {
      const dir = await routingDirectory(db);
      const teamIds = [...dir.teams.values()].filter((t) => t.memberIds.includes(principal.id)).map((t) => t.teamId);
      const rows = await offeredTickets(db, teamIds);
      return {
        items: rows
          .filter((r) => !r.routing_excluded.includes(principal.id))
          .map((r) => ({
            ticketId: r.id,
            number: r.number,
            subject: r.subject,
            teamId: r.team_id,
            priorityScore: r.priority_score,
            offeredUntil: r.offered_until?.toISOString() ?? null,
            createdAt: r.created_at.toISOString(),
          })),
      };
    },
  });

  route(app, {
    method: "POST",
    url: "/api/v1/tickets/:id/claim",
    summary: "Claim an offered ticket; the first claim wins (409 already_assigned for the others)",
    tags,
    access: "staff",
    params: idParams,
    responses: { 200: ticket },
    handler: async ({ principal, params }) => {
      await db.transaction().execute((trx) => claimTicket(ctx, trx, principal, params.id));
      ctx.jobs.wake();
      return presentTicket(await loadVisibleTicket(db, principal, params.id));
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/tickets/:id/reject",
    summary: "Decline my ticket with a reason; it is routed to someone else",
    tags,
    access: "staff",
    params: idParams,
    body: rejectTicketBody,
    responses: { 200: ticket },
    handler: async ({ principal, params, body }) => {
      await db.transaction().execute((trx) => rejectTicket(ctx, trx, principal, params.id, body.reason));
      ctx.jobs.wake();
      return presentTicket(await getTicketRow(db, params.id));
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/tickets/:id/transfer",
    summary: "Transfer to a department, a team or a person, with a reason (转派); answers the ticket as it is now",
    tags,
    access: "staff",
    params: idParams,
    body: transferTicketBody,
    responses: { 200: ticket },
    handler: async ({ principal, params, body }) => {
      await db.transaction().execute((trx) => transferTicket(ctx, trx, principal, params.id, body));
      ctx.jobs.wake();
      return presentTicket(await getTicketRow(db, params.id));
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/tickets/:id/transfer/preview",
    summary: "Who would own the ticket after this transfer (nothing changes)",
    tags,
    access: "staff",
    params: idParams,
    body: transferTicketBody,
    responses: { 200: transferOutcome },
    handler: ({ principal, params, body }) => previewTransfer(ctx, principal, params.id, body),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/tickets/:id/route",
    summary: "Route an unassigned ticket now (supervisor, admin)",
    tags,
    access: ["admin", "supervisor"],
    params: idParams,
    responses: { 200: ticket },
    handler: async ({ principal, params }) => {
      await loadVisibleTicket(db, principal, params.id, { need: "full" });
      await db
        .transaction()
        .execute((trx) => routeTicket(ctx, trx, params.id, { trigger: "manual", actor: { type: "staff", id: principal.id } }));
      ctx.jobs.wake();
      return presentTicket(await loadVisibleTicket(db, principal, params.id));
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/tickets/:id/routing",
    summary: "A ticket's team, priority score and its parts, and every routing decision with the candidates considered",
    tags,
    access: "staff",
    params: idParams,
    responses: { 200: ticketRouting },
    handler: async ({ principal, params }) => {
      const t = await loadVisibleTicket(db, principal, params.id);
      return {
        teamId: t.team_id,
        routingStatus: t.routing_status,
        offeredUntil: t.offered_until?.toISOString() ?? null,
        transferCount: t.transfer_count,
        priorityScore: t.priority_score,
        scoreParts: t.priority_parts,
        decisions: await ticketDecisions(db, t.id),
      };
    },
  });
}
