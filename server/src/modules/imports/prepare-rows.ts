import { createHash } from "node:crypto";
import type { ImportEntity, ImportProblem, MappedField, ValueMap } from "@loopdesk/contracts/imports";
import type { Executor } from "../../platform/jobs/job-queue";
import { activeDefinitions, checkValue } from "../custom-fields/custom-field-service";
import { zonedInstant } from "../sla/business-calendar";
import { IMPORT_FIELDS, knownValue } from "./import-fields";
import type { SheetRow } from "./read-spreadsheet";

/** A row ready to write: our values, resolved; or the problems that keep it out. */
export type PreparedRow = { row: number; externalId: string; values: Record<string, unknown>; problems: ImportProblem[] };

type Named = { id: number; name: string; email?: string };

/** What a row is checked against: the mapping and this workspace's names, read once per import. */
export type RowChecker = {
  entity: ImportEntity;
  prepare: (row: SheetRow) => PreparedRow;
  /** Their distinct words in the mapped columns, with what each maps to now. */
  mappedValue: (field: MappedField, word: string) => { mapped: string | number | null; known: boolean };
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s\-()]{5,24}$/;
const TRUE_WORDS = new Set(["是", "对", "有", "y", "yes", "true", "1", "√", "✓"]);
const FALSE_WORDS = new Set(["否", "不", "无", "n", "no", "false", "0", "×", ""]);

/** Reads a date as people type it (2025-03-01 10:20, 2025/3/1, 2025年3月1日) in the workspace's zone. */
export function parseWhen(text: string, timeZone: string): Date | undefined {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(t)) {
    const d = new Date(t);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  const m = t.match(/^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2}))?秒?)?$/);
  if (!m) return undefined;
  const [y, mo, d, h = "0", mi = "0", s = "0"] = m.slice(1).map((x) => x ?? "0");
  const parts = [y, mo, d, h, mi, s].map(Number);
  if (parts[1] < 1 || parts[1] > 12 || parts[2] < 1 || parts[2] > 31 || parts[3] > 23 || parts[4] > 59 || parts[5] > 59) return undefined;
  const asUtc = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5]);
  if (new Date(asUtc).getUTCDate() !== parts[2]) return undefined; // 2月30日
  return new Date(zonedInstant(parts[0], parts[1], parts[2], parts[3] * 60 + parts[4], timeZone) + parts[5] * 1000);
}

const lower = (s: string) => s.trim().toLowerCase();

export async function rowChecker(
  db: Executor,
  entity: ImportEntity,
  headers: string[],
  columns: Record<string, string>,
  valueMap: ValueMap,
  timeZone: string,
): Promise<RowChecker> {
  const [categories, departments, staff, defs] = await Promise.all([
    db.selectFrom("categories").select(["id", "name"]).where("active", "=", true).execute(),
    db.selectFrom("departments").select(["id", "name"]).execute(),
    db.selectFrom("staff").select(["id", "name", "email"]).where("active", "=", true).execute(),
    activeDefinitions(db, entity === "tickets" ? "ticket" : entity === "customers" ? "customer" : "organization"),
  ]);
  const index = new Map<string, number>();
  headers.forEach((h, i) => {
    const field = columns[h];
    if (field) index.set(field, i);
  });
  const named: Record<"category" | "department" | "assignee", Named[]> = { category: categories, department: departments, assignee: staff };

  const mappedValue = (field: MappedField, word: string): { mapped: string | number | null; known: boolean } => {
    const saved = valueMap[field]?.[word];
    if (saved !== undefined) return { mapped: saved, known: true };
    if (field === "status" || field === "priority" || field === "channel") {
      const ours = knownValue(field, word);
      return { mapped: ours ?? null, known: ours !== undefined };
    }
    const w = lower(word);
    const hit = named[field].find((n) => lower(n.name) === w || (n.email && lower(n.email) === w));
    return { mapped: hit?.id ?? null, known: hit !== undefined };
  };

  const prepare = (sheetRow: SheetRow): PreparedRow => {
    const problems: ImportProblem[] = [];
    const get = (field: string) => {
      const i = index.get(field);
      return i === undefined ? "" : (sheetRow.cells[i] ?? "");
    };
    const problem = (field: string, code: string, value?: string) =>
      problems.push({ row: sheetRow.row, column: headerOf(field), code, ...(value ? { value: value.slice(0, 200) } : {}) });
    const headerOf = (field: string) => headers[index.get(field) ?? -1] ?? field;
    for (const i of sheetRow.formulas)
      if (headers[i] && columns[headers[i]])
        problems.push({
          row: sheetRow.row,
          column: headers[i],
          code: "formula_cell",
          warning: true,
          value: sheetRow.cells[i]?.slice(0, 200),
        });
    const mapped = (field: MappedField, fallback: string | null) => {
      const word = get(field);
      if (!word) return fallback;
      const { mapped: value, known } = mappedValue(field, word);
      if (!known) problem(field, `unknown_${field}`, word);
      return value;
    };
    const when = (field: string) => {
      const text = get(field);
      if (!text) return undefined;
      const d = parseWhen(text, timeZone);
      if (!d) problem(field, "bad_date", text);
      else if (d.getTime() > Date.now() + 86_400_000) problem(field, "future_date", text);
      return d;
    };
    const values: Record<string, unknown> = {};
    const customFields: Record<string, unknown> = {};
    for (const def of defs) {
      const text = get(`custom.${def.key}`);
      if (!text) continue;
      let value: unknown = text;
      if (def.type === "checkbox") value = TRUE_WORDS.has(lower(text)) ? true : FALSE_WORDS.has(lower(text)) ? false : text;
      if (def.type === "date") value = parseWhen(text, "UTC")?.toISOString().slice(0, 10) ?? text;
      const option = (v: string) => def.options.find((o) => o.value === v || o.label === v)?.value ?? v;
      if (def.type === "select") value = option(text);
      if (def.type === "multi_select")
        value = text
          .split(/[,，;；、]/)
          .map((v) => option(v.trim()))
          .filter(Boolean);
      const checked = checkValue(def, value);
      if (checked.issue) problem(`custom.${def.key}`, `custom_${checked.issue}`, text);
      else customFields[def.key] = checked.value;
    }

    if (entity === "organizations") {
      values.name = get("name");
      if (!values.name) problem("name", "required");
      values.domain = get("domain") || null;
      values.customFields = customFields;
    } else {
      const email = get(entity === "tickets" ? "customerEmail" : "email").toLowerCase();
      const phone = get(entity === "tickets" ? "customerPhone" : "phone");
      const name = get(entity === "tickets" ? "customerName" : "name");
      if (email && !EMAIL.test(email)) problem(entity === "tickets" ? "customerEmail" : "email", "bad_email", email);
      if (phone && !PHONE.test(phone)) problem(entity === "tickets" ? "customerPhone" : "phone", "bad_phone", phone);
      if (!email && !phone) problem(entity === "tickets" ? "customerEmail" : "email", "contact_required");
      values.customer = { email: email || undefined, phone: phone || undefined, name: name || undefined };
      values.organization = get("organization") || null;
      if (entity === "customers") {
        const tier = get("tier");
        const tiers: Record<string, string> = { 普通: "normal", 银卡: "silver", 金卡: "gold", vip: "vip", 贵宾: "vip" };
        values.tier = tier
          ? (tiers[lower(tier)] ?? (["normal", "silver", "gold", "vip"].includes(lower(tier)) ? lower(tier) : undefined))
          : "normal";
        if (!values.tier) problem("tier", "unknown_tier", tier);
        values.customFields = customFields;
      }
    }
    if (entity === "tickets") {
      const subject = get("subject");
      if (!subject) problem("subject", "required");
      else if (subject.length > 300) problem("subject", "too_long", subject);
      values.subject = subject.slice(0, 300);
      values.description = get("description").slice(0, 100_000);
      values.reply = get("reply").slice(0, 100_000);
      values.createdAt = when("createdAt");
      values.solvedAt = when("solvedAt");
      values.closedAt = when("closedAt");
      const fallbackStatus = values.closedAt ? "closed" : values.solvedAt ? "solved" : "open";
      values.status = mapped("status", fallbackStatus);
      values.priority = mapped("priority", "normal");
      values.channel = mapped("channel", "api") ?? "api";
      values.categoryId = mapped("category", null);
      values.departmentId = mapped("department", null);
      values.assigneeId = mapped("assignee", null);
      values.tags = [
        ...new Set(
          get("tags")
            .split(/[,，;；、\s]+/)
            .map((t) => t.trim())
            .filter(Boolean)
            .map((t) => t.slice(0, 50)),
        ),
      ];
      values.customFields = customFields;
      const created = values.createdAt as Date | undefined;
      for (const f of ["solvedAt", "closedAt"])
        if (created && values[f] && (values[f] as Date) < created) problem(f, "before_created", get(f));
    }
    const given = get("externalId");
    const externalId = given
      ? `id:${given.slice(0, 200)}`
      : `row:${createHash("sha256").update(sheetRow.cells.join("\u0001")).digest("hex").slice(0, 40)}`;
    return { row: sheetRow.row, externalId, values, problems };
  };
  return { entity, prepare, mappedValue };
}

/** Fields a mapping may name for an entity (custom fields as custom.<key>). */
export async function allowedFields(db: Executor, entity: ImportEntity) {
  const defs = await activeDefinitions(db, entity === "tickets" ? "ticket" : entity === "customers" ? "customer" : "organization");
  return new Set([...IMPORT_FIELDS[entity].map((f) => f.key), ...defs.map((d) => `custom.${d.key}`)]);
}
