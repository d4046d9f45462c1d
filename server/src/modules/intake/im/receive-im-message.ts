import type { CreateTicketBody } from "@loopdesk/contracts/tickets";
import type { Selectable } from "kysely";
import type { ImChannelsTable, ImKind } from "../../../db/schema-intake";
import type { CustomerPrincipal } from "../../../platform/auth/principal";
import type { AppContext } from "../../../platform/context";
import { ValidationError } from "../../../platform/errors";
import type { Executor } from "../../../platform/jobs/job-queue";
import { loadCustomerPrincipal, resolveCustomer } from "../../customers/customer-service";
import { appendMessage } from "../../tickets/add-message";
import { createTicket, prepareTicket } from "../../tickets/create-ticket";
import { openTicketOf } from "../../tickets/ticket-lookup";

const IDENTITY: Record<ImKind, string> = { wecom: "wecom_userid", dingtalk: "dingtalk_userid", feishu: "feishu_open_id", webhook: "other" };
const TICKET_CHANNEL: Record<ImKind, NonNullable<CreateTicketBody["channel"]>> = {
  wecom: "wecom",
  dingtalk: "dingtalk",
  feishu: "feishu",
  webhook: "api",
};
/** A message joins the sender's unsolved ticket on this channel if it was active this recently. */
const JOIN_WITHIN_DAYS = 3;
const TEXT_MAX = 20_000;

class Replayed extends Error {}

export type ImMessage = { externalId: string; senderId: string; senderName: string | null; text: string };

/**
 * A verified IM message → the sender's customer (by their platform id), appended to their open
 * ticket on this channel or opening one. The platform's message id is recorded in the same
 * transaction, so a callback delivered again (platforms retry; attackers replay) changes nothing.
 */
export async function receiveImMessage(ctx: AppContext, channel: Selectable<ImChannelsTable>, msg: ImMessage) {
  if (!msg.externalId || !msg.senderId)
    throw ValidationError([
      { path: msg.externalId ? "sender" : "messageId", code: "required", message: "The message has no id or no sender." },
    ]);
  const text = msg.text.slice(0, TEXT_MAX);
  if (!text) return { outcome: "ignored" as const, ticketId: null };
  const identity = { kind: IDENTITY[channel.kind], value: channel.kind === "webhook" ? `${channel.id}:${msg.senderId}` : msg.senderId };
  const ticketChannel = TICKET_CHANNEL[channel.kind];
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const seen = await trx
        .selectFrom("im_messages")
        .select("ticket_id")
        .where("channel_id", "=", channel.id)
        .where("external_id", "=", msg.externalId)
        .executeTakeFirst();
      if (seen) return { outcome: "duplicate" as const, ticketId: seen.ticket_id };
      const customer = await resolveCustomer(trx, { identities: [identity], name: msg.senderName ?? undefined });
      const principal = (await loadCustomerPrincipal(trx, customer.id)) as CustomerPrincipal;
      const since = new Date(Date.now() - JOIN_WITHIN_DAYS * 86_400_000);
      const open = await openTicketOf(trx, { customerId: customer.id, channel: ticketChannel, since });
      let ticketId: number;
      if (open) {
        const res = await appendMessage(
          ctx,
          trx,
          principal,
          open.id,
          { body: text, visibility: "public", attachmentIds: [] },
          { channel: ticketChannel, externalId: msg.externalId },
        );
        ticketId = res.ticket.id;
      } else {
        const input: CreateTicketBody = {
          subject: (text.split("\n")[0] ?? text).slice(0, 60),
          description: text,
          priority: "normal",
          channel: ticketChannel,
          tags: [],
          customFields: {},
          attachmentIds: [],
        };
        const prepared = await prepareTicket({ ...ctx, db: trx }, principal, input, { requireAllFields: false });
        ticketId = (await createTicket(ctx, trx, principal, input, prepared)).id;
      }
      const recorded = await trx
        .insertInto("im_messages")
        .values({ channel_id: channel.id, external_id: msg.externalId, ticket_id: ticketId, sender_id: msg.senderId })
        .onConflict((oc) => oc.columns(["channel_id", "external_id"]).doNothing())
        .returning("ticket_id")
        .executeTakeFirst();
      if (!recorded) throw new Replayed();
      return { outcome: open ? ("appended" as const) : ("created" as const), ticketId };
    });
  } catch (err) {
    if (err instanceof Replayed) return { outcome: "duplicate" as const, ticketId: null };
    throw err;
  } finally {
    ctx.jobs.wake();
  }
}

/** Where an agent's reply on this ticket goes: the platform and the person who wrote last. */
export async function imReplyTarget(db: Executor, ticketId: number) {
  return db
    .selectFrom("im_messages")
    .innerJoin("im_channels", "im_channels.id", "im_messages.channel_id")
    .select(["im_messages.channel_id", "im_messages.sender_id"])
    .where("im_messages.ticket_id", "=", ticketId)
    .where("im_channels.active", "=", true)
    .orderBy("im_messages.received_at", "desc")
    .limit(1)
    .executeTakeFirst();
}
