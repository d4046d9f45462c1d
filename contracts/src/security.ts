import { z } from "zod";
import { isoDate, limitSchema, pageOf } from "./common";

/** Security and compliance: the audit log (审计日志). */

export const auditActorTypes = ["staff", "customer", "token", "system", "anonymous"] as const;

export const auditEntry = z.object({
  id: z.number().int(),
  at: isoDate,
  actor: z.object({ type: z.enum(auditActorTypes), id: z.number().int().nullable(), name: z.string().nullable() }),
  ip: z.string().nullable(),
  action: z.string().describe("what was done, e.g. auth.login, sla-policies.update, tickets.export"),
  outcome: z.enum(["ok", "failed"]),
  target: z.object({ type: z.string().nullable(), id: z.string().nullable(), name: z.string().nullable() }),
  before: z.unknown().describe("the object before the change (secrets redacted)"),
  after: z.unknown().describe("the object after the change, or what was sent (secrets redacted)"),
  detail: z.unknown(),
});
export type AuditEntry = z.infer<typeof auditEntry>;
export const auditPage = pageOf(auditEntry);

const optionalInt = z.coerce.number().int().positive().optional();
export const auditFilters = z.object({
  q: z.string().trim().max(200).optional().describe("words in the action, the actor's or the target's name, or the address"),
  action: z.string().trim().max(100).optional().describe("an action or its prefix (sla-policies, auth.login)"),
  actorType: z.enum(auditActorTypes).optional(),
  actorId: optionalInt,
  targetType: z.string().trim().max(100).optional(),
  targetId: z.string().trim().max(100).optional(),
  outcome: z.enum(["ok", "failed"]).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type AuditFilters = z.infer<typeof auditFilters>;
export const auditQuery = auditFilters.extend({ cursor: z.string().optional(), limit: limitSchema });
export const auditExportQuery = auditFilters.extend({ format: z.enum(["csv", "xlsx"]).default("csv") });

export const auditSettings = z.object({
  retentionDays: z.number().int(),
  streamUrl: z.string().nullable().describe("entries are POSTed here as JSON, signed like webhooks"),
  hasStreamSecret: z.boolean(),
  syslogTarget: z.string().nullable().describe("udp://host:port or tcp://host:port, RFC 5424"),
  streamedUntil: z.number().int().describe("the last entry id delivered to the stream"),
});
export type AuditSettings = z.infer<typeof auditSettings>;
export const auditSettingsBody = z.strictObject({
  retentionDays: z.number().int().min(30).max(3650).optional(),
  streamUrl: z
    .string()
    .trim()
    .max(500)
    .regex(/^https?:\/\/\S+$/, "an http(s) address")
    .nullable()
    .optional(),
  streamSecret: z.string().trim().min(8).max(200).nullable().optional(),
  syslogTarget: z
    .string()
    .trim()
    .max(300)
    .regex(/^(udp|tcp):\/\/[^\s:/]+:\d{1,5}$/, "udp://host:port or tcp://host:port")
    .nullable()
    .optional(),
});
