import type { z } from "zod";
import {
  type createCustomFieldBody,
  type CustomFieldDefinition,
  fieldRequiredNow,
  type updateCustomFieldBody,
} from "@loopdesk/contracts/custom-fields";
import type { CustomFieldDefinitionsTable } from "../../db/schema";
import type { Selectable } from "kysely";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { existingCategoryIds } from "../directory/category-service";

type Entity = CustomFieldDefinition["entity"];
type Row = Selectable<CustomFieldDefinitionsTable>;

const present = (r: Row): CustomFieldDefinition => ({
  id: r.id,
  entity: r.entity,
  key: r.key,
  label: r.label,
  type: r.type,
  required: r.required,
  pattern: r.pattern,
  options: r.options ?? [],
  position: r.position,
  active: r.active,
  categoryIds: r.category_ids ?? [],
  helpText: r.help_text,
  requiredWhen: r.required_when ?? null,
});

/**
 * Definitions change rarely and are read on every write that carries custom fields, so each
 * process keeps them for a few seconds; the process that changes them forgets at once.
 */
const CACHE_MS = 5_000;
const activeCache = new WeakMap<object, { at: number; byEntity: Map<Entity, CustomFieldDefinition[]> }>();

export async function activeDefinitions(db: Executor, entity: Entity) {
  const key = cacheKey(db);
  let entry = activeCache.get(key);
  if (!entry || Date.now() - entry.at > CACHE_MS) {
    const all = await listCustomFields(db, undefined, true);
    entry = { at: Date.now(), byEntity: new Map() };
    for (const d of all) entry.byEntity.set(d.entity, [...(entry.byEntity.get(d.entity) ?? []), d]);
    activeCache.set(key, entry);
  }
  return entry.byEntity.get(entity) ?? [];
}

// A database and its transactions share one adapter object: the cache key for "this database".
const cacheKey = (db: Executor): object => db.getExecutor().adapter;
const forgetDefinitions = (db: Executor) => activeCache.delete(cacheKey(db));

export async function listCustomFields(db: Executor, entity?: Entity, activeOnly = false) {
  let q = db.selectFrom("custom_field_definitions").selectAll().orderBy("entity").orderBy("position").orderBy("id");
  if (entity) q = q.where("entity", "=", entity);
  if (activeOnly) q = q.where("active", "=", true);
  return (await q.execute()).map(present);
}

async function checkCondition(db: Executor, entity: Entity, key: string, when: { field: string } | null | undefined) {
  if (!when) return;
  const other = await db
    .selectFrom("custom_field_definitions")
    .select("id")
    .where("entity", "=", entity)
    .where("key", "=", when.field)
    .executeTakeFirst();
  if (!other || when.field === key)
    throw ValidationError([
      { path: "requiredWhen.field", code: "unknown_reference", message: "The condition names no other field of this kind." },
    ]);
}

export async function createCustomField(db: Executor, input: z.output<typeof createCustomFieldBody>) {
  checkOptions(input.type, input.options);
  await checkCondition(db, input.entity, input.key, input.requiredWhen);
  await checkCategories(db, input.entity, input.categoryIds);
  const exists = await db
    .selectFrom("custom_field_definitions")
    .select("id")
    .where("entity", "=", input.entity)
    .where("key", "=", input.key)
    .executeTakeFirst();
  if (exists) throw ConflictError("A field with this key exists.", { field: "key" });
  forgetDefinitions(db);
  const row = await db
    .insertInto("custom_field_definitions")
    .values({
      ...columnsOf(input),
      options: JSON.stringify(input.options),
      category_ids: input.categoryIds,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return present(row);
}

export async function updateCustomField(db: Executor, id: number, input: z.output<typeof updateCustomFieldBody>) {
  const current = await db.selectFrom("custom_field_definitions").selectAll().where("id", "=", id).executeTakeFirst();
  if (!current) throw NotFoundError("Custom field");
  if (input.options) checkOptions(current.type, input.options);
  if (input.categoryIds) await checkCategories(db, current.entity, input.categoryIds);
  await checkCondition(db, current.entity, current.key, input.requiredWhen);
  forgetDefinitions(db);
  const row = await db
    .updateTable("custom_field_definitions")
    .set({
      ...columnsOf(input),
      options: input.options ? JSON.stringify(input.options) : undefined,
      category_ids: input.categoryIds,
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return present(row);
}

/** The body's fields as columns (categories, help text and condition have their own names). */
const columnsOf = <
  T extends { categoryIds?: number[]; helpText?: string | null; requiredWhen?: { field: string; values: string[] } | null },
>({
  categoryIds: _,
  helpText,
  requiredWhen,
  ...rest
}: T) => ({
  ...rest,
  ...(helpText !== undefined ? { help_text: helpText } : {}),
  ...(requiredWhen !== undefined ? { required_when: JSON.stringify(requiredWhen) } : {}),
});

async function checkCategories(db: Executor, entity: Entity, ids: number[]) {
  if (ids.length === 0) return;
  if (entity !== "ticket")
    throw ValidationError([
      { path: "categoryIds", code: "ticket_fields_only", message: "Only ticket fields belong to category templates." },
    ]);
  const known = await existingCategoryIds(db, ids);
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length)
    throw ValidationError([{ path: "categoryIds", code: "unknown_reference", message: `Unknown categories: ${unknown.join(", ")}.` }]);
}

function checkOptions(type: string, options: unknown[]) {
  if ((type === "select" || type === "multi_select") && options.length === 0)
    throw ValidationError([{ path: "options", code: "options_required", message: "A select field needs options." }]);
}

type Issue = { path: string; code: string; message: string };

export function checkValue(def: CustomFieldDefinition, value: unknown): { value?: unknown; issue?: string } {
  const allowed = new Set(def.options.map((o) => o.value));
  switch (def.type) {
    case "text": {
      if (typeof value !== "string" || value.length > 10_000) return { issue: "expected_text" };
      if (def.pattern && !new RegExp(def.pattern, "u").test(value)) return { issue: "pattern_mismatch" };
      return { value };
    }
    case "number": {
      const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      if (typeof n !== "number" || !Number.isFinite(n)) return { issue: "expected_number" };
      if (def.pattern && !new RegExp(def.pattern, "u").test(String(n))) return { issue: "pattern_mismatch" };
      return { value: n };
    }
    case "date":
      if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
        return { issue: "expected_date" };
      return { value };
    case "checkbox":
      if (typeof value !== "boolean") return { issue: "expected_boolean" };
      return { value };
    case "select":
      if (typeof value !== "string" || !allowed.has(value)) return { issue: "unknown_option" };
      return { value };
    case "multi_select":
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || !allowed.has(v))) return { issue: "unknown_option" };
      return { value: [...new Set(value)] };
  }
}

const isEmpty = (v: unknown) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

/**
 * Checks values against the entity's active field definitions. Unknown keys, wrong types and
 * pattern mismatches are errors; `requireAll` also demands every required field (on create) —
 * of a ticket, only those in its category's template (`categoryId`).
 * Returns the merged, normalized values (null removes a value).
 */
export async function validateCustomFields(
  db: Executor,
  entity: Entity,
  values: Record<string, unknown>,
  opts: { existing?: Record<string, unknown>; requireAll: boolean; categoryId?: number | null },
): Promise<Record<string, unknown>> {
  const defs = new Map((await activeDefinitions(db, entity)).map((d) => [d.key, d]));
  const issues: Issue[] = [];
  const result: Record<string, unknown> = { ...(opts.existing ?? {}) };
  for (const [key, value] of Object.entries(values)) {
    const def = defs.get(key);
    if (!def) {
      issues.push({ path: `customFields.${key}`, code: "unknown_field", message: "No such custom field." });
      continue;
    }
    if (isEmpty(value)) {
      delete result[key];
      continue;
    }
    const checked = checkValue(def, value);
    if (checked.issue) issues.push({ path: `customFields.${key}`, code: checked.issue, message: `Invalid value for ${def.label}.` });
    else result[key] = checked.value;
  }
  for (const def of defs.values()) {
    const touched = key(def) in values;
    if (isEmpty(result[def.key]) && (opts.requireAll || touched) && fieldRequiredNow(def, result, opts.categoryId))
      issues.push({ path: `customFields.${def.key}`, code: "required", message: `${def.label} is required.` });
  }
  if (issues.length) throw ValidationError(issues);
  return result;
}

const key = (d: CustomFieldDefinition) => d.key;
