import { randomBytes } from "node:crypto";
import type { AppContext } from "../../../platform/context";
import type { Executor } from "../../../platform/jobs/job-queue";
import type { Mail } from "../../../platform/mail/mailer";
import { customerContact } from "../../customers/customer-service";
import { attachmentsForMessages } from "../../tickets/attachment-service";
import { reachesCustomerChannels } from "../../tickets/add-system-message";
import { findTicketById, ticketMessageForMail } from "../../tickets/ticket-lookup";
import { getMailboxRow, ownAddresses } from "../mailbox-service";
import { recordMessageId, ticketThread } from "./email-threads";

const footer = {
  "zh-CN": (n: number, link: string) => `\n\n——\n直接回复此邮件即可继续沟通（工单 #${n}）。也可以在这里查看进度：${link}`,
  en: (n: number, link: string) => `\n\n——\nReply to this email to continue (ticket #${n}). You can also follow it here: ${link}`,
};

/**
 * Makes a mail to a customer part of the ticket's email thread: sent from the mailbox the ticket
 * came in on, with a Message-ID we remember and In-Reply-To/References pointing at the thread,
 * so the customer's mail client groups it and their answer finds the ticket again.
 * Tickets that did not come by email keep the mail as it is.
 */
export async function threadMail(db: Executor, ticketId: number, mail: Mail, fallbackFrom: string | null): Promise<Mail> {
  const thread = await ticketThread(db, ticketId);
  if (thread.references.length === 0 && thread.mailboxId === null) return mail;
  const mailbox = thread.mailboxId !== null ? await getMailboxRow(db, thread.mailboxId).catch(() => null) : null;
  const fromAddress = mailbox?.address ?? fallbackFrom ?? "loopdesk.invalid";
  const messageId = `loopdesk.${ticketId}.${Date.now().toString(36)}.${randomBytes(6).toString("hex")}@${fromAddress.split("@")[1] ?? "loopdesk.invalid"}`;
  await recordMessageId(db, { messageId, ticketId, mailboxId: mailbox?.id ?? null, direction: "out" });
  return {
    ...mail,
    ...(mailbox ? { from: `"${mailbox.name.replace(/["\\\r\n]/g, "")}" <${mailbox.address}>` } : {}),
    messageId,
    ...(thread.inReplyTo ? { inReplyTo: thread.inReplyTo } : {}),
    references: thread.references.slice(-20),
  };
}

const MAILED_CHANNELS = new Set(["email", "widget"]);

/** Agent replies on email and widget tickets go out by mail (a durable job); the rest stay in the portal. */
export function registerReplyMail(ctx: AppContext) {
  ctx.events.subscribe({
    name: "email-reply",
    types: ["ticket.message_added"],
    active: () => ctx.mailer.enabled,
    accepts: ({ payload }) =>
      reachesCustomerChannels(payload) &&
      // Solving sends the resolution mail (with this reply in it) instead.
      (payload.changes as { status?: { after?: unknown } } | undefined)?.status?.after !== "solved",
    handle: async (event, { trx }) => {
      const ticket = await findTicketById(trx, event.aggregateId);
      const message = await ticketMessageForMail(trx, Number(event.payload.messageId));
      // Email tickets, and widget tickets (the visitor may have closed the page): both answer by mail.
      if (!ticket || !MAILED_CHANNELS.has(ticket.channel) || !message || message.visibility !== "public") return;
      const customer = await customerContact(trx, ticket.customer_id);
      if (!customer.email || (await ownAddresses(trx)).has(customer.email)) return;
      const locale = customer.locale === "en" ? "en" : "zh-CN";
      const number = Number(ticket.number);
      const subject = `Re: ${ticket.subject.replace(/^(re|回复|答复)\s*[:：]\s*/i, "")} [#${number}]`;
      const link = `${ctx.config.publicUrl}/tickets/${ticket.id}`;
      const mail = await threadMail(
        trx,
        ticket.id,
        {
          to: customer.email,
          subject,
          text: `${message.body_text}${footer[locale](number, link)}`,
          files: await mailableFiles(trx, message.id),
        },
        ctx.mailer.fromAddress,
      );
      await ctx.mailer.queue(trx, mail);
    },
  });
}

/** Mail servers refuse large messages: the reply's files go along up to this total; the rest stay on the ticket (linked in the footer). */
const MAX_MAIL_FILES_BYTES = 15 * 1024 * 1024;

async function mailableFiles(db: Executor, messageId: number) {
  const files = (await attachmentsForMessages(db, [messageId])).get(messageId) ?? [];
  const kept: { sha256: string; filename: string; contentType: string }[] = [];
  let total = 0;
  for (const f of files) {
    total += f.size;
    if (total > MAX_MAIL_FILES_BYTES) break;
    kept.push({ sha256: f.sha256, filename: f.filename, contentType: f.contentType });
  }
  return kept;
}
