import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type RuleFacts, evaluateCondition, evaluateConditions } from "../../src/modules/automations/rule-conditions";

const facts = (over: Partial<RuleFacts["ticket"]> = {}, changes: RuleFacts["changes"] = {}): RuleFacts => ({
  ticket: {
    status: "open",
    priority: "high",
    channel: "email",
    categoryId: 3,
    departmentId: null,
    assigneeId: 7,
    tags: ["VIP", "退款"],
    subject: "订单 DD2026 退款",
    description: "请尽快处理",
    customerTier: "gold",
    urgeCount: 2,
    reopenCount: 0,
    createdAt: new Date("2026-11-20T00:00:00Z"),
    updatedAt: new Date("2026-11-22T00:00:00Z"),
    customFields: { region: "华东", devices: ["A1", "B2"] },
    ...over,
  },
  changes,
  now: new Date("2026-11-22T06:00:00Z"),
});
const passes = (field: string, op: string, value?: unknown, f = facts()) =>
  evaluateCondition({ field, op, value } as Parameters<typeof evaluateCondition>[0], f).passed;

describe("rule conditions", () => {
  it("compare scalars, lists, text and numbers the way the editor describes them", () => {
    expect(passes("status", "is", "open")).toBe(true);
    expect(passes("status", "is_not", "open")).toBe(false);
    expect(passes("priority", "in", ["high", "urgent"])).toBe(true);
    expect(passes("priority", "not_in", ["high"])).toBe(false);
    expect(passes("priority", "gt", "normal")).toBe(true);
    expect(passes("priority", "lt", "high")).toBe(false);
    expect(passes("tags", "is", "vip")).toBe(true); // any item, case-insensitive
    expect(passes("tags", "contains", "退")).toBe(true);
    expect(passes("tags", "not_contains", "投诉")).toBe(true);
    expect(passes("text", "contains", "尽快")).toBe(true);
    expect(passes("subject", "contains", "dd2026")).toBe(true);
    expect(passes("departmentId", "is_empty")).toBe(true);
    expect(passes("departmentId", "is", null)).toBe(true);
    expect(passes("assigneeId", "is", "7")).toBe(true); // ids from the editor may come as text
    expect(passes("urgeCount", "gt", 1)).toBe(true);
    expect(passes("hoursSinceUpdated", "gt", 5)).toBe(true);
    expect(passes("hoursSinceUpdated", "gt", 6)).toBe(false);
    expect(passes("customFields.region", "is", "华东")).toBe(true);
    expect(passes("customFields.devices", "in", ["B2"])).toBe(true);
    expect(passes("customFields.missing", "is_empty")).toBe(true);
    expect(passes("message.authorType", "is", "customer")).toBe(false); // no message in this event
  });

  it("'changed', 'changed to' and 'changed from' look only at what the event changed", () => {
    const f = facts({}, { priority: { before: "normal", after: "high" }, tags: { before: [], after: ["VIP"] } });
    expect(passes("priority", "changed", undefined, f)).toBe(true);
    expect(passes("priority", "changed_to", "high", f)).toBe(true);
    expect(passes("priority", "changed_from", "normal", f)).toBe(true);
    expect(passes("priority", "changed_from", "low", f)).toBe(false);
    expect(passes("tags", "changed_to", "vip", f)).toBe(true);
    expect(passes("status", "changed", undefined, f)).toBe(false);
  });

  it("all of `all`, and one of `any` when it has conditions", () => {
    const yes = { field: "status", op: "is", value: "open" } as const;
    const no = { field: "status", op: "is", value: "solved" } as const;
    expect(evaluateConditions({ all: [], any: [] }, facts()).matched).toBe(true);
    expect(evaluateConditions({ all: [yes], any: [no] }, facts()).matched).toBe(false);
    expect(evaluateConditions({ all: [yes], any: [no, yes] }, facts()).matched).toBe(true);
    expect(evaluateConditions({ all: [yes, no], any: [] }, facts()).matched).toBe(false);
  });

  it("a negated operator is always the opposite of its positive one", () => {
    const pairs = [
      ["is", "is_not"],
      ["in", "not_in"],
      ["contains", "not_contains"],
      ["is_empty", "is_not_empty"],
    ] as const;
    fc.assert(
      fc.property(
        fc.constantFrom("status", "tags", "subject", "customFields.region", "departmentId"),
        fc.constantFrom(...pairs),
        fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom("open", "vip", "华东", "退款")),
        (field, [pos, neg], v) => {
          const value = pos === "in" ? [v] : v;
          expect(passes(field, pos, value)).toBe(!passes(field, neg, value));
        },
      ),
    );
  });
});
