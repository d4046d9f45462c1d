import type { AppContext } from "../../platform/context";
import { NotFoundError } from "../../platform/errors";
import { type Executor, enqueue } from "../../platform/jobs/job-queue";
import { type DeliveryPayload, accepted, buildWebhookRequest } from "./webhook-request";
import { presentDelivery } from "./webhook-service";

const DELIVER_QUEUE = "webhook.deliver";
/** 1 try + 7 retries: with the default 30 s base the last is about an hour after the first. */
export const MAX_DELIVERY_ATTEMPTS = 8;
const TIMEOUT_MS = 10_000;
const KEEP_RESPONSE_CHARS = 2000;

type Delivered = {
  event: string;
  ticketId: number | null;
  ticket: Record<string, unknown> | null;
  data: Record<string, unknown>;
  text: string;
};

/** What a delivery stores to send (the request is built from it at each attempt). */
export const deliveryPayload = (p: Delivered, occurredAt = new Date()) =>
  JSON.stringify({ ticket: p.ticket, data: p.data, text: p.text, occurredAt: occurredAt.toISOString() });

/** Records a delivery and schedules it, in the caller's transaction (it exists exactly if the cause commits). */
export async function queueWebhookDelivery(db: Executor, webhookId: number, p: Delivered, resendOf: number | null = null) {
  const row = await db
    .insertInto("webhook_deliveries")
    .values({
      webhook_id: webhookId,
      event_type: p.event,
      ticket_id: p.ticketId,
      payload: deliveryPayload(p),
      resend_of: resendOf,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await enqueue(db, DELIVER_QUEUE, { deliveryId: Number(row.id) }, { maxAttempts: MAX_DELIVERY_ATTEMPTS });
  return Number(row.id);
}

/** Sends a past delivery again as a new delivery (kept next to the original in the log). */
export async function resendDelivery(db: Executor, webhookId: number, deliveryId: number) {
  const old = await db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("id", "=", deliveryId)
    .where("webhook_id", "=", webhookId)
    .executeTakeFirst();
  if (!old) throw NotFoundError("Delivery");
  const p = old.payload as { ticket: Record<string, unknown> | null; data: Record<string, unknown>; text: string };
  const id = await queueWebhookDelivery(db, webhookId, { event: old.event_type, ticketId: old.ticket_id, ...p }, Number(old.id));
  return presentDelivery(await db.selectFrom("webhook_deliveries").selectAll().where("id", "=", id).executeTakeFirstOrThrow());
}

/** A test message to check a webhook's address and secret, through the delivery log like any other. */
export async function sendTestDelivery(db: Executor, webhookId: number) {
  const hook = await db.selectFrom("webhooks").select(["id", "locale"]).where("id", "=", webhookId).executeTakeFirst();
  if (!hook) throw NotFoundError("Webhook");
  const text =
    hook.locale === "en"
      ? "**Loopdesk test message**\nThis webhook is set up correctly."
      : "**Loopdesk 测试消息**\n这个 Webhook 已配置成功。";
  const id = await queueWebhookDelivery(db, webhookId, { event: "test", ticketId: null, ticket: null, data: {}, text });
  return presentDelivery(await db.selectFrom("webhook_deliveries").selectAll().where("id", "=", id).executeTakeFirstOrThrow());
}

/**
 * Delivery runs as a leased job (no transaction open during the HTTP call). Each attempt's
 * status, response and error are written to the delivery log; a refusal or network error is
 * retried with exponential backoff (base × 2^(attempt−1)) up to MAX_DELIVERY_ATTEMPTS.
 */
export function registerWebhookDelivery(ctx: AppContext) {
  ctx.jobs.defineLeased<{ deliveryId: number }>({
    queue: DELIVER_QUEUE,
    leaseMs: 60_000,
    maxAttempts: MAX_DELIVERY_ATTEMPTS,
    backoffMs: (attempt) => ctx.config.webhookRetryBaseMs * 2 ** (attempt - 1),
    run: async ({ deliveryId }, { db, attempt, logger }) => {
      const d = await db
        .selectFrom("webhook_deliveries")
        .innerJoin("webhooks", "webhooks.id", "webhook_deliveries.webhook_id")
        .select([
          "webhook_deliveries.id",
          "webhook_deliveries.event_type",
          "webhook_deliveries.payload",
          "webhooks.kind",
          "webhooks.url",
          "webhooks.secret",
          "webhooks.active",
        ])
        .where("webhook_deliveries.id", "=", deliveryId)
        .executeTakeFirst();
      if (!d) return; // webhook deleted meanwhile
      const stored = d.payload as Omit<DeliveryPayload, "event" | "deliveryId">;
      // The secret is stored sealed (or, from before sealing, plain): in the clear only for signing.
      const hook = { ...d, secret: d.secret ? ctx.secrets.reveal(d.secret) : null };
      const request = buildWebhookRequest(hook, { event: d.event_type, deliveryId, ...stored });
      let status: number | null = null;
      let body = "";
      let error: string | null = null;
      try {
        const res = await fetch(request.url, {
          method: "POST",
          headers: request.headers,
          body: request.body,
          redirect: "manual",
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        status = res.status;
        body = (await res.text()).slice(0, KEEP_RESPONSE_CHARS);
        if (!accepted(d.kind, status, body)) error = `rejected with HTTP ${status}`;
      } catch (err) {
        error = (err as Error).name === "TimeoutError" ? `no answer within ${TIMEOUT_MS / 1000} s` : String((err as Error).message ?? err);
      }
      const final = error !== null && attempt >= MAX_DELIVERY_ATTEMPTS;
      await db
        .updateTable("webhook_deliveries")
        .set({
          attempts: attempt,
          response_status: status,
          response_body: body || null,
          error,
          status: error === null ? "succeeded" : final ? "failed" : "pending",
          completed_at: error === null || final ? new Date() : null,
        })
        .where("id", "=", deliveryId)
        .execute();
      if (error !== null) {
        logger.warn({ deliveryId, attempt, status, error }, "webhook delivery failed");
        // The job queue retries with backoff; the log above already shows this attempt.
        throw new Error(error);
      }
    },
  });
}
