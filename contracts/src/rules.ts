import { z } from "zod";
import { patchBody } from "./common";
import { priority, ticketStatus } from "./tickets";

/**
 * The rule language shared by triggers and automations: conditions over a ticket (and the event
 * that woke the rule), and actions on it.
 */
export const conditionFields = [
  "status",
  "priority",
  "channel",
  "categoryId",
  "departmentId",
  "assigneeId",
  "tags",
  "subject",
  "text",
  "customerTier",
  "urgeCount",
  "reopenCount",
  "hoursSinceCreated",
  "hoursSinceUpdated",
  "message.authorType",
  "message.visibility",
  "sla.target",
  "csat.rating",
] as const;
export const conditionOps = [
  "is",
  "is_not",
  "in",
  "not_in",
  "contains",
  "not_contains",
  "is_empty",
  "is_not_empty",
  "gt",
  "lt",
  "changed",
  "changed_to",
  "changed_from",
] as const;
export type ConditionOp = (typeof conditionOps)[number];

const scalar = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);
/** A field is one of `conditionFields` or `customFields.<key>`. */
export const conditionField = z
  .string()
  .refine((f) => (conditionFields as readonly string[]).includes(f) || /^customFields\.[a-z][a-z0-9_]{0,62}$/.test(f), "unknown_field");
export const condition = z.strictObject({
  field: conditionField,
  op: z.enum(conditionOps),
  value: z.union([scalar, z.array(scalar).max(100)]).optional(),
});
export type Condition = z.infer<typeof condition>;
/** Every condition in `all` and, when `any` is not empty, at least one in `any`. */
export const conditions = z.strictObject({
  all: z.array(condition).max(50).default([]),
  any: z.array(condition).max(50).default([]),
});
export type Conditions = z.infer<typeof conditions>;

const template = z.string().trim().min(1).max(10_000);
export const ruleAction = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("set_status"), value: ticketStatus }),
  z.strictObject({ type: z.literal("set_priority"), value: priority }),
  /** "raise": one level up, never past urgent. */
  z.strictObject({ type: z.literal("raise_priority") }),
  z.strictObject({ type: z.literal("set_category"), value: z.number().int().positive().nullable() }),
  /** Route to a department (and clear the assignee unless `keepAssignee`). */
  z.strictObject({
    type: z.literal("set_department"),
    value: z.number().int().positive().nullable(),
    keepAssignee: z.boolean().default(false),
  }),
  z.strictObject({ type: z.literal("set_assignee"), value: z.number().int().positive().nullable() }),
  z.strictObject({ type: z.literal("set_custom_field"), key: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/), value: z.unknown() }),
  z.strictObject({ type: z.literal("add_tags"), tags: z.array(z.string().trim().min(1).max(50)).min(1).max(20) }),
  z.strictObject({ type: z.literal("remove_tags"), tags: z.array(z.string().trim().min(1).max(50)).min(1).max(20) }),
  z.strictObject({ type: z.literal("add_note"), body: template }),
  /** A public reply from the system: shown in the portal and mailed to the customer's address. */
  z.strictObject({ type: z.literal("reply_customer"), body: template }),
  z.strictObject({ type: z.literal("email_customer"), subject: z.string().trim().min(1).max(300), body: template }),
  z.strictObject({
    type: z.literal("notify_staff"),
    to: z
      .array(z.union([z.enum(["assignee", "supervisors"]), z.number().int().positive()]))
      .min(1)
      .max(50),
    message: z.string().trim().min(1).max(1000),
  }),
  z.strictObject({ type: z.literal("call_webhook"), webhookId: z.number().int().positive() }),
  /** Plan a follow-up visit (回访) for a department (default: the ticket's), due in N hours. */
  z.strictObject({
    type: z.literal("create_visit"),
    reason: z.string().trim().min(1).max(500),
    dueHours: z.number().int().min(1).max(8760).default(24),
    departmentId: z.number().int().positive().nullable().default(null),
  }),
]);
export type RuleAction = z.infer<typeof ruleAction>;
const actions = z.array(ruleAction).min(1).max(30);

export const triggerEvents = [
  "created",
  "updated",
  "replied",
  "status_changed",
  "sla_warning",
  "sla_breached",
  "urged",
  "csat_received",
] as const;
export const triggerEvent = z.enum(triggerEvents);
export type TriggerEvent = z.infer<typeof triggerEvent>;

export const trigger = z.object({
  id: z.number(),
  name: z.string(),
  position: z.number(),
  active: z.boolean(),
  events: z.array(triggerEvent),
  conditions,
  actions: z.array(ruleAction),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Trigger = z.infer<typeof trigger>;
export const createTriggerBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  position: z.number().int().min(0).max(100_000).default(0),
  active: z.boolean().default(true),
  events: z.array(triggerEvent).min(1).max(triggerEvents.length),
  conditions: conditions.default({ all: [], any: [] }),
  actions,
});
export const updateTriggerBody = patchBody(createTriggerBody);

export const automation = z.object({
  id: z.number(),
  name: z.string(),
  position: z.number(),
  active: z.boolean(),
  /** Tickets in this status … */
  status: ticketStatus,
  /** … for at least this many hours (since they entered it). */
  hoursInStatus: z.number(),
  conditions,
  actions: z.array(ruleAction),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Automation = z.infer<typeof automation>;
export const createAutomationBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  position: z.number().int().min(0).max(100_000).default(0),
  active: z.boolean().default(true),
  status: ticketStatus.refine((s) => s !== "closed", "closed_is_final"),
  hoursInStatus: z.number().int().min(1).max(8760),
  conditions: conditions.default({ all: [], any: [] }),
  actions,
});
export const updateAutomationBody = patchBody(createAutomationBody);

/** "Test this rule against ticket #N": a rule (saved or being edited) and a ticket number. */
export const previewRuleBody = z.strictObject({
  ticketNumber: z.number().int().positive(),
  event: triggerEvent.optional(),
  rule: z.strictObject({ conditions, actions, status: ticketStatus.optional(), hoursInStatus: z.number().int().min(1).optional() }),
});
export const previewResult = z.object({
  matched: z.boolean(),
  conditions: z.array(
    z.object({
      group: z.enum(["all", "any", "time", "event"]),
      field: z.string(),
      op: z.string(),
      expected: z.unknown(),
      actual: z.unknown(),
      passed: z.boolean(),
    }),
  ),
  /** What the actions would do, in order; `skipped` with a reason when an action would have no effect or fail. */
  effects: z.array(z.object({ action: z.string(), description: z.record(z.string(), z.unknown()), skipped: z.string().nullable() })),
});
export type PreviewResult = z.infer<typeof previewResult>;
