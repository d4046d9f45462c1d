import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams, pageOf } from "@loopdesk/contracts/common";
import {
  attachmentMeta,
  bulkUpdateBody,
  bulkUpdateResult,
  countTicketsQuery,
  createMessageBody,
  createTicketBody,
  eventNames,
  listTicketsQuery,
  message,
  messageResult,
  type PortalTicket,
  type Ticket,
  ticket,
  ticketForCaller,
  ticketCount,
  ticketEvent,
  updateTicketBody,
  urgeBody,
  urgeResult,
} from "@loopdesk/contracts/tickets";
import type { AppContext } from "../../platform/context";
import { ValidationError } from "../../platform/errors";
import { withIdempotency } from "../../platform/http/idempotency";
import { route } from "../../platform/http/route";
import { openAttachment, storeAttachment, ticketAttachments } from "./attachment-service";
import { addMessage } from "./add-message";
import { bulkUpdateTickets, undoBulkUpdate } from "./bulk-update-tickets";
import { createTicket, prepareTicket } from "./create-ticket";
import { creationQueueOf } from "./creation-queue";
import { countTickets, listTicketsFor } from "./list-tickets";
import { touchPresence } from "./ticket-presence";
import { loadTicketWithAccess, loadVisibleTicket } from "./ticket-access";
import { etagOf, presentTicket, presentTicketFor } from "./ticket-presenter";
import { listEvents, listMessages, presentMessages } from "./ticket-timeline";
import { parseIfMatch, updateTicket } from "./update-ticket";
import { urgeTicket } from "./urge-ticket";

const tags = ["tickets"];

export function registerTicketRoutes(app: FastifyInstance, ctx: AppContext) {
  const creations = creationQueueOf(ctx);
  route(app, {
    method: "POST",
    url: "/api/v1/tickets",
    summary: "Create a ticket (honours Idempotency-Key)",
    tags,
    access: "any",
    body: createTicketBody,
    responses: { 201: ticketForCaller },
    handler: async ({ req, reply, principal, body }) => {
      const prepared = await prepareTicket(ctx, principal, body);
      const header = req.headers["idempotency-key"];
      const key = Array.isArray(header) ? header[0] : header;
      // Without a key, concurrent creations share transactions (creation-queue.ts).
      const result =
        key === undefined
          ? {
              status: 201,
              body: await presentTicketFor(ctx.db, principal, await creations.create({ principal, input: body, prepared })),
              replayed: false,
            }
          : await withIdempotency(ctx.db, { principal: `${principal.kind}:${principal.id}`, key, request: body }, async (trx) => ({
              status: 201,
              body: await presentTicketFor(trx, principal, await createTicket(ctx, trx, principal, body, prepared)),
            }));
      ctx.jobs.wake();
      const created = result.body as Ticket | PortalTicket;
      reply.code(result.status).header("location", `/api/v1/tickets/${created.id}`);
      if ("version" in created) reply.header("etag", `"${created.version}"`);
      if (result.replayed) reply.header("idempotent-replayed", "true");
      return created;
    },
  });

  route(app, {
    method: "GET",
    url: "/api/v1/tickets",
    summary: "List tickets visible to the caller (a customer gets the portal view of each)",
    tags,
    access: "any",
    query: listTicketsQuery,
    responses: { 200: pageOf(ticketForCaller) },
    handler: ({ principal, query }) => listTicketsFor(ctx, principal, query),
  });

  route(app, {
    method: "POST",
    url: "/api/v1/tickets/bulk-update",
    summary: "Apply the same changes to up to 100 tickets; answers per ticket",
    tags,
    access: "staff",
    body: bulkUpdateBody,
    responses: { 200: bulkUpdateResult },
    handler: async ({ principal, body }) => {
      const result = await bulkUpdateTickets(ctx, principal, body.ids, body.changes);
      ctx.jobs.wake();
      return result;
    },
  });

  route(app, {
    method: "POST",
    url: "/api/v1/tickets/bulk-update/:undoId/undo",
    summary: "Undo a bulk change within a minute (only whoever made it; tickets changed since are left as they are)",
    tags,
    access: "staff",
    params: z.strictObject({ undoId: z.string().uuid() }),
    responses: { 200: bulkUpdateResult },
    handler: async ({ principal, params }) => {
      const result = await undoBulkUpdate(ctx, principal, params.undoId);
      ctx.jobs.wake();
      return result;
    },
  });

  route(app, {
    method: "GET",
    url: "/api/v1/tickets/count",
    summary: "Count visible tickets matching the list filters (capped at 10,000)",
    tags,
    access: "any",
    query: countTicketsQuery,
    responses: { 200: ticketCount },
    handler: ({ principal, query }) => countTickets(ctx, principal, query),
  });

  route(app, {
    method: "GET",
    url: "/api/v1/tickets/:id",
    summary: "Get a ticket (ETag carries its version; a customer gets the portal view)",
    tags,
    access: "any",
    params: idParams,
    responses: { 200: ticketForCaller },
    handler: async ({ reply, principal, params }) => {
      const { ticket: t, access } = await loadTicketWithAccess(ctx.db, principal, params.id);
      reply.header("etag", etagOf(t));
      return principal.kind === "customer" ? presentTicketFor(ctx.db, principal, t) : { ...presentTicket(t), access };
    },
  });

  route(app, {
    method: "PATCH",
    url: "/api/v1/tickets/:id",
    summary: "Update ticket fields; send If-Match to detect collisions (412 when stale)",
    tags,
    access: "any",
    params: idParams,
    body: updateTicketBody,
    responses: { 200: ticket },
    handler: async ({ req, reply, principal, params, body }) => {
      const ifMatch = parseIfMatch(req.headers["if-match"]);
      const t = await updateTicket(ctx, principal, params.id, body, ifMatch);
      ctx.jobs.wake();
      reply.header("etag", etagOf(t));
      return presentTicket(t);
    },
  });

  route(app, {
    method: "GET",
    url: "/api/v1/tickets/:id/messages",
    summary: "Conversation of a ticket",
    tags,
    access: "any",
    params: idParams,
    responses: { 200: z.object({ items: z.array(message) }) },
    handler: async ({ principal, params }) => ({ items: await listMessages(ctx.db, principal, params.id) }),
  });

  route(app, {
    method: "POST",
    url: "/api/v1/tickets/:id/messages",
    summary: "Add a public reply or internal note",
    tags,
    access: "any",
    params: idParams,
    body: createMessageBody,
    responses: { 201: messageResult },
    handler: async ({ reply, principal, params, body }) => {
      const result = await addMessage(ctx, principal, params.id, body);
      ctx.jobs.wake();
      reply.code(201).header("etag", etagOf(result.ticket));
      return {
        message: (await presentMessages(ctx.db, [result.message]))[0],
        ticket: await presentTicketFor(ctx.db, principal, result.ticket),
        followUpTicketId: result.followUpTicketId,
      };
    },
  });

  route(app, {
    method: "GET",
    url: "/api/v1/tickets/:id/events",
    summary: "History of a ticket (append-only)",
    tags,
    access: "any",
    params: idParams,
    responses: { 200: z.object({ items: z.array(ticketEvent), names: eventNames }) },
    handler: ({ principal, params }) => listEvents(ctx.db, principal, params.id),
  });

  route(app, {
    method: "POST",
    url: "/api/v1/tickets/:id/urge",
    summary: "One-click urge (催办): the assignee and their supervisors are notified; once per person per 30 minutes",
    tags,
    access: "any",
    params: idParams,
    body: urgeBody,
    responses: { 200: urgeResult },
    handler: ({ principal, params, body }) => urgeTicket(ctx, principal, params.id, body.note),
  });

  route(app, {
    method: "GET",
    url: "/api/v1/tickets/:id/attachments",
    summary: "Files attached to the ticket itself when it was opened (message files come with their messages)",
    tags,
    access: "any",
    params: idParams,
    responses: { 200: z.object({ items: z.array(attachmentMeta) }) },
    handler: async ({ principal, params }) => {
      await loadVisibleTicket(ctx.db, principal, params.id);
      return { items: await ticketAttachments(ctx.db, params.id) };
    },
  });

  route(app, {
    method: "PUT",
    url: "/api/v1/tickets/:id/presence",
    summary: "Heartbeat: the caller is viewing or typing on the ticket (or left); answers who else is there",
    tags,
    access: "staff",
    params: idParams,
    body: z.strictObject({ state: z.enum(["viewing", "typing", "left"]) }),
    responses: {
      200: z.object({ items: z.array(z.object({ staffId: z.number(), name: z.string(), state: z.enum(["viewing", "typing"]) })) }),
    },
    handler: ({ principal, params, body }) => touchPresence(ctx, principal, params.id, body.state),
  });

  route(app, {
    method: "POST",
    url: "/api/v1/attachments",
    summary: "Upload a file (multipart field 'file'); attach it by id to a ticket or message",
    tags: ["attachments"],
    access: "any",
    responses: { 201: attachmentMeta },
    bodyLimit: ctx.config.maxUploadBytes + 64 * 1024,
    handler: async ({ req, reply, principal }) => {
      if (!req.isMultipart())
        throw ValidationError([{ path: "file", code: "multipart_required", message: "Send the file as multipart/form-data." }]);
      const file = await req.file({ limits: { fileSize: ctx.config.maxUploadBytes, files: 1 } });
      if (!file) throw ValidationError([{ path: "file", code: "required", message: "No file was sent." }]);
      const data = await file.toBuffer();
      reply.code(201);
      return storeAttachment(ctx.db, ctx.files, principal, file.filename, data);
    },
  });

  route(app, {
    method: "GET",
    url: "/api/v1/attachments/:id",
    summary: "Download a file (never served as active content)",
    tags: ["attachments"],
    access: "any",
    params: idParams,
    handler: async ({ reply, principal, params }) => {
      const file = await openAttachment(ctx.db, ctx.files, principal, params.id);
      reply.headers(file.headers);
      return reply.send(file.stream);
    },
  });
}
