import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams, idSchema } from "@loopdesk/contracts/common";
import { createWebhookBody, updateWebhookBody, webhook, webhookDelivery } from "@loopdesk/contracts/webhooks";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { resendDelivery, sendTestDelivery } from "./webhook-delivery";
import { webhookUsage } from "./webhook-jobs";
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, updateWebhook } from "./webhook-service";

const tags = ["webhooks"];

/** Outbound webhooks and group robots, with their delivery log (admin). */
export function registerWebhookRoutes(app: FastifyInstance, ctx: AppContext) {
  route(app, {
    method: "GET",
    url: "/api/v1/webhooks",
    summary: "Outbound webhooks and group robots (secrets are never returned)",
    tags,
    access: ["admin"],
    responses: { 200: z.object({ items: z.array(webhook) }) },
    handler: async () => ({ items: await listWebhooks(ctx.db) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/webhooks",
    summary: "Add a webhook (generic, signed with HMAC-SHA256) or a WeCom, DingTalk or Feishu group robot",
    tags,
    access: ["admin"],
    audit: { table: "webhooks" },
    body: createWebhookBody,
    responses: { 201: webhook },
    handler: async ({ body, reply }) => {
      const saved = await createWebhook(ctx.db, { ...body, secret: body.secret ? ctx.secrets.seal(body.secret) : body.secret });
      webhookUsage.markInUse(ctx.db);
      reply.code(201);
      return saved;
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/webhooks/:id",
    summary: "Change a webhook; `secret: null` removes the secret",
    tags,
    access: ["admin"],
    audit: { table: "webhooks" },
    params: idParams,
    body: updateWebhookBody,
    responses: { 200: webhook },
    handler: async ({ params, body }) => {
      const saved = await updateWebhook(ctx.db, params.id, { ...body, secret: body.secret ? ctx.secrets.seal(body.secret) : body.secret });
      webhookUsage.markInUse(ctx.db);
      return saved;
    },
  });
  route(app, {
    method: "DELETE",
    url: "/api/v1/webhooks/:id",
    summary: "Delete a webhook and its delivery log",
    tags,
    access: ["admin"],
    audit: { table: "webhooks" },
    params: idParams,
    handler: async ({ params, reply }) => {
      await deleteWebhook(ctx.db, params.id);
      reply.code(204);
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/webhooks/:id/deliveries",
    summary: "The webhook's newest deliveries with status, attempts and the receiver's response",
    tags,
    access: ["admin"],
    params: idParams,
    responses: { 200: z.object({ items: z.array(webhookDelivery) }) },
    handler: async ({ params }) => ({ items: await listDeliveries(ctx.db, params.id) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/webhooks/:id/deliveries/:deliveryId/resend",
    summary: "Send a delivery again (a new delivery that points at the original)",
    tags,
    access: ["admin"],
    params: z.object({ id: idSchema, deliveryId: idSchema }),
    responses: { 202: webhookDelivery },
    handler: async ({ params, reply }) => {
      reply.code(202);
      return resendDelivery(ctx.db, params.id, params.deliveryId);
    },
  });
  route(app, {
    method: "POST",
    url: "/api/v1/webhooks/:id/test",
    summary: "Send a test message to the webhook now (through the delivery log)",
    tags,
    access: ["admin"],
    params: idParams,
    responses: { 202: webhookDelivery },
    handler: async ({ params, reply }) => {
      reply.code(202);
      return sendTestDelivery(ctx.db, params.id);
    },
  });
}
