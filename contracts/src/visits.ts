import { z } from "zod";
import { isoDate } from "./common";

/** 回访: a planned check with the customer after solving; the visitor records the outcome. */
export const visitResults = ["satisfied", "resolved_now", "unresolved", "unreachable"] as const;
export const visit = z.object({
  id: z.number(),
  ticketId: z.number(),
  ticketNumber: z.number(),
  ticketSubject: z.string(),
  departmentId: z.number().nullable(),
  assigneeId: z.number().nullable(),
  reason: z.string(),
  dueAt: isoDate,
  overdue: z.boolean(),
  status: z.enum(["open", "done", "cancelled"]),
  result: z.enum(visitResults).nullable(),
  outcome: z.string().nullable(),
  /** What created it: a rule ({ kind: "trigger" | "automation", id, name }) or a person ({ kind: "staff", id }). */
  source: z.object({ kind: z.string(), id: z.number().nullable(), name: z.string().optional() }).nullable(),
  createdAt: isoDate,
  completedAt: isoDate.nullable(),
});
export type Visit = z.infer<typeof visit>;

export const createVisitBody = z.strictObject({
  reason: z.string().trim().min(1).max(500),
  dueHours: z.number().int().min(1).max(8760).default(24),
  departmentId: z.number().int().positive().nullable().optional(),
  assigneeId: z.number().int().positive().nullable().optional(),
});
export const updateVisitBody = z
  .strictObject({
    assigneeId: z.number().int().positive().nullable().optional(),
    dueAt: z.iso.datetime({ offset: true }).optional(),
    status: z.enum(["done", "cancelled"]).optional(),
    result: z.enum(visitResults).optional(),
    outcome: z.string().trim().max(5000).optional(),
  })
  .refine((v) => v.status !== "done" || v.result !== undefined, { message: "result_required", path: ["result"] });
export const listVisitsQuery = z.strictObject({
  status: z.enum(["open", "done", "cancelled"]).optional(),
  overdue: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  mine: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  ticketId: z.coerce.number().int().positive().optional(),
});
