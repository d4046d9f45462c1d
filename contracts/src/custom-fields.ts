import { z } from "zod";
import { patchBody } from "./common";

export const fieldEntities = ["ticket", "customer", "organization"] as const;
export const fieldTypes = ["text", "number", "date", "select", "multi_select", "checkbox"] as const;
export const fieldEntity = z.enum(fieldEntities);
export const fieldType = z.enum(fieldTypes);

export const fieldOption = z.strictObject({ value: z.string().trim().min(1).max(100), label: z.string().trim().min(1).max(200) });

export const customFieldDefinition = z.object({
  id: z.number(),
  entity: fieldEntity,
  key: z.string(),
  label: z.string(),
  type: fieldType,
  required: z.boolean(),
  pattern: z.string().nullable(),
  options: z.array(fieldOption),
  position: z.number(),
  active: z.boolean(),
  /** Ticket fields only: the categories whose template asks for it; empty means every ticket. */
  categoryIds: z.array(z.number()),
  /** Shown under the field in every form (what to enter, where to find it). */
  helpText: z.string().nullable(),
  /** A required field can be required only when another field has one of these values (any value if empty). */
  requiredWhen: z.object({ field: z.string(), values: z.array(z.string()) }).nullable(),
});
export type CustomFieldDefinition = z.infer<typeof customFieldDefinition>;

const validPattern = z
  .string()
  .max(500)
  .refine((p) => {
    try {
      new RegExp(p, "u");
      return true;
    } catch {
      return false;
    }
  }, "invalid_pattern");

export const createCustomFieldBody = z.strictObject({
  entity: fieldEntity,
  key: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, "invalid_key"),
  label: z.string().trim().min(1).max(200),
  type: fieldType,
  required: z.boolean().default(false),
  pattern: validPattern.nullable().default(null),
  options: z.array(fieldOption).max(500).default([]),
  position: z.number().int().min(0).max(100000).default(0),
  active: z.boolean().default(true),
  categoryIds: z.array(z.number().int().positive()).max(200).default([]),
  helpText: z.string().trim().max(500).nullable().default(null),
  requiredWhen: z
    .strictObject({
      field: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, "invalid_key"),
      values: z.array(z.string().max(200)).max(50).default([]),
    })
    .nullable()
    .default(null),
});
export const updateCustomFieldBody = patchBody(createCustomFieldBody.omit({ entity: true, key: true, type: true }));

/** Whether a ticket field is part of the template of a ticket in this category. */
export const fieldApplies = (def: Pick<CustomFieldDefinition, "entity" | "categoryIds">, categoryId: number | null | undefined) =>
  def.entity !== "ticket" || def.categoryIds.length === 0 || (categoryId != null && def.categoryIds.includes(categoryId));

/** A field holds no answer: nothing, an empty text or an empty list. */
export const emptyValue = (v: unknown) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

/**
 * Whether a field must be filled for a ticket (or customer, organization) with these values:
 * required, in the category's template, and — when it depends on another answer — that answer
 * given (one of the listed values, or any value when none are listed). Shared by forms and server.
 */
export function fieldRequiredNow(
  def: Pick<CustomFieldDefinition, "entity" | "categoryIds" | "required" | "requiredWhen">,
  values: Record<string, unknown>,
  categoryId: number | null | undefined,
) {
  if (!def.required || !fieldApplies(def, categoryId)) return false;
  if (!def.requiredWhen) return true;
  const other = values[def.requiredWhen.field];
  if (emptyValue(other)) return false;
  if (def.requiredWhen.values.length === 0) return true;
  const given = Array.isArray(other) ? other.map(String) : [String(other)];
  return given.some((v) => def.requiredWhen?.values.includes(v));
}
