import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams } from "@loopdesk/contracts/common";
import { applyMacroBody, cannedReply, createCannedReplyBody, macroPreview, updateCannedReplyBody } from "@loopdesk/contracts/workspace";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { applyMacro } from "./apply-macro";
import { createCannedReply, deleteCannedReply, listCannedReplies, updateCannedReply } from "./canned-reply-service";

const tags = ["canned-replies"];

export function registerCannedReplyRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/canned-replies",
    summary: "Canned replies: the shared ones and the caller's own",
    tags,
    access: "staff",
    responses: { 200: z.object({ items: z.array(cannedReply) }) },
    handler: async ({ principal }) => ({ items: await listCannedReplies(ctx.db, principal) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/canned-replies",
    summary: "Create a canned reply (shared ones: supervisors and admins)",
    tags,
    access: "staff",
    body: createCannedReplyBody,
    responses: { 201: cannedReply },
    handler: async ({ principal, body, reply }) => {
      reply.code(201);
      return createCannedReply(ctx.db, principal, body);
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/canned-replies/:id",
    summary: "Change a canned reply (own, or shared for supervisors and admins)",
    tags,
    access: "staff",
    params: idParams,
    body: updateCannedReplyBody,
    responses: { 200: cannedReply },
    handler: ({ principal, params, body }) => updateCannedReply(ctx.db, principal, params.id, body),
  });
  route(app, {
    method: "DELETE",
    url: "/api/v1/canned-replies/:id",
    summary: "Delete a canned reply (own, or shared for supervisors and admins)",
    tags,
    access: "staff",
    params: idParams,
    handler: async ({ principal, params }) => {
      await deleteCannedReply(ctx.db, principal, params.id);
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/tickets/:id/macros/:macroId",
    summary:
      "Apply a macro (a canned reply with changes) to the ticket in one step: its reply filled in, the status, priority, tags, assignee and fields it sets; `preview` answers what it would do and changes nothing",
    tags,
    access: "staff",
    params: z.object({ id: idParams.shape.id, macroId: idParams.shape.id }),
    body: applyMacroBody,
    responses: { 200: macroPreview },
    handler: ({ principal, params, body }) => applyMacro(ctx, principal, params.id, params.macroId, body.preview),
  });
}
