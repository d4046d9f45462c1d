import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { idParams, itemsOf as items } from "@loopdesk/contracts/common";
import { type MailboxBody, callBody, callResult, inboundEmail, listInboundQuery, mailbox, mailboxBody } from "@loopdesk/contracts/intake";
import type { AppContext } from "../../platform/context";
import { route } from "../../platform/http/route";
import { openInboundRaw, listInboundEmails } from "./inbound-log";
import { pollSoon } from "./intake-jobs";
import { logCall } from "./phone/log-call";
import { createMailbox, deleteMailbox, getMailboxRow, listMailboxes, updateMailbox } from "./mailbox-service";

const tags = ["intake"];
const ADMIN = ["admin"] as const;

/** Phone call records (any staff member or their API token); mailboxes and the inbound mail log (admins). */
export function registerIntakeRoutes(app: FastifyInstance, ctx: AppContext) {
  const db = ctx.db;
  /** The IMAP password is stored sealed (see SecretBox). */
  const sealPassword = (body: MailboxBody): MailboxBody =>
    body.imap?.password ? { ...body, imap: { ...body.imap, password: ctx.secrets.seal(body.imap.password) } } : body;
  route(app, {
    method: "POST",
    url: "/api/v1/calls",
    summary: "Record a phone call from a call-center system: it joins the customer's open phone ticket or opens one",
    tags: ["intake", "phone"],
    access: "staff",
    body: callBody,
    responses: { 201: callResult, 200: callResult },
    handler: async ({ reply, principal, body }) => {
      const result = await logCall(ctx, principal, body);
      ctx.jobs.wake();
      reply.code(result.outcome === "duplicate" ? 200 : 201);
      return result;
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/mailboxes",
    summary: "Mailboxes (IMAP passwords are never returned)",
    tags,
    access: ADMIN,
    responses: { 200: items(mailbox) },
    handler: async () => ({ items: await listMailboxes(db) }),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/mailboxes",
    summary: "Add a mailbox: an address customers write to, optionally an IMAP account to poll",
    tags,
    access: ADMIN,
    audit: { table: "mailboxes" },
    body: mailboxBody,
    responses: { 201: mailbox },
    handler: async ({ reply, body }) => {
      const created = await createMailbox(db, sealPassword(body));
      reply.code(201);
      return created;
    },
  });
  route(app, {
    method: "PATCH",
    url: "/api/v1/mailboxes/:id",
    summary: "Change a mailbox: send all of it (an omitted IMAP password keeps the stored one)",
    tags,
    access: ADMIN,
    audit: { table: "mailboxes" },
    params: idParams,
    body: mailboxBody,
    responses: { 200: mailbox },
    handler: ({ params, body }) => updateMailbox(db, params.id, sealPassword(body)),
  });
  route(app, {
    method: "DELETE",
    url: "/api/v1/mailboxes/:id",
    summary: "Remove a mailbox (its tickets stay)",
    tags,
    access: ADMIN,
    audit: { table: "mailboxes" },
    params: idParams,
    responses: { 204: null },
    handler: ({ params }) => deleteMailbox(db, params.id),
  });
  route(app, {
    method: "POST",
    url: "/api/v1/mailboxes/:id/poll",
    summary: "Poll the mailbox's IMAP account now",
    tags,
    access: ADMIN,
    params: idParams,
    responses: { 202: z.object({ queued: z.boolean() }) },
    handler: async ({ reply, params }) => {
      await getMailboxRow(db, params.id);
      await pollSoon(db, params.id);
      ctx.jobs.wake();
      reply.code(202);
      return { queued: true };
    },
  });
  route(app, {
    method: "GET",
    url: "/api/v1/inbound-emails",
    summary: "Inbound mail log: what became of each message (ticket, reply, duplicate, ignored loop, quarantined)",
    tags,
    access: ADMIN,
    query: listInboundQuery,
    responses: { 200: items(inboundEmail) },
    handler: async ({ query }) => ({ items: await listInboundEmails(db, query) }),
  });
  route(app, {
    method: "GET",
    url: "/api/v1/inbound-emails/:id/raw",
    summary: "Download the raw message of a mail that did not reach a ticket",
    tags,
    access: ADMIN,
    params: idParams,
    handler: async ({ reply, params }) => {
      const file = await openInboundRaw(db, ctx.files, params.id);
      reply.headers(file.headers);
      return reply.send(file.stream);
    },
  });
}
