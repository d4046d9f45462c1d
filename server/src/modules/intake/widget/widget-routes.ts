import type { FastifyInstance } from "fastify";
import { rateBody } from "@loopdesk/contracts/feedback";
import { z } from "zod";
import { customFieldDefinition } from "@loopdesk/contracts/custom-fields";
import { widgetConversation as conversation, widgetReplyBody, widgetTicketBody, widgetTicketCreated } from "@loopdesk/contracts/intake";
import type { AppContext } from "../../../platform/context";
import { NotFoundError } from "../../../platform/errors";
import { route } from "../../../platform/http/route";
import { listCustomFields } from "../../custom-fields/custom-field-service";
import { listCategories } from "../../directory/category-service";
import { openWidgetTicket, rateFromWidget, replyFromWidget, widgetConversation } from "./widget-service";

const tags = ["widget"];
/** The widget's key to one ticket travels in a header, never in a URL (URLs end up in logs). */
const tokenOf = (headers: Record<string, unknown>) => {
  const v = headers["x-widget-token"];
  if (typeof v !== "string" || v.length < 20 || v.length > 200) throw NotFoundError("Ticket");
  return v;
};

/** The embeddable web widget's API: public, rate-limited, spam-protected. */
export function registerWidgetRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/widget/config",
    summary: "What the widget form offers: active categories and ticket fields (templates)",
    tags,
    access: "public",
    responses: {
      200: z.object({
        categories: z.array(z.object({ id: z.number(), name: z.string(), parentId: z.number().nullable() })),
        fields: z.array(customFieldDefinition),
      }),
    },
    handler: async () => ({
      categories: (await listCategories(ctx.db, true)).map((c) => ({ id: c.id, name: c.name, parentId: c.parentId })),
      fields: await listCustomFields(ctx.db, "ticket", true),
    }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/widget/tickets",
    summary: "Open a ticket from the widget (answers the ticket number and a key to follow it)",
    tags,
    access: "public",
    body: widgetTicketBody,
    responses: { 201: widgetTicketCreated },
    handler: async ({ req, reply, body }) => {
      const created = await openWidgetTicket(ctx, body, req.ip);
      reply.code(201);
      return created;
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/widget/ticket",
    summary: "The ticket behind the X-Widget-Token key: status and the public conversation",
    tags,
    access: "public",
    responses: { 200: conversation },
    handler: ({ req }) => widgetConversation(ctx, tokenOf(req.headers)),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/widget/ticket/messages",
    summary: "Reply on the ticket behind the X-Widget-Token key",
    tags,
    access: "public",
    body: widgetReplyBody,
    responses: { 200: conversation },
    handler: ({ req, body }) => replyFromWidget(ctx, tokenOf(req.headers), body.body),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/widget/ticket/rating",
    summary:
      "Rate the solved ticket behind the X-Widget-Token key, 1–5 with an optional comment (one answer per ticket: 409 already_rated)",
    tags,
    access: "public",
    body: rateBody,
    responses: { 200: conversation },
    handler: ({ req, body }) => rateFromWidget(ctx, tokenOf(req.headers), body),
  });
}
