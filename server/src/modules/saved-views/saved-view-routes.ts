import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams } from "@loopdesk/contracts/common";
import { createSavedViewBody, savedView, updateSavedViewBody } from "@loopdesk/contracts/workspace";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { createSavedView, deleteSavedView, listSavedViews, updateSavedView } from "./saved-view-service";

const tags = ["saved-views"];

export function registerSavedViewRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/views",
    summary: "Saved ticket views: the caller's own and those shared with all staff",
    tags,
    access: "staff",
    responses: { 200: z.object({ items: z.array(savedView) }) },
    handler: async ({ principal }) => ({ items: await listSavedViews(ctx.db, principal) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/views",
    summary: "Save the current ticket-list filters as a view (optionally shared)",
    tags,
    access: "staff",
    body: createSavedViewBody,
    responses: { 201: savedView },
    handler: async ({ principal, body, reply }) => {
      reply.code(201);
      return createSavedView(ctx.db, principal, body);
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/views/:id",
    summary: "Rename, re-filter or (un)share a view (its owner or an admin)",
    tags,
    access: "staff",
    params: idParams,
    body: updateSavedViewBody,
    responses: { 200: savedView },
    handler: ({ principal, params, body }) => updateSavedView(ctx.db, principal, params.id, body),
  });
  route(app, {
    method: "DELETE",
    url: "/api/v1/views/:id",
    summary: "Delete a view (its owner or an admin)",
    tags,
    access: "staff",
    params: idParams,
    handler: async ({ principal, params }) => {
      await deleteSavedView(ctx.db, principal, params.id);
    },
  });
}
