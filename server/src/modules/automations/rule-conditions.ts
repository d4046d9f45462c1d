import type { Condition, Conditions } from "@loopdesk/contracts/rules";

/** What a rule sees: the ticket, what the waking event changed, and the event's message or SLA target. */
export type RuleFacts = {
  ticket: {
    status: string;
    priority: string;
    channel: string;
    categoryId: number | null;
    departmentId: number | null;
    assigneeId: number | null;
    tags: string[];
    subject: string;
    description: string;
    customerTier: string | null;
    urgeCount: number;
    reopenCount: number;
    createdAt: Date;
    updatedAt: Date;
    customFields: Record<string, unknown>;
  };
  /** Field → before/after, for "changed", "changed to", "changed from". */
  changes: Record<string, { before: unknown; after: unknown }>;
  message?: { authorType: string; visibility: string };
  sla?: { target: string };
  csat?: { rating: number };
  /** A process's earlier steps: node id → the values its form collected (`step.<node>.<key>`). */
  steps?: Record<string, Record<string, unknown>>;
  now: Date;
};

export type ConditionResult = { field: string; op: string; expected: unknown; actual: unknown; passed: boolean };

const PRIORITY_RANK: Record<string, number> = { low: 1, normal: 2, high: 3, urgent: 4 };
const HOUR = 3_600_000;

export function factValue(facts: RuleFacts, field: string): unknown {
  const t = facts.ticket;
  if (field.startsWith("customFields.")) return t.customFields[field.slice("customFields.".length)] ?? null;
  if (field.startsWith("step.")) {
    const [, node = "", key = ""] = field.split(".");
    return facts.steps?.[node]?.[key] ?? null;
  }
  switch (field) {
    case "text":
      return `${t.subject}\n${t.description}`;
    case "hoursSinceCreated":
      return Math.floor((facts.now.getTime() - t.createdAt.getTime()) / HOUR);
    case "hoursSinceUpdated":
      return Math.floor((facts.now.getTime() - t.updatedAt.getTime()) / HOUR);
    case "message.authorType":
      return facts.message?.authorType ?? null;
    case "message.visibility":
      return facts.message?.visibility ?? null;
    case "sla.target":
      return facts.sla?.target ?? null;
    case "csat.rating":
      return facts.csat?.rating ?? null;
    default:
      return (t as Record<string, unknown>)[field] ?? null;
  }
}

const norm = (v: unknown) => (v === null || v === undefined ? null : String(v).toLowerCase());
const equals = (a: unknown, b: unknown) => norm(a) === norm(b);
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
/** A list-valued fact (tags, multi-select fields) matches when any of its items does. */
const anyItem = (actual: unknown, test: (x: unknown) => boolean) => (Array.isArray(actual) ? actual.some(test) : test(actual));
const isEmpty = (v: unknown) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);
const numeric = (field: string, v: unknown) => (field === "priority" ? (PRIORITY_RANK[String(v)] ?? Number.NaN) : Number(v));

export function evaluateCondition(c: Condition, facts: RuleFacts): ConditionResult {
  const actual = factValue(facts, c.field);
  const change = facts.changes[c.field];
  const passed = (() => {
    switch (c.op) {
      case "is":
        return c.value === null ? isEmpty(actual) : anyItem(actual, (x) => equals(x, c.value));
      case "is_not":
        return c.value === null ? !isEmpty(actual) : !anyItem(actual, (x) => equals(x, c.value));
      case "in":
        return anyItem(actual, (x) => listOf(c.value).some((v) => equals(x, v)));
      case "not_in":
        return !anyItem(actual, (x) => listOf(c.value).some((v) => equals(x, v)));
      case "contains":
        return anyItem(
          actual,
          (x) =>
            x !== null &&
            String(x)
              .toLowerCase()
              .includes(String(c.value ?? "").toLowerCase()),
        );
      case "not_contains":
        return !anyItem(
          actual,
          (x) =>
            x !== null &&
            String(x)
              .toLowerCase()
              .includes(String(c.value ?? "").toLowerCase()),
        );
      case "is_empty":
        return isEmpty(actual);
      case "is_not_empty":
        return !isEmpty(actual);
      case "gt":
        return numeric(c.field, actual) > numeric(c.field, c.value);
      case "lt":
        return numeric(c.field, actual) < numeric(c.field, c.value);
      case "changed":
        return change !== undefined;
      case "changed_to":
        return change !== undefined && anyItem(change.after, (x) => equals(x, c.value));
      case "changed_from":
        return change !== undefined && anyItem(change.before, (x) => equals(x, c.value));
    }
  })();
  return { field: c.field, op: c.op, expected: c.value ?? null, actual: c.op.startsWith("changed") ? (change ?? null) : actual, passed };
}

/** All of `all`, and at least one of `any` when it has any; every condition's result for the preview. */
export function evaluateConditions(conds: Conditions, facts: RuleFacts) {
  const all = conds.all.map((c) => ({ group: "all" as const, ...evaluateCondition(c, facts) }));
  const any = conds.any.map((c) => ({ group: "any" as const, ...evaluateCondition(c, facts) }));
  const matched = all.every((r) => r.passed) && (any.length === 0 || any.some((r) => r.passed));
  return { matched, results: [...all, ...any] };
}
