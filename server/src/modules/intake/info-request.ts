import type { AppContext } from "../../platform/context";
import type { Mail } from "../../platform/mail/mailer";
import { customerContact } from "../customers/customer-service";
import { templateFieldsByKey } from "../custom-fields/ticket-template";
import { hasTicketEvent, lockTicket } from "../tickets/ticket-lookup";
import { recordTicketEvents, systemActor } from "../tickets/ticket-events";
import { threadMail } from "./email/reply-mail";
import { queueImText } from "./im/im-jobs";

const texts = {
  "zh-CN": {
    subject: (n: number, s: string) => `请补充信息：${s} [#${n}]`,
    im: (lines: string) => `为了尽快处理您的请求，还需要以下信息：\n${lines}\n请直接回复，每项一行，按「名称：内容」填写。`,
    body: (name: string, lines: string, link: string) =>
      `${name}您好，\n\n我们已收到您的请求。为了尽快处理，还需要以下信息：\n\n${lines}\n\n请直接回复此邮件，每项一行，按「名称：内容」填写，例如「订单号：DD2026112200001」。也可以在这里补充：${link}\n\n谢谢！`,
  },
  en: {
    subject: (n: number, s: string) => `Information needed: ${s} [#${n}]`,
    im: (lines: string) =>
      `To handle your request quickly we still need:\n${lines}\nPlease reply with one line per item, as "name: value".`,
    body: (name: string, lines: string, link: string) =>
      `Hello ${name},\n\nWe have received your request. To handle it quickly we still need:\n\n${lines}\n\nPlease reply to this email with one line per item, as "name: value". You can also add it here: ${link}\n\nThank you!`,
  },
};

/**
 * 信息不全, asked once: a new ticket missing required template fields sends the customer one
 * message listing exactly those items (with each field's help text), in the ticket's email thread
 * when it came by mail. Their answer fills the fields (see add-message) and clears the mark.
 */
export function registerInfoRequest(ctx: AppContext) {
  ctx.events.subscribe({
    name: "info-request",
    types: ["ticket.created"],
    accepts: ({ payload }) => Array.isArray(payload.missingFields) && payload.missingFields.length > 0,
    handle: async (event, { trx }) => {
      const ticket = await lockTicket(trx, event.aggregateId);
      if (!ticket || ticket.missing_fields.length === 0 || ["solved", "closed"].includes(ticket.status)) return;
      if (await hasTicketEvent(trx, ticket.id, "info_requested")) return;
      const customer = await customerContact(trx, ticket.customer_id);
      const fields = await templateFieldsByKey(trx, ticket.missing_fields);
      const locale = customer.locale === "en" ? "en" : "zh-CN";
      const sep = locale === "en" ? ": " : "：";
      const lines = fields.map((f) => `- ${f.label}${f.helpText ? `（${f.helpText}）` : ""}${sep}`).join("\n");
      const number = Number(ticket.number);
      // A request that came by IM is asked there, in the same conversation.
      if (await queueImText(trx, ticket.id, texts[locale].im(lines))) {
        await recordTicketEvents(trx, ticket.id, systemActor, [
          { type: "info_requested", data: { fields: ticket.missing_fields, channel: ticket.channel } },
        ]);
        return;
      }
      if (!customer.email || !ctx.mailer.enabled) return; // an agent asks by phone; the ticket shows 信息不全
      const mail: Mail = {
        to: customer.email,
        subject: texts[locale].subject(number, ticket.subject),
        text: texts[locale].body(customer.name, lines, `${ctx.config.publicUrl}/tickets/${ticket.id}`),
      };
      await ctx.mailer.queue(trx, await threadMail(trx, ticket.id, mail, ctx.mailer.fromAddress));
      await recordTicketEvents(trx, ticket.id, systemActor, [
        { type: "info_requested", data: { fields: ticket.missing_fields, to: customer.email } },
      ]);
    },
  });
}
