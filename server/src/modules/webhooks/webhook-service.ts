import type { createWebhookBody, updateWebhookBody, Webhook, WebhookDelivery } from "@loopdesk/contracts/webhooks";
import { type Selectable, sql } from "kysely";
import type { z } from "zod";
import type { WebhookDeliveriesTable, WebhooksTable } from "../../db/schema-automations";
import { NotFoundError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";

type Row = Selectable<WebhooksTable>;

const present = (r: Row): Webhook => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  url: r.url,
  hasSecret: r.secret !== null,
  events: r.events as Webhook["events"],
  active: r.active,
  locale: r.locale,
  createdAt: r.created_at.toISOString(),
});

export const presentDelivery = (r: Selectable<WebhookDeliveriesTable>): WebhookDelivery => ({
  id: Number(r.id),
  webhookId: r.webhook_id,
  eventType: r.event_type,
  ticketId: r.ticket_id,
  status: r.status,
  attempts: r.attempts,
  responseStatus: r.response_status,
  responseBody: r.response_body,
  error: r.error,
  resendOf: r.resend_of === null ? null : Number(r.resend_of),
  createdAt: r.created_at.toISOString(),
  completedAt: r.completed_at?.toISOString() ?? null,
});

export async function listWebhooks(db: Executor) {
  return (await db.selectFrom("webhooks").selectAll().orderBy("id").execute()).map(present);
}

export async function webhookExists(db: Executor, id: number) {
  return !!(await db.selectFrom("webhooks").select("id").where("id", "=", id).executeTakeFirst());
}

/** The webhook if it exists and is active. */
export const activeWebhook = (db: Executor, id: number) =>
  db.selectFrom("webhooks").select(["id", "locale"]).where("id", "=", id).where("active", "=", true).executeTakeFirst();

/** Active webhooks subscribed to an event type (for fan-out). */
export async function webhooksFor(db: Executor, eventType: string) {
  return db.selectFrom("webhooks").selectAll().where("active", "=", true).where(sql<boolean>`${eventType} = any(events)`).execute();
}

export async function createWebhook(db: Executor, input: z.output<typeof createWebhookBody>) {
  const row = await db
    .insertInto("webhooks")
    .values({
      name: input.name,
      kind: input.kind,
      url: input.url,
      secret: input.secret,
      events: input.events,
      active: input.active,
      locale: input.locale,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return present(row);
}

export async function updateWebhook(db: Executor, id: number, input: z.output<typeof updateWebhookBody>) {
  const row = await db
    .updateTable("webhooks")
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.kind !== undefined ? { kind: input.kind } : {}),
      ...(input.url !== undefined ? { url: input.url } : {}),
      ...(input.secret !== undefined ? { secret: input.secret } : {}),
      ...(input.events !== undefined ? { events: input.events } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      ...(input.locale !== undefined ? { locale: input.locale } : {}),
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw NotFoundError("Webhook");
  return present(row);
}

export async function deleteWebhook(db: Executor, id: number) {
  const r = await db.deleteFrom("webhooks").where("id", "=", id).executeTakeFirst();
  if (!r.numDeletedRows) throw NotFoundError("Webhook");
}

/** The newest deliveries of a webhook, with each attempt's response. */
export async function listDeliveries(db: Executor, webhookId: number, limit = 50) {
  if (!(await webhookExists(db, webhookId))) throw NotFoundError("Webhook");
  const rows = await db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("webhook_id", "=", webhookId)
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map(presentDelivery);
}
