import { z } from "zod";
import { isoDate, patchBody } from "./common";

export const tiers = ["normal", "silver", "gold", "vip"] as const;
export const tier = z.enum(tiers);
export const identityKinds = ["email", "phone", "wechat_openid", "wecom_userid", "dingtalk_userid", "feishu_open_id", "other"] as const;
export const identityKind = z.enum(identityKinds);

export const identity = z.object({ id: z.number(), kind: identityKind, value: z.string(), verified: z.boolean() });
export const customer = z.object({
  id: z.number(),
  name: z.string(),
  tier,
  organizationId: z.number().nullable(),
  isOrgContact: z.boolean(),
  locale: z.string(),
  identities: z.array(identity),
  customFields: z.record(z.string(), z.unknown()),
  /** Set when this customer was merged into another (who now has their contacts and tickets). */
  mergedIntoId: z.number().nullable(),
  createdAt: isoDate,
});
export type Customer = z.infer<typeof customer>;

/** Merge another customer (the duplicate) into this one. */
export const mergeCustomerBody = z.strictObject({ customerId: z.number().int().positive() });
export const mergeCustomerResult = z.object({ customer, movedTickets: z.number() });

const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 -]{4,30}$/, "invalid_phone");
export const identityInput = z.strictObject({ kind: identityKind, value: z.string().trim().min(1).max(254) });

export const createCustomerBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.string().trim().toLowerCase().pipe(z.email().max(254)).optional(),
  phone: phone.optional(),
  identities: z.array(identityInput).max(20).default([]),
  tier: tier.default("normal"),
  organizationId: z.number().int().positive().nullable().optional(),
  isOrgContact: z.boolean().default(false),
  customFields: z.record(z.string().max(64), z.unknown()).default({}),
});
export const updateCustomerBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  tier: tier.optional(),
  organizationId: z.number().int().positive().nullable().optional(),
  isOrgContact: z.boolean().optional(),
  customFields: z.record(z.string().max(64), z.unknown()).optional(),
});
export const listCustomersQuery = z.strictObject({
  q: z.string().trim().max(200).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const organization = z.object({
  id: z.number(),
  name: z.string(),
  domain: z.string().nullable(),
  customFields: z.record(z.string(), z.unknown()),
  createdAt: isoDate,
});
export const createOrganizationBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  domain: z.string().trim().toLowerCase().max(200).nullable().optional(),
  customFields: z.record(z.string().max(64), z.unknown()).default({}),
});
export const updateOrganizationBody = patchBody(createOrganizationBody);

/** A mainland mobile number's 11 digits, however it is written (+86, 86, spaces, dashes), or null. */
export function mainlandMobile(text: string): string | null {
  return /^(?:\+?86)?(1\d{10})$/.exec(text.replace(/[\s\-().]/g, ""))?.[1] ?? null;
}
