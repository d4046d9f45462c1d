import { z } from "zod";
import { isoDate, patchBody } from "./common";
import { listTicketsQuery } from "./tickets";

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

/** Reusable reply text; placeholders {{customer.name}}, {{ticket.number}}, {{agent.name}}. */
export const cannedReply = z.object({
  id: z.number(),
  title: z.string(),
  body: z.string(),
  /** Shared with all staff (managed by supervisors and admins) or one agent's own. */
  shared: z.boolean(),
  editable: z.boolean(),
  updatedAt: isoDate,
});
export type CannedReply = z.infer<typeof cannedReply>;
export const createCannedReplyBody = z.strictObject({
  title: z.string().trim().min(1).max(100),
  body: z.string().trim().min(1).max(10_000),
  shared: z.boolean().default(false),
});
export const updateCannedReplyBody = patchBody(createCannedReplyBody);
