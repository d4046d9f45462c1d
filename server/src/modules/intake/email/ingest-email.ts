import type { CreateTicketBody } from "@loopdesk/contracts/tickets";
import type { InboundEmailsTable, InboundOutcome } from "../../../db/schema-intake";
import type { CustomerPrincipal } from "../../../platform/auth/principal";
import type { AppContext } from "../../../platform/context";
import type { Executor } from "../../../platform/jobs/job-queue";
import { htmlToText, sanitizeMailHtml, sanitizeUserHtml } from "../../../platform/text/sanitize-html";
import { loadCustomerPrincipal, resolveCustomer } from "../../customers/customer-service";
import { appendMessage } from "../../tickets/add-message";
import { insertAttachment, linkAttachments, putAttachmentFile } from "../../tickets/attachment-service";
import { createTicket, prepareTicket } from "../../tickets/create-ticket";
import { findTicketById, findTicketByNumber } from "../../tickets/ticket-lookup";
import { mailboxById, mailboxesFor, ownAddresses } from "../mailbox-service";
import { messageIdKnown, recordMessageId, ticketByMessageIds, ticketNumberInSubject } from "./email-threads";
import { loopReason } from "./loop-guard";
import { type ParsedAttachment, type ParsedEmail, parseEmail } from "./parse-email";
import { trimQuotedHistory, trimQuotedHtml } from "./quoted-history";

export type IngestOptions = { source: "smtp" | "imap"; mailboxId?: number | null; recipients?: string[] };
export type IngestResult = { outcome: InboundOutcome; reason: string | null; ticketId: number | null };

/** More than this many tickets or replies from one sender in the window is a flood (a robot). */
export const FLOOD_LIMIT = 20;
const FLOOD_WINDOW_MS = 10 * 60_000;
const SUBJECT_MAX = 300;
const TEXT_MAX = 100_000;
const HTML_MAX = 500_000;

class DuplicateDelivery extends Error {}

/** What the log knows of a message before its outcome. */
type Log = Pick<InboundEmailsTable, "mailbox_id" | "source" | "message_id" | "from_address" | "subject" | "size">;

async function record(db: Executor, log: Log, outcome: InboundOutcome, reason: string | null, ticketId: number | null, rawSha?: string) {
  await db
    .insertInto("inbound_emails")
    .values({ ...log, subject: log.subject?.slice(0, 500) ?? null, outcome, reason, ticket_id: ticketId, raw_sha256: rawSha ?? null })
    .execute();
  return { outcome, reason, ticketId };
}

/** Records mail refused before it was read in full (over the size limit), so admins see it. */
export async function recordRejected(ctx: AppContext, log: Omit<Log, "message_id" | "subject">, reason: string) {
  await record(ctx.db, { ...log, message_id: null, subject: null }, "quarantined", reason, null);
  ctx.logger.warn({ from: log.from_address, size: log.size, reason }, "inbound mail refused");
}

/**
 * One inbound email → a new ticket, or a reply on the ticket it answers; or, for mail that must
 * not reach a ticket (loops, floods, unreadable MIME), a logged outcome with the raw message kept
 * for admins. The Message-ID is recorded in the same transaction as the ticket change, so a mail
 * delivered twice (SMTP retry, IMAP re-read, both) changes a ticket once.
 */
export async function ingestEmail(ctx: AppContext, raw: Buffer, opts: IngestOptions): Promise<IngestResult> {
  const log: Log = {
    mailbox_id: opts.mailboxId ?? null,
    source: opts.source,
    message_id: null,
    from_address: null,
    subject: null,
    size: raw.length,
  };
  let mail: ParsedEmail;
  try {
    mail = await parseEmail(raw);
  } catch (err) {
    ctx.logger.warn({ err: (err as Error).message, size: raw.length }, "unreadable inbound mail quarantined");
    return record(ctx.db, log, "quarantined", "malformed", null, (await ctx.files.put(raw)).sha256);
  }
  const mailbox = opts.mailboxId
    ? await mailboxById(ctx.db, opts.mailboxId)
    : ((await mailboxesFor(ctx.db, [...(opts.recipients ?? []), ...mail.to]))[0] ?? null);
  Object.assign(log, {
    mailbox_id: opts.mailboxId ?? mailbox?.id ?? null,
    message_id: mail.messageId,
    from_address: mail.from?.address ?? null,
    subject: mail.subject,
  });
  const own = await ownAddresses(ctx.db, ctx.mailer.fromAddress ? [ctx.mailer.fromAddress] : []);
  const loop = loopReason(mail, own);
  if (loop) return record(ctx.db, log, "ignored", loop, null, (await ctx.files.put(raw)).sha256);
  if (await messageIdKnown(ctx.db, mail.messageId)) return record(ctx.db, log, "duplicate", null, null);
  if (await recentFromSender(ctx.db, mail.from?.address ?? "")) {
    ctx.logger.warn({ from: mail.from?.address }, "mail flood from one sender quarantined");
    return record(ctx.db, log, "quarantined", "flood", null, (await ctx.files.put(raw)).sha256);
  }
  const files = await storeFiles(ctx, mail.attachments);
  const input: CreateTicketBody = {
    subject: mail.subject.slice(0, SUBJECT_MAX) || "(no subject)",
    description: bodyText(mail).slice(0, TEXT_MAX),
    priority: "normal",
    categoryId: mailbox?.category_id ?? undefined,
    channel: "email",
    tags: [],
    customFields: {},
    attachmentIds: [],
  };
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const from = mail.from as NonNullable<ParsedEmail["from"]>;
      const customer = await resolveCustomer(trx, { email: from.address, name: from.name || undefined });
      const principal = (await loadCustomerPrincipal(trx, customer.id)) as CustomerPrincipal;
      const target = await repliedTicket(trx, mail, customer);
      let ticketId: number;
      let messageId: number | null = null;
      const attachments = await insertFiles(trx, principal, files);
      const attachmentIds = attachments.map((a) => a.id);
      if (target) {
        const full = bodyText(mail);
        const text = trimQuotedHistory(full);
        const html = mail.html === null ? null : trimQuotedHtml(mail.html, text.trim() !== full);
        const res = await appendMessage(
          ctx,
          trx,
          principal,
          target,
          { body: text.slice(0, TEXT_MAX), bodyHtml: bodyHtml(html, attachments), visibility: "public", attachmentIds: [] },
          { channel: "email", externalId: mail.messageId },
        );
        ticketId = res.ticket.id;
        messageId = res.message.id;
        if (attachmentIds.length) await linkAttachments(trx, principal, attachmentIds, { ticketId, messageId });
      } else {
        const withHtml = { ...input, descriptionHtml: bodyHtml(mail.html, attachments) };
        const prepared = await prepareTicket({ ...ctx, db: trx }, principal, withHtml, { requireAllFields: false });
        if (mailbox?.department_id) prepared.departmentId = mailbox.department_id;
        const ticket = await createTicket(ctx, trx, principal, withHtml, prepared);
        ticketId = ticket.id;
        if (attachmentIds.length) await linkAttachments(trx, principal, attachmentIds, { ticketId, messageId: null });
      }
      if (!(await recordMessageId(trx, { messageId: mail.messageId, ticketId, mailboxId: log.mailbox_id, direction: "in" })))
        throw new DuplicateDelivery();
      const dropped = files.filter((f) => f.stored === null).map((f) => f.attachment.filename);
      return record(
        trx,
        log,
        target ? "appended" : "created",
        dropped.length ? `attachment_too_large:${dropped.join(",").slice(0, 300)}` : null,
        ticketId,
      );
    });
  } catch (err) {
    if (err instanceof DuplicateDelivery) return record(ctx.db, log, "duplicate", null, null);
    // A message that cannot be stored must not come back forever (an SMTP retry, the next IMAP
    // poll) nor block the ones behind it: it is quarantined for admins. If even that fails (the
    // database is down), the error reaches the caller, and the sender or the poll tries again.
    ctx.logger.error({ err, messageId: mail.messageId }, "inbound mail could not be taken in; quarantined");
    return record(ctx.db, log, "quarantined", "failed", null, (await ctx.files.put(raw)).sha256);
  }
}

const bodyText = (mail: ParsedEmail) =>
  (mail.text.trim() !== "" ? mail.text : mail.html ? htmlToText(sanitizeUserHtml(mail.html)) : "").trim();

async function recentFromSender(db: Executor, address: string) {
  const row = await db
    .selectFrom("inbound_emails")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("from_address", "=", address)
    .where("received_at", ">", new Date(Date.now() - FLOOD_WINDOW_MS))
    .where("outcome", "in", ["created", "appended"])
    .executeTakeFirst();
  return Number(row?.n ?? 0) >= FLOOD_LIMIT;
}

/**
 * The ticket this mail answers: by In-Reply-To/References, else by the ticket number in the
 * subject. Only the ticket's own customer (or a colleague in the same organization) can reply
 * into it; anyone else quoting a number opens a ticket of their own.
 */
async function repliedTicket(db: Executor, mail: ParsedEmail, customer: { id: number; organizationId: number | null }) {
  const byHeaders = await ticketByMessageIds(db, [...mail.inReplyTo, ...[...mail.references].reverse()]);
  const number = byHeaders ? null : ticketNumberInSubject(mail.subject);
  let ticket = byHeaders ? await findTicketById(db, byHeaders.ticket_id) : number ? await findTicketByNumber(db, number) : undefined;
  // A reply to a merged ticket belongs to the ticket it was merged into.
  for (let hops = 0; ticket?.merged_into_id && hops < 5; hops++) ticket = await findTicketById(db, ticket.merged_into_id);
  if (!ticket) return null;
  const mine =
    ticket.customer_id === customer.id || (customer.organizationId !== null && ticket.organization_id === customer.organizationId);
  return mine ? ticket.id : null;
}

type StoredFile = { attachment: ParsedAttachment; stored: Awaited<ReturnType<typeof putAttachmentFile>> | null };

async function storeFiles(ctx: AppContext, attachments: ParsedAttachment[]): Promise<StoredFile[]> {
  const out: StoredFile[] = [];
  for (const a of attachments.slice(0, 20)) {
    const fits = a.content.length > 0 && a.content.length <= ctx.config.maxUploadBytes;
    out.push({ attachment: a, stored: fits ? await putAttachmentFile(ctx.files, a.content) : null });
  }
  return out;
}

async function insertFiles(db: Executor, principal: CustomerPrincipal, files: StoredFile[]) {
  const out: { id: number; contentId: string | null }[] = [];
  for (const f of files)
    if (f.stored)
      out.push({ id: (await insertAttachment(db, principal, f.attachment.filename, f.stored)).id, contentId: f.attachment.contentId });
  return out;
}

/** The mail's HTML as it is stored: sanitized, inline images pointing at their attachments; none when it is too large. */
function bodyHtml(html: string | null, attachments: { id: number; contentId: string | null }[]) {
  if (!html?.trim()) return undefined;
  const inline = new Map(attachments.flatMap((a) => (a.contentId ? [[a.contentId, `/api/v1/attachments/${a.id}`] as const] : [])));
  const clean = sanitizeMailHtml(html, inline);
  return clean.length <= HTML_MAX && clean.trim() !== "" ? clean : undefined;
}
