import { z } from "zod";

/** Single sign-on (单点登录): OpenID Connect, LDAP/Active Directory, group mappings, password policy. */

export const staffRoles = ["agent", "supervisor", "admin"] as const;

export const groupMapping = z.strictObject({
  /** A group as the directory names it: an OIDC groups-claim value, or an LDAP group's cn or DN. */
  group: z.string().trim().min(1).max(500),
  role: z.enum(staffRoles),
  departmentIds: z.array(z.number().int().positive()).max(50).default([]),
});

export const ssoSettings = z.object({
  oidc: z.object({
    enabled: z.boolean(),
    name: z.string().describe("the sign-in button's label, e.g. 企业微信 or 飞书"),
    issuer: z.string().nullable(),
    clientId: z.string().nullable(),
    hasClientSecret: z.boolean(),
    scopes: z.string(),
    groupsClaim: z.string(),
    redirectUri: z.string().describe("register this address with the provider"),
  }),
  ldap: z.object({
    enabled: z.boolean(),
    url: z.string().nullable(),
    bindDn: z.string().nullable(),
    hasBindPassword: z.boolean(),
    baseDn: z.string().nullable(),
    userFilter: z.string(),
    groupBaseDn: z.string().nullable(),
    groupFilter: z.string(),
  }),
  groupMappings: z.array(groupMapping),
  jit: z.boolean().describe("create staff on their first sign-in"),
  defaultRole: z.enum(staffRoles).nullable().describe("role of someone in no mapped group; null: they may not sign in"),
  passwordSignIn: z.enum(["all", "break_glass"]).describe("break_glass: only break-glass accounts sign in with a password"),
  breakGlassStaffIds: z.array(z.number().int()),
});
export type SsoSettings = z.infer<typeof ssoSettings>;

const optionalText = z.string().trim().max(2000).nullable().optional();
export const ssoSettingsBody = z.strictObject({
  oidc: z
    .strictObject({
      enabled: z.boolean().optional(),
      name: z.string().trim().max(50).optional(),
      issuer: optionalText,
      clientId: optionalText,
      clientSecret: z.string().max(2000).nullable().optional(),
      scopes: z.string().trim().min(6).max(500).optional(),
      groupsClaim: z.string().trim().min(1).max(100).optional(),
    })
    .optional(),
  ldap: z
    .strictObject({
      enabled: z.boolean().optional(),
      url: optionalText,
      bindDn: optionalText,
      bindPassword: z.string().max(2000).nullable().optional(),
      baseDn: optionalText,
      userFilter: z.string().trim().min(3).max(1000).optional(),
      groupBaseDn: optionalText,
      groupFilter: z.string().trim().min(3).max(1000).optional(),
    })
    .optional(),
  groupMappings: z.array(groupMapping).max(200).optional(),
  jit: z.boolean().optional(),
  defaultRole: z.enum(staffRoles).nullable().optional(),
  passwordSignIn: z.enum(["all", "break_glass"]).optional(),
  breakGlassStaffIds: z.array(z.number().int().positive()).max(20).optional(),
});
