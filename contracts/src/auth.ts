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

export const sessionResponse = z.object({
  user: principal,
  csrfToken: z.string().nullable(),
  /** The workspace's time zone: report days, SLA calendars and "today" are counted in it. */
  timeZone: z.string(),
});
/** GET /session: the same, with user null when nobody is signed in. */
export const optionalSession = sessionResponse.extend({ user: principal.nullable() });

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

export const authOptions = z.object({
  /** Customers may sign in with a one-time code or link sent by email (outgoing mail is configured). */
  loginCode: z.boolean(),
  /** Outgoing mail is configured: staff can be invited by email. */
  mail: z.boolean(),
});
export const loginCodeRequestBody = z.strictObject({ email: z.string().trim().toLowerCase().pipe(z.email().max(254)) });
export const loginCodeVerifyBody = z.union([
  z.strictObject({
    email: z.string().trim().toLowerCase().min(3).max(254),
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, "six_digits"),
  }),
  z.strictObject({ token: z.string().min(10).max(200) }),
]);
export const changePasswordBody = z.strictObject({
  currentPassword: z.string().max(200).optional(),
  newPassword: z.string().min(8).max(200),
});
export const acceptInvitationBody = z.strictObject({ token: z.string().min(10).max(200), password: z.string().min(8).max(200) });
