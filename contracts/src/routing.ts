import { z } from "zod";
import { patchBody } from "./common";

/** Routing (分配): agent state, team strategies, routing rules, the priority score and the assignment log. */
export const presence = z.enum(["online", "away", "offline"]);
export type Presence = z.infer<typeof presence>;

export const routingStrategies = ["skill", "load_aware", "round_robin", "least_loaded", "claim", "manual"] as const;
export const routingStrategy = z.enum(routingStrategies);
export type RoutingStrategy = z.infer<typeof routingStrategy>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "Use HH:MM.");
/** A weekly working window; weekday 1 = Monday … 7 = Sunday, times in the workspace time zone. */
export const shift = z.strictObject({ weekday: z.number().int().min(1).max(7), start: hhmm, end: hhmm });
/** A dated exception: a day off, or other hours on that day. */
export const shiftException = z.strictObject({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD."),
  off: z.boolean().default(false),
  start: hhmm.optional(),
  end: hhmm.optional(),
});
export type Shift = z.infer<typeof shift>;
export type ShiftException = z.infer<typeof shiftException>;

export const agentState = z.object({
  staffId: z.number(),
  name: z.string(),
  role: z.string(),
  presence,
  presenceSource: z.string(),
  presenceChangedAt: z.string(),
  lastSeenAt: z.string().nullable(),
  capacity: z.number(),
  channelCapacity: z.record(z.string(), z.number()),
  shifts: z.array(shift),
  shiftExceptions: z.array(shiftException),
  onShift: z.boolean(),
  /** How they come online: by hand, at sign-in during their shift, or by the roster (the most automatic of their teams'). */
  presenceMode: z.enum(["manual", "sign_in", "shift"]),
  load: z.number(),
  loadByChannel: z.record(z.string(), z.number()),
  teamIds: z.array(z.number()),
});
export type AgentState = z.infer<typeof agentState>;

export const setPresenceBody = z.strictObject({ presence });
export const updateAgentStateBody = z.strictObject({
  capacity: z.number().int().min(0).max(1000).optional(),
  channelCapacity: z.record(z.string().min(1).max(20), z.number().int().min(0).max(1000)).optional(),
  shifts: z.array(shift).max(50).optional(),
  shiftExceptions: z.array(shiftException).max(200).optional(),
});

export const teamRouting = z.object({
  teamId: z.number(),
  name: z.string(),
  departmentId: z.number(),
  strategy: routingStrategy,
  claimTimeoutMinutes: z.number(),
  fallbackTeamId: z.number().nullable(),
  presenceMode: z.enum(["manual", "sign_in", "shift"]),
  memberIds: z.array(z.number()),
});
export const updateTeamRoutingBody = z.strictObject({
  /** manual: members go online themselves (offered when on shift); sign_in: when they open the app on shift; shift: for their whole shift. */
  presenceMode: z.enum(["manual", "sign_in", "shift"]).optional(),
  strategy: routingStrategy.optional(),
  claimTimeoutMinutes: z.number().int().min(1).max(1440).optional(),
  fallbackTeamId: z.number().int().positive().nullable().optional(),
});

export const categorySkill = z.object({ skillId: z.number(), minLevel: z.number() });
export const setCategorySkillsBody = z.strictObject({
  skills: z.array(z.strictObject({ skillId: z.number().int().positive(), minLevel: z.number().int().min(1).max(5).default(1) })).max(20),
});

const ids = z.array(z.number().int().positive()).max(200);
export const ruleConditions = z.strictObject({
  categoryIds: ids.optional(),
  channels: z.array(z.string().min(1).max(20)).max(20).optional(),
  tiers: z
    .array(z.enum(["normal", "silver", "gold", "vip"]))
    .max(4)
    .optional(),
  priorities: z
    .array(z.enum(["low", "normal", "high", "urgent"]))
    .max(4)
    .optional(),
  /** The customer's language (zh-CN, en). */
  languages: z.array(z.string().min(2).max(10)).max(10).optional(),
  /** Custom field values on the ticket or the customer (e.g. the customer's region). */
  ticketFields: z
    .array(z.strictObject({ key: z.string().min(1).max(60), values: z.array(z.string().max(200)).min(1).max(50) }))
    .max(10)
    .optional(),
  customerFields: z
    .array(z.strictObject({ key: z.string().min(1).max(60), values: z.array(z.string().max(200)).min(1).max(50) }))
    .max(10)
    .optional(),
});
export type RuleConditions = z.infer<typeof ruleConditions>;

export const routingRule = z.object({
  id: z.number(),
  name: z.string(),
  position: z.number(),
  active: z.boolean(),
  conditions: ruleConditions,
  teamId: z.number().nullable(),
  /** Green channel (绿色通道): straight to these named agents. */
  agentIds: z.array(z.number()),
  /** Why the rule cannot route right now (a referenced team or agent no longer exists), else null. */
  problem: z.string().nullable(),
});
export const createRoutingRuleBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    position: z.number().int().min(0).max(100000).default(0),
    active: z.boolean().default(true),
    conditions: ruleConditions.default({}),
    teamId: z.number().int().positive().nullable().default(null),
    agentIds: ids.default([]),
  })
  .refine((r) => r.teamId !== null || r.agentIds.length > 0, { message: "A rule routes to a team or to named agents.", path: ["teamId"] });
export const updateRoutingRuleBody = patchBody(
  z.strictObject({
    name: z.string().trim().min(1).max(100),
    position: z.number().int().min(0).max(100000),
    active: z.boolean(),
    conditions: ruleConditions,
    teamId: z.number().int().positive().nullable(),
    agentIds: ids,
  }),
);

/** Points that make up the priority score (动态优先级分). */
export const priorityConfig = z.strictObject({
  tiers: z.strictObject({ normal: z.number().int(), silver: z.number().int(), gold: z.number().int(), vip: z.number().int() }),
  priorities: z.strictObject({ low: z.number().int(), normal: z.number().int(), high: z.number().int(), urgent: z.number().int() }),
  categories: z.record(z.string().regex(/^\d+$/), z.number().int().min(-1000).max(1000)),
  urgencyWords: z.array(z.strictObject({ word: z.string().trim().min(1).max(30), points: z.number().int().min(-1000).max(1000) })).max(100),
  /** Points once the next SLA deadline is at most `minutesLeft` away (0: already overdue); the highest band that applies counts. */
  slaBands: z
    .array(
      z.strictObject({
        minutesLeft: z
          .number()
          .int()
          .min(0)
          .max(60 * 24 * 30),
        points: z.number().int().min(0).max(1000),
      }),
    )
    .max(10),
});
export type PriorityConfig = z.infer<typeof priorityConfig>;

export const scoreParts = z.object({ tier: z.number(), priority: z.number(), category: z.number(), urgency: z.number(), sla: z.number() });
export type ScoreParts = z.infer<typeof scoreParts>;

export const assignmentCandidate = z.object({
  staffId: z.number(),
  load: z.number(),
  capacity: z.number(),
  /** Predicted work in minutes (load-aware), skill level sum (skill-based). */
  workload: z.number().optional(),
  skill: z.number().optional(),
  lastAssignedAt: z.string().nullable().optional(),
  /** Why this person was not eligible (offline, off_shift, at_capacity, excluded, missing_skill). */
  excluded: z.string().optional(),
});
export type AssignmentCandidate = z.infer<typeof assignmentCandidate>;

export const assignmentOutcomes = ["assigned", "claimed", "offered", "queued", "manual", "rejected", "transferred", "returned"] as const;
export const assignmentDecision = z.object({
  id: z.number(),
  ticketId: z.number(),
  round: z.number(),
  outcome: z.enum(assignmentOutcomes),
  teamId: z.number().nullable(),
  staffId: z.number().nullable(),
  strategy: z.string().nullable(),
  /** A stable code (rule_matched, default_team, fallback_team, nobody_available, …) with details. */
  reason: z.string(),
  details: z.record(z.string(), z.unknown()),
  candidates: z.array(assignmentCandidate),
  actorType: z.string(),
  actorId: z.number().nullable(),
  createdAt: z.string(),
});
export type AssignmentDecision = z.infer<typeof assignmentDecision>;

export const ticketRouting = z.object({
  teamId: z.number().nullable(),
  routingStatus: z.enum(["queued", "offered", "assigned", "manual"]).nullable(),
  offeredUntil: z.string().nullable(),
  transferCount: z.number(),
  priorityScore: z.number(),
  scoreParts: scoreParts.partial(),
  decisions: z.array(assignmentDecision),
});

export const rejectTicketBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });
/**
 * 转派: to a department, a team or a person (at least one), with a reason (required unless the
 * workspace allows none). The assignee is kept only when the transfer names them: a move to another
 * team or department clears it and that team's strategy picks the next owner.
 */
export const transferTicketBody = z
  .strictObject({
    departmentId: z.number().int().positive().optional(),
    teamId: z.number().int().positive().nullable().optional(),
    assigneeId: z.number().int().positive().nullable().optional(),
    reason: z.string().trim().max(500).default(""),
  })
  .refine((b) => b.assigneeId != null || b.teamId != null || b.departmentId != null, {
    message: "Transfer to a department, a team or a person.",
    path: ["departmentId"],
  });
export type TransferTicketBody = z.input<typeof transferTicketBody>;

/** Who would own the ticket after a transfer: shown before the agent confirms, and answered after. */
export const transferOutcome = z.object({
  departmentId: z.number().nullable(),
  teamId: z.number().nullable(),
  /** The named person, or after the transfer whoever the team's strategy picked (null: waits in the queue). */
  assigneeId: z.number().nullable(),
  /** person: a named person; team: the team's strategy picks among its members; queue: waits for a supervisor (no team, or manual). */
  owner: z.enum(["person", "team", "queue"]),
  strategy: z.string().nullable(),
  /** Members of the team who could take it now (online, on shift, under capacity). */
  availableAgents: z.number(),
  reasonRequired: z.boolean(),
});
export type TransferOutcome = z.infer<typeof transferOutcome>;

export const routingBoard = z.object({
  agents: z.array(agentState),
  waiting: z.array(
    z.object({
      ticketId: z.number(),
      number: z.number(),
      subject: z.string(),
      teamId: z.number().nullable(),
      routingStatus: z.string().nullable(),
      priorityScore: z.number(),
      createdAt: z.string(),
    }),
  ),
  decisions: z.array(assignmentDecision.extend({ ticketNumber: z.number() })),
});

export const routingSettings = z.object({
  defaultTeamId: z.number().nullable(),
  priority: priorityConfig,
  /** 转派 must say why (default on). */
  transferReasonRequired: z.boolean(),
});
export const updateRoutingSettingsBody = z.strictObject({
  defaultTeamId: z.number().int().positive().nullable().optional(),
  priority: priorityConfig.optional(),
  transferReasonRequired: z.boolean().optional(),
});
