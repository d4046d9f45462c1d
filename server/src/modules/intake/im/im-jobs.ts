import type { AppContext } from "../../../platform/context";
import { enqueue } from "../../../platform/jobs/job-queue";
import { findTicketById, ticketMessageForMail } from "../../tickets/ticket-lookup";
import { getImChannel } from "./im-channel-service";
import { imReplyTarget } from "./receive-im-message";
import { sendImMessage } from "./send-im-message";

const SEND_QUEUE = "im.send";
type SendPayload = { channelId: number; to: string; ticketId: number; messageId: number };

/** An agent's public reply on a ticket that came from an IM channel goes back to the sender there. */
export function registerImJobs(ctx: AppContext) {
  ctx.events.subscribe({
    name: "im-reply",
    types: ["ticket.message_added"],
    accepts: ({ payload }) => payload.visibility === "public" && payload.authorType === "staff",
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
    run: async ({ channelId, to, ticketId, messageId }, { db, logger }) => {
      const [channel, ticket, message] = await Promise.all([
        getImChannel(db, channelId),
        findTicketById(db, ticketId),
        ticketMessageForMail(db, messageId),
      ]);
      if (!channel.active || !ticket || !message) return;
      await sendImMessage(channel, to, message.body_text, { ticketNumber: Number(ticket.number) });
      logger.info({ channelId, ticketId, kind: channel.kind }, "reply sent to IM");
    },
  });
}
