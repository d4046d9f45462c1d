import type { CreateTicketBody } from "@loopdesk/contracts/tickets";
import type { WidgetConversation, WidgetTicketBody } from "@loopdesk/contracts/intake";
import { checkThrottle, recordFailure } from "../../../platform/auth/attempt-throttle";
import type { CustomerPrincipal } from "../../../platform/auth/principal";
import { randomToken, sha256Hex } from "../../../platform/auth/secrets";
import type { AppContext } from "../../../platform/context";
import { AppError, NotFoundError } from "../../../platform/errors";
import type { Executor } from "../../../platform/jobs/job-queue";
import { rateTicket, ticketCsat } from "../../feedback/csat-service";
import { loadCustomerPrincipal, resolveCustomer } from "../../customers/customer-service";
import { appendMessage } from "../../tickets/add-message";
import { createTicket, prepareTicket } from "../../tickets/create-ticket";
import { findTicketById } from "../../tickets/ticket-lookup";
import { listMessages } from "../../tickets/ticket-timeline";

const WINDOW_MS = 10 * 60_000;
/** A person needs a few seconds to fill the form; a bot posting at once is refused. */
const MIN_FILL_MS = 3_000;
const MAX_LINKS = 5;

export const SpamSuspectedError = () => new AppError(400, "spam_suspected", "This request looks automated and was not accepted.");

function assertHuman(body: WidgetTicketBody, now: number) {
  if (body.website) throw SpamSuspectedError(); // the hidden field: only bots fill it
  if (now - body.shownAt < MIN_FILL_MS || body.shownAt > now + 60_000) throw SpamSuspectedError();
  if ((`${body.subject} ${body.description}`.match(/https?:\/\//gi)?.length ?? 0) > MAX_LINKS) throw SpamSuspectedError();
}

/**
 * A visitor's request from the widget: spam traps (hidden field, fill time, links), a limit per
 * address and per email (429 with Retry-After), the category's template enforced as in the portal.
 * The visitor gets a key to this ticket alone; nothing else of the customer is visible with it.
 */
export async function openWidgetTicket(ctx: AppContext, body: WidgetTicketBody, ip: string) {
  assertHuman(body, Date.now());
  const keys = [
    { key: `widget:ip:${ip}`, max: 5 },
    { key: `widget:email:${body.email.toLowerCase()}`, max: 5 },
  ];
  await checkThrottle(ctx.db, keys, WINDOW_MS);
  await recordFailure(ctx.db, keys); // every submission counts towards the limit
  const input: CreateTicketBody = {
    subject: body.subject,
    description: body.description,
    priority: "normal",
    categoryId: body.categoryId,
    channel: "widget",
    tags: [],
    customFields: body.customFields,
    attachmentIds: [],
  };
  const token = randomToken();
  const ticket = await ctx.db.transaction().execute(async (trx) => {
    const customer = await resolveCustomer(trx, { email: body.email, name: body.name });
    const principal = (await loadCustomerPrincipal(trx, customer.id)) as CustomerPrincipal;
    const prepared = await prepareTicket({ ...ctx, db: trx }, principal, input);
    const created = await createTicket(ctx, trx, principal, input, prepared);
    await trx
      .insertInto("ticket_access_tokens")
      .values({ token_hash: sha256Hex(token), ticket_id: created.id, customer_id: customer.id })
      .execute();
    return created;
  });
  ctx.jobs.wake();
  return { number: Number(ticket.number), token };
}

async function byToken(db: Executor, token: string) {
  const row = await db.selectFrom("ticket_access_tokens").selectAll().where("token_hash", "=", sha256Hex(token)).executeTakeFirst();
  if (!row) throw NotFoundError("Ticket");
  const principal = await loadCustomerPrincipal(db, row.customer_id);
  if (!principal) throw NotFoundError("Ticket");
  return { row, principal };
}

/** The ticket behind a widget key: status and the public conversation. */
export async function widgetConversation(ctx: AppContext, token: string): Promise<WidgetConversation> {
  const { row, principal } = await byToken(ctx.db, token);
  const ticket = await findTicketById(ctx.db, row.ticket_id);
  if (!ticket) throw NotFoundError("Ticket");
  await ctx.db.updateTable("ticket_access_tokens").set({ last_used_at: new Date() }).where("token_hash", "=", row.token_hash).execute();
  const messages = await listMessages(ctx.db, principal, ticket.id);
  return {
    number: Number(ticket.number),
    subject: ticket.subject,
    status: ticket.status,
    createdAt: ticket.created_at.toISOString(),
    csat: (await ticketCsat(ctx.db, ticket.id)).answer,
    messages: messages.map((m) => ({
      id: m.id,
      fromCustomer: m.authorType === "customer",
      authorName: m.authorType === "staff" ? m.authorName : null,
      body: m.bodyText,
      createdAt: m.createdAt,
    })),
  };
}

/** The visitor rates their solved ticket in the widget (one answer per ticket, as by the mailed link). */
export async function rateFromWidget(ctx: AppContext, token: string, input: { rating: number; comment?: string }) {
  const { row } = await byToken(ctx.db, token);
  await rateTicket(ctx, row.ticket_id, row.customer_id, input, "widget");
  ctx.jobs.wake();
  return widgetConversation(ctx, token);
}

/** The visitor's answer; on a closed ticket it opens a follow-up, which the key then follows. */
export async function replyFromWidget(ctx: AppContext, token: string, text: string) {
  const { row, principal } = await byToken(ctx.db, token);
  const keys = [{ key: `widget:reply:${row.token_hash}`, max: 20 }];
  await checkThrottle(ctx.db, keys, WINDOW_MS);
  await recordFailure(ctx.db, keys);
  await ctx.db.transaction().execute(async (trx) => {
    const res = await appendMessage(
      ctx,
      trx,
      principal,
      row.ticket_id,
      { body: text, visibility: "public", attachmentIds: [] },
      { channel: "widget" },
    );
    if (res.followUpTicketId)
      await trx
        .updateTable("ticket_access_tokens")
        .set({ ticket_id: res.followUpTicketId })
        .where("token_hash", "=", row.token_hash)
        .execute();
  });
  ctx.jobs.wake();
  return widgetConversation(ctx, token);
}
