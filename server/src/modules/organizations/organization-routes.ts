import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams } from "@loopdesk/contracts/common";
import { createOrganizationBody, organization, updateOrganizationBody } from "@loopdesk/contracts/customers";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { createOrganization, getOrganization, listOrganizations, updateOrganization } from "./organization-service";

const tags = ["organizations"];

export function registerOrganizationRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/organizations",
    summary: "List organizations",
    tags,
    access: "staff",
    query: z.strictObject({ q: z.string().trim().max(200).optional() }),
    responses: { 200: z.object({ items: z.array(organization) }) },
    handler: async ({ query }) => ({ items: await listOrganizations(ctx.db, query.q) }),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/organizations/:id",
    summary: "Get an organization",
    tags,
    access: "staff",
    params: idParams,
    responses: { 200: organization },
    handler: ({ params }) => getOrganization(ctx.db, params.id),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/organizations",
    summary: "Create an organization",
    tags,
    access: "staff",
    body: createOrganizationBody,
    responses: { 201: organization },
    handler: async ({ reply, body }) => {
      reply.code(201);
      return createOrganization(ctx.db, body);
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/organizations/:id",
    summary: "Update an organization",
    tags,
    access: "staff",
    params: idParams,
    body: updateOrganizationBody,
    responses: { 200: organization },
    handler: ({ params, body }) => updateOrganization(ctx.db, params.id, body),
  });
}
