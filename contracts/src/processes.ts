import { z } from "zod";
import { fieldOption, fieldType } from "./custom-fields";
import { isoDate } from "./common";
import { conditionOps } from "./rules";

/**
 * 跨部门流程: a process definition is a versioned graph of nodes run inside a ticket. Active steps
 * are tasks (待办) in their owners' queues.
 */
export const nodeTypes = ["start", "task", "approval", "exclusive", "parallel_split", "parallel_join", "subprocess", "end"] as const;
export type NodeType = (typeof nodeTypes)[number];

const nodeId = z.string().regex(/^[a-z0-9_-]{1,40}$/i, "invalid_node_id");
const fieldKey = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, "invalid_key");
const label = z.string().trim().min(1).max(200);

/** Who holds a step. `assignee` is the ticket's assignee; `customer` asks the customer for the form. */
export const stepOwner = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("department"), departmentId: z.number().int().positive() }),
  z.strictObject({ type: z.literal("team"), teamId: z.number().int().positive() }),
  /** Supervisors (or admins) of a department; the ticket's department when none is named. */
  z.strictObject({
    type: z.literal("role"),
    role: z.enum(["supervisor", "admin"]),
    departmentId: z.number().int().positive().nullable().default(null),
  }),
  z.strictObject({ type: z.literal("staff"), staffId: z.number().int().positive() }),
  z.strictObject({ type: z.literal("assignee") }),
  z.strictObject({ type: z.literal("customer") }),
]);
export type StepOwner = z.infer<typeof stepOwner>;

/** A field of a step's form: the custom-field types, with required and conditional (requiredWhen / showWhen). */
export const stepField = z.strictObject({
  key: fieldKey,
  label,
  type: fieldType,
  required: z.boolean().default(false),
  options: z.array(fieldOption).max(100).default([]),
  pattern: z.string().max(500).nullable().default(null),
  helpText: z.string().max(500).nullable().default(null),
  /** Shown (and required, when required) only when another field of the form has one of these values (any value if empty). */
  showWhen: z
    .strictObject({ field: fieldKey, values: z.array(z.string().max(200)).max(50).default([]) })
    .nullable()
    .default(null),
});
export type StepField = z.infer<typeof stepField>;

const isEmpty = (v: unknown) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

/** Whether a field of a step's form applies with these answers (its showWhen holds); shared by forms and server. */
export function fieldShown(f: Pick<StepField, "showWhen">, values: Record<string, unknown>) {
  if (!f.showWhen) return true;
  const other = values[f.showWhen.field];
  if (isEmpty(other)) return false;
  if (f.showWhen.values.length === 0) return true;
  const given = Array.isArray(other) ? other.map(String) : [String(other)];
  return given.some((v) => f.showWhen?.values.includes(v));
}

/**
 * A condition of a gateway branch or an approval level: a rule field (`priority`, `categoryId`,
 * `customFields.<key>` …), a customer field (`customerTier`) or an earlier step's form field
 * (`step.<nodeId>.<key>`), and an operator of the rule language.
 */
export const processConditionField = z
  .string()
  .max(120)
  .refine(
    (f) => /^(step\.[a-z0-9_-]{1,40}\.[a-z][a-z0-9_]{0,62}|customFields\.[a-z][a-z0-9_]{0,62}|[a-zA-Z.]{1,40})$/i.test(f),
    "unknown_field",
  );
const scalar = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);
export const processCondition = z.strictObject({
  field: processConditionField,
  op: z.enum(conditionOps),
  value: z.union([scalar, z.array(scalar).max(100)]).optional(),
});
export type ProcessCondition = z.infer<typeof processCondition>;

/** One level of an approval: its approvers decide one (any-of, 或签) or all (all-of, 会签); a level with conditions applies only when they hold. */
export const approvalLevel = z.strictObject({
  name: z.string().trim().max(200).default(""),
  approvers: z.array(stepOwner).min(1).max(20),
  mode: z.enum(["any", "all"]).default("any"),
  when: z.array(processCondition).max(20).default([]),
});
export type ApprovalLevel = z.infer<typeof approvalLevel>;

/** Target time in working hours of a calendar (the SLA calendars), with a warning before it and an escalation at it. */
export const stepTarget = z.strictObject({
  hours: z.number().positive().max(10_000),
  calendarId: z.number().int().positive().nullable().default(null),
  warnBeforeMinutes: z.number().int().min(0).max(100_000).default(60),
  /** Who is told (and may take the task) when the target passes: the owner department's supervisors unless named. */
  escalateTo: stepOwner.nullable().default(null),
});

const position = z.strictObject({ x: z.number().finite(), y: z.number().finite() });
const baseNode = { id: nodeId, name: z.string().trim().max(200).default(""), position: position.default({ x: 0, y: 0 }) };
/** The customer-facing name of the stage a step belongs to (售后审核); empty = not shown to the customer. */
const stage = z.string().trim().max(100).default("");

export const processNode = z.discriminatedUnion("type", [
  z.strictObject({ ...baseNode, type: z.literal("start") }),
  z.strictObject({ ...baseNode, type: z.literal("end") }),
  z.strictObject({ ...baseNode, type: z.literal("exclusive") }),
  z.strictObject({ ...baseNode, type: z.literal("parallel_split") }),
  z.strictObject({ ...baseNode, type: z.literal("parallel_join") }),
  z.strictObject({
    ...baseNode,
    type: z.literal("task"),
    stage,
    owner: stepOwner,
    instructions: z.string().max(5000).default(""),
    form: z.array(stepField).max(50).default([]),
    target: stepTarget.nullable().default(null),
  }),
  z.strictObject({
    ...baseNode,
    type: z.literal("approval"),
    stage,
    levels: z.array(approvalLevel).min(1).max(10),
    instructions: z.string().max(5000).default(""),
    form: z.array(stepField).max(50).default([]),
    target: stepTarget.nullable().default(null),
    /** Where a rejection sends the process back (with the reason); null ends the process as rejected. */
    rejectTo: nodeId.nullable().default(null),
  }),
  z.strictObject({
    ...baseNode,
    type: z.literal("subprocess"),
    stage,
    /** The key of the definition to run; its current version at the moment it starts. */
    processKey: z.string().min(1).max(60),
  }),
]);
export type ProcessNode = z.infer<typeof processNode>;
export type StepNode = Extract<ProcessNode, { type: "task" | "approval" }>;

export const processEdge = z.strictObject({
  id: z.string().min(1).max(80),
  source: nodeId,
  target: nodeId,
  label: z.string().max(200).default(""),
  /** Branches out of an exclusive gateway: the first whose conditions all hold is taken; else the default. */
  when: z.array(processCondition).max(20).default([]),
  isDefault: z.boolean().default(false),
});
export type ProcessEdge = z.infer<typeof processEdge>;

export const processGraph = z.strictObject({
  nodes: z.array(processNode).max(200),
  edges: z.array(processEdge).max(400),
});
export type ProcessGraph = z.infer<typeof processGraph>;

/** When a process starts by itself on a new ticket: every condition holds (category, channel, field values…). */
export const processStartRule = z.strictObject({
  enabled: z.boolean().default(false),
  when: z.array(processCondition).max(20).default([]),
});

/** Messages to the customer while the process runs (so nobody is left hanging). */
export const processProgress = z.strictObject({
  onStageComplete: z.boolean().default(true),
  /** Every this many hours a step has waited, tell the customer it is still in hand; null = never. */
  waitingEveryHours: z.number().int().min(1).max(720).nullable().default(24),
});

const key = z.string().regex(/^[a-z][a-z0-9_-]{0,59}$/, "invalid_key");
export const createProcessBody = z.strictObject({
  key,
  name: label,
  description: z.string().max(2000).default(""),
  graph: processGraph,
  startRule: processStartRule.default({ enabled: false, when: [] }),
  progress: processProgress.default({ onStageComplete: true, waitingEveryHours: 24 }),
});
export const updateProcessBody = z.strictObject({
  name: label.optional(),
  description: z.string().max(2000).optional(),
  graph: processGraph.optional(),
  startRule: processStartRule.optional(),
  progress: processProgress.optional(),
  active: z.boolean().optional(),
});

export const validationProblem = z.object({
  nodeId: z.string().nullable(),
  edgeId: z.string().nullable(),
  code: z.string(),
  message: z.string(),
});
export type ValidationProblem = z.infer<typeof validationProblem>;

export const processVersion = z.object({ version: z.number(), publishedAt: isoDate, publishedBy: z.number().nullable() });

export const processDefinition = z.object({
  id: z.number(),
  key: z.string(),
  name: z.string(),
  description: z.string(),
  active: z.boolean(),
  /** The draft being edited in the designer. */
  graph: processGraph,
  startRule: processStartRule,
  progress: processProgress,
  currentVersion: z.number().nullable(),
  versions: z.array(processVersion),
  runningInstances: z.number(),
  /** Whether the draft differs from the current version. */
  changed: z.boolean(),
  updatedAt: isoDate,
});
export type ProcessDefinition = z.infer<typeof processDefinition>;

export const dryRunBody = z.strictObject({
  /** Sample facts: ticket fields (`priority`, `categoryId`, `customFields.x`…) and step fields (`step.<node>.<key>`). */
  facts: z.record(z.string(), z.unknown()).default({}),
  /** Decisions to take at approvals, by node id (default approve). */
  decisions: z.record(z.string(), z.enum(["approve", "reject"])).default({}),
});
export const dryRunResult = z.object({
  steps: z.array(z.object({ nodeId: z.string(), name: z.string(), type: z.string(), note: z.string().nullable() })),
  outcome: z.enum(["completed", "rejected", "stuck"]),
  problems: z.array(validationProblem),
});

export const instanceStatuses = ["running", "completed", "rejected", "cancelled"] as const;
export const taskStatuses = ["active", "done", "approved", "rejected", "cancelled"] as const;
export type TaskStatus = (typeof taskStatuses)[number];

export const processTask = z.object({
  id: z.number(),
  instanceId: z.number(),
  ticketId: z.number(),
  ticketNumber: z.number(),
  ticketSubject: z.string(),
  processName: z.string(),
  nodeId: z.string(),
  name: z.string(),
  kind: z.enum(["task", "approval", "customer"]),
  status: z.enum(taskStatuses),
  /** Approval level (1-based) for approval tasks. */
  level: z.number().nullable(),
  departmentId: z.number().nullable(),
  teamId: z.number().nullable(),
  role: z.string().nullable(),
  assigneeId: z.number().nullable(),
  instructions: z.string(),
  form: z.array(stepField),
  values: z.record(z.string(), z.unknown()),
  comment: z.string().nullable(),
  dueAt: isoDate.nullable(),
  overdue: z.boolean(),
  startedAt: isoDate,
  completedAt: isoDate.nullable(),
  completedBy: z.number().nullable(),
  /** Why the task sits with its owner when not the designed one (owner_missing …). */
  note: z.string().nullable(),
  version: z.number(),
});
export type ProcessTask = z.infer<typeof processTask>;

export const listTasksQuery = z.strictObject({
  scope: z.enum(["mine", "team", "all"]).default("mine"),
  status: z.enum(["active", "finished"]).default("active"),
  ticketId: z.coerce.number().int().positive().optional(),
  overdue: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
});

export const completeTaskBody = z.strictObject({
  values: z.record(z.string(), z.unknown()).default({}),
  comment: z.string().trim().max(5000).optional(),
  /** Approvals: approve or reject (a rejection needs `comment`, the reason). Tasks: omit. */
  decision: z.enum(["approve", "reject"]).optional(),
});
export const reassignTaskBody = z.strictObject({
  assigneeId: z.number().int().positive().nullable(),
  reason: z.string().trim().max(500).optional(),
});

export const instanceStep = z.object({
  nodeId: z.string(),
  name: z.string(),
  type: z.enum(nodeTypes),
  stage: z.string(),
  state: z.enum(["waiting", "active", "done", "rejected", "skipped", "cancelled"]),
  holders: z.array(z.object({ taskId: z.number(), assigneeId: z.number().nullable(), departmentId: z.number().nullable() })),
  since: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
});

export const processInstance = z.object({
  id: z.number(),
  ticketId: z.number(),
  definitionId: z.number(),
  processKey: z.string(),
  processName: z.string(),
  version: z.number(),
  status: z.enum(instanceStatuses),
  startedAt: isoDate,
  finishedAt: isoDate.nullable(),
  graph: processGraph,
  steps: z.array(instanceStep),
  tasks: z.array(processTask),
  values: z.record(z.string(), z.record(z.string(), z.unknown())),
  parentInstanceId: z.number().nullable(),
});
export type ProcessInstance = z.infer<typeof processInstance>;

export const startProcessBody = z.strictObject({
  processKey: z.string().min(1).max(60),
});
export const migrateInstancesBody = z.strictObject({
  fromVersion: z.number().int().positive(),
  /** Node ids that do not exist in the new version move to these (old id → new id). */
  nodeMap: z.record(z.string(), z.string()).default({}),
});

/** What the customer sees of a process on their ticket: stages in order and where it stands. */
export const customerProgress = z.object({
  processName: z.string(),
  status: z.enum(instanceStatuses),
  stages: z.array(z.object({ name: z.string(), state: z.enum(["done", "current", "upcoming"]) })),
  /** A step waiting on the customer: what to fill in. */
  request: z.object({ taskId: z.number(), name: z.string(), form: z.array(stepField) }).nullable(),
});
export type CustomerProgress = z.infer<typeof customerProgress>;

const reportDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD");
export const processReportQuery = z
  .strictObject({ from: reportDay, to: reportDay })
  .refine((f) => f.from <= f.to, { path: ["to"], message: "to must not be before from" });

/** Hours, as medians and 90th percentiles (null when nothing was measured). */
const hours = z.number().nullable();
export const processStepStats = z.object({
  nodeId: z.string(),
  name: z.string(),
  type: z.enum(nodeTypes),
  /** Times the step was finished in the range. */
  finished: z.number(),
  /** From becoming active to someone taking it (a pool's wait). */
  waitingMedianHours: hours,
  /** From being taken to being finished. */
  workingMedianHours: hours,
  totalMedianHours: hours,
  totalP90Hours: hours,
  /** Active now, and how long the oldest of them has waited. */
  activeNow: z.number(),
  oldestActiveHours: hours,
  overdueNow: z.number(),
  /** Approvals: the share of decisions that rejected. */
  rejectionRate: z.number().nullable(),
});
export const processStats = z.object({
  definitionId: z.number(),
  key: z.string(),
  name: z.string(),
  started: z.number(),
  completed: z.number(),
  rejected: z.number(),
  cancelled: z.number(),
  running: z.number(),
  cycleMedianHours: hours,
  cycleP90Hours: hours,
  steps: z.array(processStepStats),
});
export type ProcessStats = z.infer<typeof processStats>;
export const processReport = z.object({ from: reportDay, to: reportDay, items: z.array(processStats) });
export type ProcessReport = z.infer<typeof processReport>;
export const processDrillQuery = z.strictObject({
  from: reportDay,
  to: reportDay,
  definitionId: z.coerce.number().int().positive(),
  nodeId: z.string().max(40).optional(),
  /** Which instances: all started in the range, or those still waiting at the step. */
  which: z.enum(["started", "running", "completed", "rejected", "active"]).default("started"),
});
