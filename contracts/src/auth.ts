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
  /** The person's role requires a second factor they have not set up: this session may only enrol. */
  twoFactorEnrolmentRequired: z.boolean().optional(),
});
/** A correct password for someone with two-factor sign-in: no session yet, the second step's ticket. */
export const twoFactorChallengeResponse = z.object({
  twoFactor: z.object({ challenge: z.string(), methods: z.array(z.enum(["totp", "passkey", "recovery_code"])) }),
});
export const loginResponse = z.union([sessionResponse, twoFactorChallengeResponse]);
export const twoFactorLoginBody = z
  .strictObject({
    challenge: z.string().min(1).max(200),
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, "six digits")
      .optional(),
    recoveryCode: z.string().trim().min(8).max(20).optional(),
    /** A passkey's answer (WebAuthn AuthenticationResponseJSON) to the options from POST /auth/login/passkey-options. */
    passkey: z.strictObject({ state: z.string().min(1).max(400), response: z.looseObject({ id: z.string().max(1400) }) }).optional(),
  })
  .refine((b) => [b.code, b.recoveryCode, b.passkey].filter((x) => x !== undefined).length === 1, "one of code, recoveryCode or passkey");
export const passkey = z.object({ id: z.number().int(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() });
export const passkeyRegistration = z.strictObject({
  state: z.string().min(1).max(400),
  /** WebAuthn RegistrationResponseJSON from the browser. */
  response: z.looseObject({ id: z.string().max(1400) }),
  name: z.string().trim().min(1).max(60),
});
/** WebAuthn options for the browser, and the signed state to send back with its answer. */
export const passkeyOptions = z.object({ options: z.looseObject({ challenge: z.string() }), state: z.string() });
export const twoFactorStatus = z.object({
  totp: z.boolean(),
  passkeys: z.number().int(),
  enabledAt: z.string().nullable(),
  recoveryCodesLeft: z.number().int(),
  required: z.boolean(),
});
export const totpEnrolment = z.object({
  secret: z.string().describe("base32, for typing into an app"),
  otpauthUrl: z.string(),
  qrDataUrl: z.string().describe("the otpauth URL as a PNG data URL"),
});
export const codeBody = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, "six digits"),
});
export const recoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });
export const securitySettings = z.object({ twoFactorRoles: z.array(z.enum(["admin", "supervisor", "agent"])) });
/** GET /session: the same, with user null when nobody is signed in. */
export const optionalSession = sessionResponse.extend({ user: principal.nullable() });

/**
 * What an API token may do: read tickets (and everything an agent reads), write them, the
 * administrators' and supervisors' settings, reports, and intake (creating requests from other
 * systems). A token never does more than its owner's role allows.
 */
export const tokenScopes = ["tickets:read", "tickets:write", "analytics", "intake", "admin"] as const;
export type TokenScope = (typeof tokenScopes)[number];

export const createTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  scopes: z.array(z.enum(tokenScopes)).min(1).optional().describe("defaults to tickets:read and tickets:write"),
});
export const apiToken = z.object({
  id: z.number(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.enum(tokenScopes)),
  expiresAt: isoDate.nullable(),
  revokedAt: isoDate.nullable(),
  lastUsedAt: isoDate.nullable(),
  createdAt: isoDate,
});
export const createdToken = apiToken.extend({ token: z.string() });

export const staffSession = z.object({
  id: z.string().describe("a handle for ending the session (not the session's secret)"),
  device: z.string().describe("browser and system, from the user agent"),
  ip: z.string().nullable(),
  createdAt: isoDate,
  lastSeenAt: isoDate,
  expiresAt: isoDate,
  current: z.boolean(),
});
export type StaffSession = z.infer<typeof staffSession>;

export const authOptions = z.object({
  /** Customers may sign in with a one-time code or link sent by email (outgoing mail is configured). */
  loginCode: z.boolean(),
  /** Outgoing mail is configured: staff can be invited by email. */
  mail: z.boolean(),
  /** Single sign-on for staff: the OpenID Connect button's label (null: none), whether LDAP passwords work, whether staff passwords do. */
  sso: z.object({ oidc: z.string().nullable(), ldap: z.boolean(), staffPasswords: z.enum(["all", "break_glass"]) }),
});
export type AuthOptions = z.infer<typeof authOptions>;
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
