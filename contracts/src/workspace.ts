import { z } from "zod";
import { isoDate, patchBody } from "./common";
import { listTicketsQuery, priority, ticketStatus } from "./tickets";

/**
 * A saved view stores ticket-list query parameters as strings, exactly as the list endpoint takes
 * them; they are checked against that endpoint's schema when saved.
 */
export const savedViewFilterKeys = [
  "status",
  "priority",
  "assignee",
  "department",
  "customer",
  "category",
  "tag",
  "sla",
  "createdFrom",
  "createdTo",
  "q",
  "sort",
] as const;
export const savedViewFilters = z.partialRecord(z.enum(savedViewFilterKeys), z.string().max(300)).superRefine((filters, ctx) => {
  const parsed = listTicketsQuery.safeParse(filters);
  if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
});

export const savedView = z.object({
  id: z.number(),
  name: z.string(),
  filters: z.record(z.string(), z.string()),
  shared: z.boolean(),
  ownerId: z.number(),
  ownerName: z.string(),
  /** Whether the caller may rename, re-share or delete it (its owner or an admin). */
  editable: z.boolean(),
  createdAt: isoDate,
});
export type SavedView = z.infer<typeof savedView>;
export const createSavedViewBody = z.strictObject({
  name: z.string().trim().min(1).max(80),
  filters: savedViewFilters,
  shared: z.boolean().default(false),
});
export const updateSavedViewBody = patchBody(createSavedViewBody);

/**
 * What a macro changes besides its reply: the status to leave the ticket in, its priority, tags to
 * add, who holds it (`"me"`, a staff id, or null to unassign) and field values.
 */
export const macroActions = z.strictObject({
  status: ticketStatus.exclude(["new", "closed"]).optional(),
  priority: priority.optional(),
  addTags: z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .max(50)
        .regex(/^[^\s,]+$/u, "invalid_tag"),
    )
    .max(20)
    .optional(),
  assignee: z.union([z.literal("me"), z.number().int().positive(), z.null()]).optional(),
  customFields: z.record(z.string().max(64), z.unknown()).optional(),
  /** The reply is posted as an internal note instead of to the customer. */
  internal: z.boolean().optional(),
});
export type MacroActions = z.infer<typeof macroActions>;

/** Reusable reply text (placeholders {{customer.name}}, {{ticket.number}}, {{agent.name}}), and as a macro the changes it makes. */
export const cannedReply = z.object({
  id: z.number(),
  title: z.string(),
  body: z.string(),
  actions: macroActions,
  /** Shared with all staff (managed by supervisors and admins) or one agent's own. */
  shared: z.boolean(),
  editable: z.boolean(),
  updatedAt: isoDate,
});
export type CannedReply = z.infer<typeof cannedReply>;
export const createCannedReplyBody = z.strictObject({
  title: z.string().trim().min(1).max(100),
  /** A macro may change the ticket without a reply. */
  body: z.string().trim().max(10_000).default(""),
  shared: z.boolean().default(false),
  actions: macroActions.default({}),
});
export const updateCannedReplyBody = patchBody(createCannedReplyBody);

/** Apply a macro to a ticket, or only see what it would do (`preview`). */
export const applyMacroBody = z.strictObject({ preview: z.boolean().default(false) });
/** What a macro does to this ticket: its reply filled in for it, and the fields it changes (before → after). */
export const macroPreview = z.object({
  reply: z.string(),
  internal: z.boolean(),
  changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
});
export type MacroPreview = z.infer<typeof macroPreview>;

/** Fills {{customer.name}}, {{ticket.number}}, {{ticket.subject}} and {{agent.name}}; unknown placeholders stay visible. */
export function fillPlaceholders(text: string, values: Record<string, string | undefined>) {
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, key: string) => values[key] ?? whole);
}
