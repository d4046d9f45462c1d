import { type CustomFieldDefinition, emptyValue, fieldApplies, fieldRequiredNow } from "@loopdesk/contracts/custom-fields";
import type { Executor } from "../../platform/jobs/job-queue";
import { activeDefinitions, checkValue } from "./custom-field-service";

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The ticket's required template fields (for its category and answers) that are still empty: 信息不全 when any. */
export async function missingTemplateFields(db: Executor, categoryId: number | null | undefined, values: Record<string, unknown>) {
  const defs = await activeDefinitions(db, "ticket");
  return defs.filter((d) => emptyValue(values[d.key]) && fieldRequiredNow(d, values, categoryId)).map((d) => d.key);
}

/** Label and help text of these ticket fields, in form order (for the message asking for them). */
export async function templateFieldsByKey(db: Executor, keys: string[]) {
  const defs = await activeDefinitions(db, "ticket");
  return defs.filter((d) => keys.includes(d.key)).map((d) => ({ key: d.key, label: d.label, helpText: d.helpText }));
}

/** The pattern without its anchors, found anywhere in text but not inside a longer word or number. */
function searchPattern(pattern: string) {
  const core = pattern.replace(/^\^/, "").replace(/\$$/, "");
  try {
    return new RegExp(`(?<![\\p{L}\\p{N}])(?:${core})(?![\\p{L}\\p{N}])`, "u");
  } catch {
    return null;
  }
}

/** A value written as "订单号：DD2026…" (the field's label, a colon, the value) on its own line. */
function labelled(def: CustomFieldDefinition, text: string): unknown {
  const m = new RegExp(`^[ \\t>*-]*${escapeRegExp(def.label)}[ \\t]*[:：][ \\t]*(.+?)[ \\t]*$`, "mu").exec(text);
  const raw = m?.[1];
  if (!raw) return undefined;
  if (def.type === "select") return def.options.find((o) => o.label === raw || o.value === raw)?.value;
  if (def.type === "multi_select")
    return raw
      .split(/[,，、;；\s]+/)
      .map((part) => def.options.find((o) => o.label === part || o.value === part)?.value)
      .filter((v): v is string => v !== undefined);
  if (def.type === "checkbox")
    return /^(是|有|对|yes|y|true)$/i.test(raw) ? true : /^(否|没有|无|不是|no|n|false)$/i.test(raw) ? false : undefined;
  return raw;
}

/**
 * Values for empty template fields found in free text (a request's subject and body, or the
 * customer's answer): a field with a pattern takes the first match of it (order numbers, phone
 * numbers, device models); any field takes a "标签：值" line. Only values that pass the field's
 * own validation are returned. `keys` limits the search to those fields.
 */
export async function extractFieldValues(
  db: Executor,
  categoryId: number | null | undefined,
  text: string,
  values: Record<string, unknown>,
  keys?: string[],
): Promise<Record<string, unknown>> {
  if (text.trim() === "") return {};
  const defs = (await activeDefinitions(db, "ticket")).filter(
    (def) => emptyValue(values[def.key]) && fieldApplies(def, categoryId) && (!keys || keys.includes(def.key)),
  );
  return valuesFromText(defs, text);
}

/** What free text states for these fields ("标签：值" lines, or a field's pattern), where valid. */
export function valuesFromText(defs: CustomFieldDefinition[], text: string) {
  const found: Record<string, unknown> = {};
  for (const def of defs) {
    let candidate = labelled(def, text);
    if (candidate === undefined && def.pattern && (def.type === "text" || def.type === "number"))
      candidate = searchPattern(def.pattern)?.exec(text)?.[0];
    if (candidate === undefined || emptyValue(candidate)) continue;
    const checked = checkValue(def, candidate);
    if (!checked.issue) found[def.key] = checked.value;
  }
  return found;
}
