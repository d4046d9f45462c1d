import type { AppContext } from "../../../platform/context";
import { type Executor, enqueue } from "../../../platform/jobs/job-queue";
import { reachesCustomerChannels } from "../../tickets/add-system-message";
import { findTicketById, ticketMessageForMail } from "../../tickets/ticket-lookup";
import { getImChannel } from "./im-channel-service";
import { imReplyTarget } from "./receive-im-message";
import { sendImMessage } from "./send-im-message";

const SEND_QUEUE = "im.send";
/** A reply (by its message id) or a text of its own (e.g. the request for missing information). */
type SendPayload = { channelId: number; to: string; ticketId: number; messageId?: number; text?: string };

/** An agent's public reply on a ticket that came from an IM channel goes back to the sender there. */
export function registerImJobs(ctx: AppContext) {
  ctx.events.subscribe({
    name: "im-reply",
    types: ["ticket.message_added"],
    accepts: ({ payload }) => reachesCustomerChannels(payload),
    handle: async (event, { trx }) => {
      const target = await imReplyTarget(trx, event.aggregateId);
      if (!target) return;
      const payload: SendPayload = {
        channelId: target.channel_id,
        to: target.sender_id,
        ticketId: event.aggregateId,
        messageId: Number(event.payload.messageId),
      };
      await enqueue(trx, SEND_QUEUE, payload, { maxAttempts: 8 });
    },
  });
  // Leased: a call to the platform must not hold a database transaction.
  ctx.jobs.defineLeased<SendPayload>({
    queue: SEND_QUEUE,
    leaseMs: 60_000,
    maxAttempts: 8,
    run: async ({ channelId, to, ticketId, messageId, text }, { db, logger }) => {
      const [channel, ticket, message] = await Promise.all([
        getImChannel(db, ctx.secrets, channelId),
        findTicketById(db, ticketId),
        messageId !== undefined ? ticketMessageForMail(db, messageId) : undefined,
      ]);
      const body = text ?? message?.body_text;
      if (!channel.active || !ticket || body === undefined) return;
      await sendImMessage(channel, to, body, { ticketNumber: Number(ticket.number) });
      logger.info({ channelId, ticketId, kind: channel.kind }, "reply sent to IM");
    },
  });
}

/** Sends a text of Loopdesk's own (not an agent's message) to the IM sender of a ticket; false when it did not come by IM. */
export async function queueImText(db: Executor, ticketId: number, text: string) {
  const target = await imReplyTarget(db, ticketId);
  if (!target) return false;
  const payload: SendPayload = { channelId: target.channel_id, to: target.sender_id, ticketId, text };
  await enqueue(db, SEND_QUEUE, payload, { maxAttempts: 8 });
  return true;
}
