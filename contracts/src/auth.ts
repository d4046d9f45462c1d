import { z } from "zod";
import { isoDate } from "./common";
import { locale, staffRole } from "./staff";

export const loginBody = z.strictObject({
  email: z.string().trim().toLowerCase().min(3).max(254),
  password: z.string().min(1).max(200),
  as: z.enum(["staff", "customer"]).default("staff"),
});

export const principal = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("staff"),
    id: z.number(),
    email: z.string(),
    name: z.string(),
    role: staffRole,
    locale,
    departmentIds: z.array(z.number()),
  }),
  z.object({
    kind: z.literal("customer"),
    id: z.number(),
    email: z.string().nullable(),
    name: z.string(),
    locale,
    organizationId: z.number().nullable(),
  }),
]);
export type Principal = z.infer<typeof principal>;

export const sessionResponse = z.object({ user: principal, csrfToken: z.string().nullable() });

export const createTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
export const apiToken = z.object({
  id: z.number(),
  name: z.string(),
  prefix: z.string(),
  expiresAt: isoDate.nullable(),
  revokedAt: isoDate.nullable(),
  lastUsedAt: isoDate.nullable(),
  createdAt: isoDate,
});
export const createdToken = apiToken.extend({ token: z.string() });
