import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams, pageOf } from "@loopdesk/contracts/common";
import {
  createCustomerBody,
  customer,
  identityInput,
  listCustomersQuery,
  mergeCustomerBody,
  mergeCustomerResult,
  updateCustomerBody,
} from "@loopdesk/contracts/customers";
import type { AppContext } from "../../platform/context";
import { NotFoundError } from "../../platform/errors";
import { route } from "../../platform/http/route";
import { mergeCustomers } from "./merge-customers";
import { addIdentity, createCustomer, getCustomer, listCustomers, removeIdentity, updateCustomer } from "./customer-service";

const tags = ["customers"];

export function registerCustomerRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/customers",
    summary: "Search customers by name, email or phone",
    tags,
    access: "staff",
    query: listCustomersQuery,
    responses: { 200: pageOf(customer) },
    handler: ({ query }) => listCustomers(ctx.db, query),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/customers/:id",
    summary: "Get a customer (customers: only themselves)",
    tags,
    access: "any",
    params: idParams,
    responses: { 200: customer },
    handler: ({ principal, params }) => {
      if (principal.kind === "customer" && principal.id !== params.id) throw NotFoundError("Customer");
      return getCustomer(ctx.db, params.id);
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/customers",
    summary: "Create a customer",
    tags,
    access: "staff",
    body: createCustomerBody,
    responses: { 201: customer },
    handler: async ({ reply, body }) => {
      reply.code(201);
      return createCustomer(ctx.db, body);
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/customers/:id",
    summary: "Update a customer",
    tags,
    access: "staff",
    params: idParams,
    body: updateCustomerBody,
    responses: { 200: customer },
    handler: ({ params, body }) => updateCustomer(ctx.db, params.id, body),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/customers/:id/identities",
    summary: "Add a contact (email, phone, openid…) to a customer",
    tags,
    access: "staff",
    params: idParams,
    body: identityInput,
    responses: { 200: customer },
    handler: ({ params, body }) => addIdentity(ctx.db, params.id, body),
  });
  route(app, {
    method: "DELETE",
    url: "/api/v1/customers/:id/identities/:identityId",
    summary: "Remove a contact from a customer",
    tags,
    access: "staff",
    params: z.object({ id: idParams.shape.id, identityId: idParams.shape.id }),
    responses: { 200: customer },
    handler: ({ params }) => removeIdentity(ctx.db, params.id, params.identityId),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/customers/:id/merge",
    summary: "Merge another customer (a duplicate) into this one: contacts, tickets, messages and calls move here",
    tags,
    access: "staff",
    params: idParams,
    body: mergeCustomerBody,
    responses: { 200: mergeCustomerResult },
    handler: async ({ principal, params, body }) => {
      const result = await mergeCustomers(ctx, principal, params.id, body.customerId);
      ctx.jobs.wake();
      return result;
    },
  });
}
