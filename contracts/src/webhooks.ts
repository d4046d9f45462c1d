import { z } from "zod";
import { isoDate, patchBody } from "./common";

/** generic: our JSON signed with HMAC-SHA256; the others: that platform's group robot message format. */
export const webhookKinds = ["generic", "wecom", "dingtalk", "feishu"] as const;
export const webhookEvents = [
  "ticket.created",
  "ticket.updated",
  "ticket.message_added",
  "ticket.urged",
  "ticket.sla_warning",
  "ticket.sla_breached",
  "ticket.escalated",
  "ticket.csat_received",
] as const;

export const webhook = z.object({
  id: z.number(),
  name: z.string(),
  kind: z.enum(webhookKinds),
  url: z.string(),
  /** Never returned: only whether one is set. */
  hasSecret: z.boolean(),
  events: z.array(z.enum(webhookEvents)),
  active: z.boolean(),
  locale: z.enum(["zh-CN", "en"]),
  createdAt: isoDate,
});
export type Webhook = z.infer<typeof webhook>;

const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((u) => {
    try {
      return ["http:", "https:"].includes(new URL(u).protocol);
    } catch {
      return false;
    }
  }, "invalid_url");
export const createWebhookBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(webhookKinds).default("generic"),
  url: httpUrl,
  /** generic: the HMAC key; dingtalk/feishu: the robot's signing secret (加签). */
  secret: z.string().min(8).max(200).nullable().default(null),
  events: z.array(z.enum(webhookEvents)).max(webhookEvents.length).default([]),
  active: z.boolean().default(true),
  locale: z.enum(["zh-CN", "en"]).default("zh-CN"),
});
export const updateWebhookBody = patchBody(createWebhookBody);

export const webhookDelivery = z.object({
  id: z.number(),
  webhookId: z.number(),
  eventType: z.string(),
  ticketId: z.number().nullable(),
  status: z.enum(["pending", "succeeded", "failed"]),
  attempts: z.number(),
  responseStatus: z.number().nullable(),
  responseBody: z.string().nullable(),
  error: z.string().nullable(),
  resendOf: z.number().nullable(),
  createdAt: isoDate,
  completedAt: isoDate.nullable(),
});
export type WebhookDelivery = z.infer<typeof webhookDelivery>;
