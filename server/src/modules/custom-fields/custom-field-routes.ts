import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams } from "@loopdesk/contracts/common";
import { createCustomFieldBody, customFieldDefinition, fieldEntity, updateCustomFieldBody } from "@loopdesk/contracts/custom-fields";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { createCustomField, listCustomFields, updateCustomField } from "./custom-field-service";

const tags = ["custom-fields"];

export function registerCustomFieldRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/custom-fields",
    summary: "Custom field definitions (customers see active ticket fields)",
    tags,
    access: "any",
    query: z.strictObject({ entity: fieldEntity.optional() }),
    responses: { 200: z.object({ items: z.array(customFieldDefinition) }) },
    handler: async ({ principal, query }) => ({
      items: principal.kind === "customer" ? await listCustomFields(ctx.db, "ticket", true) : await listCustomFields(ctx.db, query.entity),
    }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/custom-fields",
    summary: "Define a custom field (admin)",
    tags,
    access: ["admin"],
    audit: { table: "custom_field_definitions" },
    body: createCustomFieldBody,
    responses: { 201: customFieldDefinition },
    handler: async ({ reply, body }) => {
      reply.code(201);
      return createCustomField(ctx.db, body);
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/custom-fields/:id",
    summary: "Change a custom field (admin)",
    tags,
    access: ["admin"],
    audit: { table: "custom_field_definitions" },
    params: idParams,
    body: updateCustomFieldBody,
    responses: { 200: customFieldDefinition },
    handler: ({ params, body }) => updateCustomField(ctx.db, params.id, body),
  });
}
