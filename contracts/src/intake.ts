import { z } from "zod";
import { csatAnswer } from "./feedback";

/** Intake (受理) by email: mailboxes and the log of inbound mail. */
export const mailboxImapBody = z.strictObject({
  host: z.string().trim().min(1).max(255),
  port: z.number().int().min(1).max(65535).optional(),
  secure: z.boolean().default(true),
  user: z.string().trim().min(1).max(320),
  /** Omitted on update: keep the stored password. */
  password: z.string().min(1).max(500).optional(),
  folder: z.string().trim().min(1).max(200).default("INBOX"),
});

export const mailboxBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  address: z.email().max(320),
  active: z.boolean().default(true),
  departmentId: z.number().int().positive().nullable().optional(),
  categoryId: z.number().int().positive().nullable().optional(),
  imap: mailboxImapBody.nullable().optional(),
});
export type MailboxBody = z.infer<typeof mailboxBody>;

export const mailbox = z.object({
  id: z.number(),
  name: z.string(),
  address: z.string(),
  active: z.boolean(),
  departmentId: z.number().nullable(),
  categoryId: z.number().nullable(),
  imap: z
    .object({ host: z.string(), port: z.number(), secure: z.boolean(), user: z.string(), folder: z.string(), passwordSet: z.boolean() })
    .nullable(),
  lastPolledAt: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
});
export type Mailbox = z.infer<typeof mailbox>;

export const inboundOutcomes = ["created", "appended", "duplicate", "ignored", "quarantined"] as const;
export const inboundReasons = [
  "auto_reply",
  "bounce",
  "bulk",
  "own_address",
  "no_sender",
  "flood",
  "too_large",
  "malformed",
  "stranger_reply",
  "failed",
] as const;

export const inboundEmail = z.object({
  id: z.number(),
  mailboxId: z.number().nullable(),
  source: z.enum(["smtp", "imap"]),
  messageId: z.string().nullable(),
  fromAddress: z.string().nullable(),
  subject: z.string().nullable(),
  size: z.number(),
  outcome: z.enum(inboundOutcomes),
  reason: z.string().nullable(),
  ticketId: z.number().nullable(),
  ticketNumber: z.number().nullable(),
  hasRaw: z.boolean(),
  receivedAt: z.string(),
});
export type InboundEmail = z.infer<typeof inboundEmail>;

export const listInboundQuery = z.object({
  outcome: z.enum(inboundOutcomes).optional(),
  mailboxId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The id of the last row of the previous page. */
  before: z.coerce.number().int().positive().optional(),
});

/** A call record from a call-center system (phone / 400 line). */
export const callBody = z
  .strictObject({
    /** The call center's id of the call; posting the same call again changes nothing. */
    callId: z.string().trim().min(1).max(200),
    direction: z.enum(["inbound", "outbound"]).default("inbound"),
    /** The customer's number (the caller on inbound calls, the called party on outbound ones). */
    customerNumber: z
      .string()
      .trim()
      .regex(/^\+?[\d\s-]{3,30}$/, "Use digits, spaces, dashes and an optional leading +."),
    /** Our line (e.g. the 400 number). */
    lineNumber: z.string().trim().max(40).optional(),
    customerName: z.string().trim().min(1).max(200).optional(),
    startedAt: z.iso.datetime({ offset: true }),
    answeredAt: z.iso.datetime({ offset: true }).optional(),
    endedAt: z.iso.datetime({ offset: true }).optional(),
    recordingUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
    /** The agent who took or made the call, by id or by email. */
    agentId: z.number().int().positive().optional(),
    agentEmail: z.email().optional(),
    /** For a new ticket; default "来电 <number>". */
    subject: z.string().trim().min(1).max(300).optional(),
    categoryId: z.number().int().positive().optional(),
    /** What was said, as the agent noted it: an internal note on the ticket. */
    notes: z.string().max(20_000).optional(),
  })
  .refine((c) => !c.endedAt || Date.parse(c.endedAt) >= Date.parse(c.startedAt), {
    path: ["endedAt"],
    message: "A call cannot end before it starts.",
  });
export type CallBody = z.infer<typeof callBody>;

export const callResult = z.object({
  callId: z.string(),
  ticketId: z.number(),
  ticketNumber: z.number(),
  customerId: z.number(),
  /** created: a new ticket; appended: joined the customer's open phone ticket; duplicate: posted before. */
  outcome: z.enum(["created", "appended", "duplicate"]),
});
export type CallResult = z.infer<typeof callResult>;

/** The web widget: what a visitor fills in (a category's template included) and what they see after. */
export const widgetTicketBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  email: z.email().max(320),
  subject: z.string().trim().min(1).max(300),
  description: z.string().trim().min(1).max(20_000),
  categoryId: z.number().int().positive().optional(),
  customFields: z.record(z.string(), z.unknown()).default({}),
  /** Spam traps: a field people never see (must stay empty), and when the form was shown (ms since epoch). */
  website: z.string().max(500).optional(),
  shownAt: z.number().int().positive(),
});
export type WidgetTicketBody = z.infer<typeof widgetTicketBody>;

export const widgetTicketCreated = z.object({ number: z.number(), token: z.string() });

export const widgetConversation = z.object({
  number: z.number(),
  subject: z.string(),
  status: z.string(),
  createdAt: z.string(),
  messages: z.array(
    z.object({ id: z.number(), fromCustomer: z.boolean(), authorName: z.string().nullable(), body: z.string(), createdAt: z.string() }),
  ),
  /** The visitor's rating once the ticket is solved (asked for in the widget), or null. */
  csat: csatAnswer.nullable(),
});
export type WidgetConversation = z.infer<typeof widgetConversation>;

export const widgetReplyBody = z.strictObject({ body: z.string().trim().min(1).max(20_000) });

/** IM channels: the credentials each platform needs (write-only), and where replies are sent. */
export const imKinds = ["wecom", "dingtalk", "feishu", "webhook"] as const;
export const imSecretKeys = {
  wecom: ["corpId", "agentId", "token", "encodingAesKey", "secret"],
  dingtalk: ["appKey", "appSecret", "robotCode"],
  feishu: ["appId", "appSecret", "encryptKey", "verificationToken"],
  webhook: ["secret", "replyUrl"],
} as const;

export const imChannelBody = z.strictObject({
  kind: z.enum(imKinds),
  name: z.string().trim().min(1).max(100),
  active: z.boolean().default(true),
  /** Platform settings; on update, an omitted key keeps its stored value. */
  config: z.record(z.string(), z.string().max(2000)).default({}),
  /** The platform API's address (default: the vendor's); http(s) only. */
  apiBase: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .nullable()
    .optional(),
});
export type ImChannelBody = z.infer<typeof imChannelBody>;

export const imChannel = z.object({
  id: z.number(),
  kind: z.enum(imKinds),
  name: z.string(),
  active: z.boolean(),
  /** Which settings are stored (values are never returned). */
  configured: z.array(z.string()),
  apiBase: z.string().nullable(),
  /** Where the platform must send its callbacks. */
  callbackPath: z.string(),
  createdAt: z.string(),
});
export type ImChannel = z.infer<typeof imChannel>;

/**
 * The CRM/ERP lookup: a GET to the company's own system, its URL built from the ticket
 * ({{customer.email}}, {{customer.phone}}, {{customer.name}}, {{ticket.number}}, {{fields.<key>}}),
 * with an authentication header; the answer's list of records (at `recordsPath`) is shown on the
 * ticket as the `columns` say, and `fill` copies a value of the first record into a ticket field.
 */
const jsonPath = z
  .string()
  .trim()
  .max(200)
  .regex(/^[A-Za-z0-9_$.[\]-]*$/, "Use a dotted path such as data.orders or items[0].model.");
export const crmSettingsBody = z.strictObject({
  enabled: z.boolean().default(false),
  urlTemplate: z
    .string()
    .trim()
    .max(2000)
    .refine((u) => /^https?:\/\//.test(u), "An http(s) URL.")
    .or(z.literal(""))
    .default(""),
  authHeaderName: z
    .string()
    .trim()
    .max(100)
    .regex(/^[A-Za-z0-9-]*$/, "A header name.")
    .default(""),
  /** Write-only; omitted keeps the stored value. */
  authHeaderValue: z.string().max(2000).optional(),
  recordsPath: jsonPath.default(""),
  columns: z
    .array(z.strictObject({ label: z.string().trim().min(1).max(100), path: jsonPath }))
    .max(20)
    .default([]),
  fill: z
    .array(z.strictObject({ field: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/), path: jsonPath }))
    .max(20)
    .default([]),
  cacheMinutes: z.number().int().min(0).max(1440).default(10),
  timeoutMs: z.number().int().min(500).max(30_000).default(5000),
});
export type CrmSettingsBody = z.infer<typeof crmSettingsBody>;
export const crmSettings = crmSettingsBody.omit({ authHeaderValue: true }).extend({ authHeaderSet: z.boolean() });
export type CrmSettings = z.infer<typeof crmSettings>;

export const crmLookupResult = z.object({
  enabled: z.boolean(),
  columns: z.array(z.object({ label: z.string(), path: z.string() })),
  /** Each record's shown values, in column order, and the values `fill` would put in ticket fields. */
  records: z.array(z.object({ values: z.array(z.string()), fill: z.record(z.string(), z.unknown()) })),
  fetchedAt: z.string().nullable(),
  cached: z.boolean(),
  /** Set when the company's system could not be asked (the ticket still works). */
  error: z.string().nullable(),
});
export type CrmLookupResult = z.infer<typeof crmLookupResult>;
