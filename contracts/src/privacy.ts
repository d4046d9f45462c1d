import { z } from "zod";
import { isoDate } from "./common";

/** Personal-information requests (个人信息请求, PIPL/GDPR) and data retention (保留规则). */

export const privacyKinds = ["access", "erasure"] as const;
export const privacyChannels = ["email", "phone", "portal", "letter", "other"] as const;
export const privacyStatuses = ["open", "done", "rejected"] as const;

/** What was found for a person, by kind of record (counts only: the report never repeats personal data). */
export const privacyFound = z.object({
  identities: z.number().int(),
  tickets: z.number().int(),
  messages: z.number().int(),
  attachments: z.number().int(),
  calls: z.number().int(),
  imMessages: z.number().int(),
  emails: z.number().int(),
  ratings: z.number().int(),
  visits: z.number().int(),
  sessions: z.number().int(),
});
export type PrivacyFound = z.infer<typeof privacyFound>;

export const privacyReport = z.object({
  found: privacyFound,
  /** Rows changed or removed per table, files removed from the file store. */
  done: z.record(z.string(), z.number().int()),
  filesRemoved: z.number().int(),
  /** How many distinct values were searched for afterwards, of which kinds, and where any remained. */
  verification: z.object({
    searchedValues: z.number().int(),
    kinds: z.record(z.string(), z.number().int()),
    columnsSearched: z.number().int(),
    filesSearched: z.number().int(),
    remaining: z.array(z.object({ where: z.string(), count: z.number().int() })),
  }),
  /** What erasure keeps: the statistics (tickets counted by day, category, department, times, ratings). */
  keptFacts: z.number().int(),
  durationMs: z.number().int(),
});
export type PrivacyReport = z.infer<typeof privacyReport>;

export const privacyRequest = z.object({
  id: z.number().int(),
  kind: z.enum(privacyKinds),
  customer: z.object({ id: z.number().int(), name: z.string(), erased: z.boolean() }),
  channel: z.enum(privacyChannels),
  note: z.string(),
  receivedAt: isoDate,
  dueAt: isoDate,
  /** Working days left until the deadline (negative: overdue); null once answered. */
  workingDaysLeft: z.number().int().nullable(),
  status: z.enum(privacyStatuses),
  reason: z.string().nullable(),
  archive: z.object({ size: z.number().int() }).nullable(),
  report: privacyReport.nullable(),
  createdBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  completedBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  completedAt: isoDate.nullable(),
});
export type PrivacyRequest = z.infer<typeof privacyRequest>;

export const privacyRequestBody = z.strictObject({
  kind: z.enum(privacyKinds),
  customerId: z.number().int().positive(),
  channel: z.enum(privacyChannels).default("email"),
  note: z.string().max(2000).default(""),
  /** When the request arrived (default now); the deadline counts from that day. */
  receivedAt: isoDate.optional(),
});

export const privacyRequestQuery = z.object({ status: z.enum(privacyStatuses).optional() });

export const privacyEraseBody = z.strictObject({
  /** The customer's id typed again: erasure cannot be undone. */
  confirmCustomerId: z.number().int().positive(),
});

export const privacyRejectBody = z.strictObject({ reason: z.string().trim().min(1).max(2000) });

export const retentionRule = z.object({
  id: z.number().int(),
  category: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  months: z.number().int(),
  active: z.boolean(),
  lastRunAt: isoDate.nullable(),
  purgedTotal: z.number().int(),
  /** Closed tickets the rule would purge at its next run. */
  due: z.number().int(),
});
export type RetentionRule = z.infer<typeof retentionRule>;

export const retentionRuleBody = z.strictObject({
  categoryId: z.number().int().positive().nullable(),
  months: z.number().int().min(1).max(600),
  active: z.boolean().default(true),
});
export const retentionRulePatch = retentionRuleBody.partial();
