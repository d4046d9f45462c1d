import { z } from "zod";
import { isoDate, patchBody } from "./common";

export const staffRoles = ["admin", "supervisor", "agent"] as const;
export const staffRole = z.enum(staffRoles);
export type StaffRole = z.infer<typeof staffRole>;
export const locales = ["zh-CN", "en"] as const;
export const locale = z.enum(locales);

export const staffSkill = z.object({ skillId: z.number(), name: z.string(), level: z.number().int().min(1).max(5) });

export const staffMember = z.object({
  id: z.number(),
  email: z.string(),
  name: z.string(),
  role: staffRole,
  locale,
  active: z.boolean(),
  departmentIds: z.array(z.number()),
  teamIds: z.array(z.number()),
  skills: z.array(staffSkill),
  /** false: invited by email and not yet accepted. */
  hasPassword: z.boolean(),
  createdAt: isoDate,
});
export type StaffMember = z.infer<typeof staffMember>;

const email = z.string().trim().toLowerCase().pipe(z.email().max(254));
export const password = z.string().min(8).max(200);

export const createStaffBody = z.strictObject({
  email,
  name: z.string().trim().min(1).max(100),
  role: staffRole.default("agent"),
  /** A first password to hand over; or leave it out and send an invitation by email (`invite`). */
  password: password.optional(),
  invite: z.boolean().default(false),
  locale: locale.default("zh-CN"),
  departmentIds: z.array(z.number().int().positive()).max(50).default([]),
  teamIds: z.array(z.number().int().positive()).max(50).default([]),
  skills: z
    .array(z.strictObject({ skillId: z.number().int().positive(), level: z.number().int().min(1).max(5) }))
    .max(50)
    .default([]),
});
export const updateStaffBody = patchBody(createStaffBody.omit({ email: true, invite: true })).extend({ active: z.boolean().optional() });

/** Columns the ticket queue can show; each person chooses theirs. */
export const ticketColumns = [
  "number",
  "subject",
  "customer",
  "status",
  "priority",
  "assignee",
  "department",
  "urges",
  "sla",
  "channel",
  "createdAt",
  "updatedAt",
] as const;
export type TicketColumn = (typeof ticketColumns)[number];
/** A staff member's own settings of the workspace (they follow them to any browser). */
export const staffPreferences = z.object({
  ticketColumns: z.array(z.enum(ticketColumns)).min(1).max(ticketColumns.length).optional(),
  pageSize: z.union([z.literal(25), z.literal(50), z.literal(100)]).optional(),
});
export type StaffPreferences = z.infer<typeof staffPreferences>;
export const updateStaffPreferencesBody = staffPreferences.strict();
