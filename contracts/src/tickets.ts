import { z } from "zod";
import { isoDate } from "./common";

export const ticketStatuses = ["new", "open", "pending", "on_hold", "solved", "closed"] as const;
export const ticketStatus = z.enum(ticketStatuses);
export type TicketStatus = z.infer<typeof ticketStatus>;
export const priorities = ["low", "normal", "high", "urgent"] as const;
export const priority = z.enum(priorities);
export const channels = ["email", "portal", "widget", "wecom", "dingtalk", "feishu", "phone", "api"] as const;
export const channel = z.enum(channels);
export const visibilities = ["public", "internal"] as const;
export const visibility = z.enum(visibilities);

const tag = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[^\s,]+$/u, "invalid_tag");
const customFieldValues = z.record(z.string().max(64), z.unknown());

export const ticket = z.object({
  id: z.number(),
  number: z.number(),
  subject: z.string(),
  description: z.string(),
  /** The description's sanitized HTML, when it arrived as HTML (an HTML email). */
  descriptionHtml: z.string().nullable(),
  status: ticketStatus,
  priority,
  channel,
  categoryId: z.number().nullable(),
  customerId: z.number(),
  organizationId: z.number().nullable(),
  departmentId: z.number().nullable(),
  assigneeId: z.number().nullable(),
  tags: z.array(z.string()),
  customFields: customFieldValues,
  firstResponseDueAt: isoDate.nullable(),
  nextResponseDueAt: isoDate.nullable(),
  resolutionDueAt: isoDate.nullable(),
  /** The earliest due time of the running SLA clocks (past when breached). */
  slaDueAt: isoDate.nullable(),
  /** How often the customer or colleagues urged it (催办). */
  urgeCount: z.number(),
  firstResponseAt: isoDate.nullable(),
  solvedAt: isoDate.nullable(),
  closedAt: isoDate.nullable(),
  reopenCount: z.number(),
  followUpOfId: z.number().nullable(),
  /** Looks like a repeat of this open ticket of the same customer (疑似重复); not routed on its own. */
  duplicateOfId: z.number().nullable(),
  /** This ticket was merged into that one. */
  mergedIntoId: z.number().nullable(),
  /** Required template fields still missing (信息不全 while not empty). */
  missingFields: z.array(z.string()),
  /** Routing: the team, the priority score (动态优先级分), how often it changed hands. */
  teamId: z.number().nullable(),
  priorityScore: z.number(),
  routingStatus: z.enum(["queued", "offered", "assigned", "manual"]).nullable(),
  transferCount: z.number(),
  /**
   * Only on GET /tickets/:id: what the caller may do. participant: the ticket went to a department
   * they are not in; they created or worked on it, so they read it and add internal notes.
   */
  access: z.enum(["full", "participant"]).optional(),
  /** In lists: the customer's name (the queue's 客户 column). */
  customerName: z.string().optional(),
  version: z.number(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type Ticket = z.infer<typeof ticket>;

/**
 * How a customer sees their request's progress: 处理中 (in_progress: received, being handled, or
 * on hold), 待您回复 (awaiting_you: the desk waits for the customer), 已解决, 已关闭.
 */
export const customerStates = ["in_progress", "awaiting_you", "solved", "closed"] as const;
export type CustomerState = (typeof customerStates)[number];

/** A ticket as its customer sees it: never a staff-only field (priority, channel, assignee, team, score, internal status). */
export const portalTicket = z.object({
  id: z.number(),
  number: z.number(),
  subject: z.string(),
  description: z.string(),
  descriptionHtml: z.string().nullable(),
  state: z.enum(customerStates),
  categoryId: z.number().nullable(),
  /** Template fields the desk still needs from the customer (信息不全). */
  missingFields: z.array(z.string()),
  /**
   * The details of the request's template that hold a value (订单号, 型号…), by field key: what the
   * customer gave or the desk recorded. Only active ticket fields of its category's template — the
   * fields the portal's form asks for.
   */
  details: z.record(z.string(), z.unknown()),
  /** When the customer can expect an answer (first response) or a resolution, where an SLA gives one. */
  expected: z.object({ kind: z.enum(["first_response", "resolution"]), at: isoDate }).nullable(),
  urgeCount: z.number(),
  /** This request was merged into another of the customer's (where the conversation goes on). */
  mergedIntoId: z.number().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
  solvedAt: isoDate.nullable(),
});
export type PortalTicket = z.infer<typeof portalTicket>;

/** What ticket endpoints answer: staff the ticket, a customer its portal view. */
export const ticketForCaller = z.union([ticket, portalTicket]);

export const customerRef = z
  .strictObject({
    id: z.number().int().positive().optional(),
    email: z.string().trim().toLowerCase().pipe(z.email().max(254)).optional(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 -]{4,30}$/, "invalid_phone")
      .optional(),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .refine((c) => c.id !== undefined || c.email !== undefined || c.phone !== undefined, {
    message: "customer_needs_id_email_or_phone",
  });

export const createTicketBody = z.strictObject({
  subject: z.string().trim().min(1).max(300),
  description: z.string().max(100_000).default(""),
  /** Optional HTML of the description (sanitized on the server; the text is derived from it when `description` is empty). */
  descriptionHtml: z.string().max(500_000).optional(),
  /** Required for staff; a signed-in customer always creates for themself. */
  customer: customerRef.optional(),
  categoryId: z.number().int().positive().nullable().optional(),
  priority: priority.default("normal"),
  channel: channel.optional(),
  departmentId: z.number().int().positive().nullable().optional(),
  assigneeId: z.number().int().positive().nullable().optional(),
  tags: z.array(tag).max(30).default([]),
  customFields: customFieldValues.default({}),
  attachmentIds: z.array(z.number().int().positive()).max(20).default([]),
});
export type CreateTicketBody = z.infer<typeof createTicketBody>;

export const updateTicketBody = z.strictObject({
  subject: z.string().trim().min(1).max(300).optional(),
  status: ticketStatus.optional(),
  priority: priority.optional(),
  categoryId: z.number().int().positive().nullable().optional(),
  departmentId: z.number().int().positive().nullable().optional(),
  assigneeId: z.number().int().positive().nullable().optional(),
  tags: z.array(tag).max(30).optional(),
  customFields: customFieldValues.optional(),
});
export type UpdateTicketBody = z.infer<typeof updateTicketBody>;

export const bulkUpdateBody = z.strictObject({
  ids: z.array(z.number().int().positive()).min(1).max(100),
  changes: updateTicketBody,
});
export const bulkUpdateResult = z.object({
  items: z.array(z.object({ id: z.number(), ok: z.boolean(), error: z.object({ code: z.string(), message: z.string() }).optional() })),
  /** Undo the changed tickets with POST /tickets/bulk-update/:undoId/undo until undoUntil (null: nothing changed). */
  undoId: z.string().nullable(),
  undoUntil: isoDate.nullable(),
});

export const ticketSorts = [
  "created_at",
  "-created_at",
  "updated_at",
  "-updated_at",
  "priority",
  "-priority",
  "sla_due",
  "-sla_due",
  "score",
  "-score",
  /** Best match first (needs q). */
  "relevance",
] as const;
const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === "string" ? v.split(",").filter(Boolean) : v), z.array(item).max(20));

export const listTicketsQuery = z.strictObject({
  status: csv(ticketStatus).optional(),
  priority: csv(priority).optional(),
  assignee: z.union([z.literal("me"), z.literal("none"), z.coerce.number().int().positive()]).optional(),
  /** "mine": the caller's departments (the 我的团队 view). */
  department: z.union([z.literal("mine"), z.coerce.number().int().positive()]).optional(),
  customer: z.coerce.number().int().positive().optional(),
  category: z.coerce.number().int().positive().optional(),
  tag: z.string().trim().min(1).max(50).optional(),
  /** breached: a running SLA clock is past due (已超时); at_risk: one falls due within the next hour (即将超时). */
  sla: z.enum(["at_risk", "breached"]).optional(),
  createdFrom: z.iso.datetime({ offset: true }).optional(),
  createdTo: z.iso.datetime({ offset: true }).optional(),
  q: z.string().trim().max(200).optional(),
  sort: z.enum(ticketSorts).default("-updated_at"),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListTicketsQuery = z.infer<typeof listTicketsQuery>;
/** The same filters and order as the list, as a CSV or Excel file (at most 10,000 tickets). */
export const exportTicketsQuery = listTicketsQuery
  .omit({ cursor: true, limit: true })
  .extend({ format: z.enum(["csv", "xlsx"]).default("csv") });

export const countTicketsQuery = listTicketsQuery.omit({ sort: true, cursor: true, limit: true });
export const ticketCount = z.object({ count: z.number(), capped: z.boolean() });

export const attachmentMeta = z.object({
  id: z.number(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number(),
  sha256: z.string(),
  url: z.string(),
});

export const message = z.object({
  id: z.number(),
  ticketId: z.number(),
  visibility,
  authorType: z.enum(["staff", "customer", "system"]),
  authorId: z.number().nullable(),
  authorName: z.string().nullable(),
  bodyText: z.string(),
  bodyHtml: z.string().nullable(),
  channel,
  attachments: z.array(attachmentMeta),
  createdAt: isoDate,
});
export type Message = z.infer<typeof message>;

export const createMessageBody = z
  .strictObject({
    body: z.string().max(200_000).default(""),
    /** Optional rich text; it is sanitized before it is stored. */
    bodyHtml: z.string().max(500_000).optional(),
    visibility: visibility.default("public"),
    /** Staff only: the status to leave the ticket in after this message (e.g. pending). */
    status: ticketStatus.optional(),
    attachmentIds: z.array(z.number().int().positive()).max(20).default([]),
  })
  .refine((m) => m.body.trim() !== "" || (m.bodyHtml ?? "").trim() !== "" || m.attachmentIds.length > 0, {
    message: "message_empty",
    path: ["body"],
  });
export type CreateMessageBody = z.infer<typeof createMessageBody>;

export const messageResult = z.object({
  message,
  ticket: ticketForCaller,
  /** Set when the ticket was closed and the reply opened a follow-up ticket. */
  followUpTicketId: z.number().nullable(),
});

/** Every kind of entry in a ticket's history (ticket_events.type); each has a text in both languages. */
export const ticketEventTypes = [
  "created",
  "status_changed",
  "field_changed",
  "assigned",
  "unassigned",
  "transferred",
  "first_response",
  "message_added",
  "follow_up_created",
  "sla_warning",
  "sla_breached",
  "escalated",
  "trigger_fired",
  "automation_fired",
  "trigger_limit_reached",
  "email_sent",
  "csat_received",
  "resolution_sent",
  "visit_created",
  "visit_completed",
  "call_logged",
  "customer_merged",
  "duplicate_detected",
  "duplicate_linked",
  "duplicate_cleared",
  "merged_into",
  "merged_from",
  "info_missing",
  "info_requested",
  "info_completed",
  "urged",
  "process_started",
  "process_step_started",
  "process_step_completed",
  "process_step_approved",
  "process_step_rejected",
  "process_step_returned",
  "process_step_reassigned",
  "process_step_escalated",
  "process_completed",
  "process_rejected",
  "process_cancelled",
  "process_progress_sent",
  "process_migrated",
  "category_classified",
] as const;
export type TicketEventType = (typeof ticketEventTypes)[number];

/**
 * Names of what a history entry refers to by id (people, departments, teams, categories,
 * customers), keyed by id, so the history reads in names, never ids.
 */
export const eventNames = z.object({
  staff: z.record(z.string(), z.string()),
  customers: z.record(z.string(), z.string()),
  departments: z.record(z.string(), z.string()),
  teams: z.record(z.string(), z.string()),
  categories: z.record(z.string(), z.string()),
});
export type EventNames = z.infer<typeof eventNames>;

export const ticketEvent = z.object({
  id: z.number(),
  ticketId: z.number(),
  type: z.string(),
  actorType: z.enum(["staff", "customer", "system"]),
  actorId: z.number().nullable(),
  actorName: z.string().nullable(),
  field: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  data: z.unknown(),
  createdAt: isoDate,
});
export type TicketEvent = z.infer<typeof ticketEvent>;

/** The public status page: a ticket number and the email or phone used on it. */
export const ticketStatusLookupBody = z.strictObject({
  number: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  contact: z.string().trim().min(3).max(254),
});
/** All the public page reveals: no subject, messages, names or staff. */
export const ticketStatusAnswer = z.object({
  number: z.number(),
  status: ticketStatus,
  createdAt: isoDate,
  updatedAt: isoDate,
  solvedAt: isoDate.nullable(),
  /** The stages of the process it runs, when it runs one (售后审核 → 仓库收货 → 财务退款). */
  stages: z.array(z.object({ name: z.string(), state: z.enum(["done", "current", "upcoming"]) })),
});

/** One-click urge (催办): an optional word for the handler. */
export const urgeBody = z.strictObject({ note: z.string().trim().max(500).optional() });
export const urgeResult = z.object({ urgeCount: z.number() });
export const publicUrgeBody = ticketStatusLookupBody.extend({ note: z.string().trim().max(500).optional() });

/** Search as you type (the top bar): visible tickets and the customers the text names. */
export const searchQuery = z.strictObject({ q: z.string().trim().min(1).max(200) });
export const searchSuggestions = z.object({
  q: z.string(),
  tickets: z.array(z.object({ id: z.number(), number: z.number(), subject: z.string(), status: ticketStatus })),
  /** visibleTickets: how many of their tickets the caller may see (never a count beyond that). */
  customers: z.array(z.object({ id: z.number(), name: z.string(), tier: z.string(), visibleTickets: z.number() })),
});
export type SearchSuggestions = z.infer<typeof searchSuggestions>;
