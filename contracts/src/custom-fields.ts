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
});
export const updateCustomFieldBody = patchBody(createCustomFieldBody.omit({ entity: true, key: true, type: true }));

/** Whether a ticket field is part of the template of a ticket in this category. */
export const fieldApplies = (def: Pick<CustomFieldDefinition, "entity" | "categoryIds">, categoryId: number | null | undefined) =>
  def.entity !== "ticket" || def.categoryIds.length === 0 || (categoryId != null && def.categoryIds.includes(categoryId));
