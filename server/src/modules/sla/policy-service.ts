import type { z } from "zod";
import type { createSlaPolicyBody, SlaPolicy, updateSlaPolicyBody } from "@loopdesk/contracts/sla";
import type { Selectable } from "kysely";
import type { SlaConditions, SlaPoliciesTable } from "../../db/schema-sla";
import { NotFoundError, ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { departmentExists } from "../directory/department-service";
import { staffExists } from "../staff/staff-service";
import { calendarExists } from "./calendar-service";

type Row = Selectable<SlaPoliciesTable>;

const present = (r: Row): SlaPolicy => ({
  id: r.id,
  name: r.name,
  position: r.position,
  active: r.active,
  conditions: (r.conditions ?? {}) as SlaPolicy["conditions"],
  firstResponseMinutes: r.first_response_minutes,
  nextResponseMinutes: r.next_response_minutes,
  resolutionMinutes: r.resolution_minutes,
  businessHours: r.business_hours,
  calendarId: r.calendar_id,
  pauseOnPending: r.pause_on_pending,
  pauseOnHold: r.pause_on_hold,
  warnPercent: r.warn_percent,
  warnMinutesBefore: r.warn_minutes_before,
  escalation: r.escalation ?? [],
});

/** Policies in the order they are tried; the first whose conditions all match applies. */
export async function listPolicies(db: Executor, activeOnly = false) {
  let q = db.selectFrom("sla_policies").selectAll().orderBy("position").orderBy("id");
  if (activeOnly) q = q.where("active", "=", true);
  return (await q.execute()).map(present);
}

type Input = Partial<z.output<typeof createSlaPolicyBody>>;
async function check(db: Executor, input: Input, current?: SlaPolicy) {
  const businessHours = input.businessHours ?? current?.businessHours ?? true;
  const calendarId = input.calendarId !== undefined ? input.calendarId : (current?.calendarId ?? null);
  if (businessHours && calendarId === null)
    throw ValidationError([{ path: "calendarId", code: "calendar_required", message: "Working-hours targets need a calendar." }]);
  if (input.calendarId != null && !(await calendarExists(db, input.calendarId)))
    throw ValidationError([{ path: "calendarId", code: "unknown_reference", message: "Unknown calendar." }]);
  for (const [i, step] of (input.escalation ?? []).entries()) {
    if (step.staffId !== null && !(await staffExists(db, step.staffId)))
      throw ValidationError([{ path: `escalation.${i}.staffId`, code: "unknown_reference", message: "Unknown staff member." }]);
    if (step.departmentId !== null && !(await departmentExists(db, step.departmentId)))
      throw ValidationError([{ path: `escalation.${i}.departmentId`, code: "unknown_reference", message: "Unknown department." }]);
  }
}

const columns = (input: Input) => ({
  ...(input.name !== undefined ? { name: input.name } : {}),
  ...(input.position !== undefined ? { position: input.position } : {}),
  ...(input.active !== undefined ? { active: input.active } : {}),
  ...(input.conditions !== undefined ? { conditions: JSON.stringify(input.conditions) } : {}),
  ...(input.firstResponseMinutes !== undefined ? { first_response_minutes: input.firstResponseMinutes } : {}),
  ...(input.nextResponseMinutes !== undefined ? { next_response_minutes: input.nextResponseMinutes } : {}),
  ...(input.resolutionMinutes !== undefined ? { resolution_minutes: input.resolutionMinutes } : {}),
  ...(input.businessHours !== undefined ? { business_hours: input.businessHours } : {}),
  ...(input.calendarId !== undefined ? { calendar_id: input.calendarId } : {}),
  ...(input.pauseOnPending !== undefined ? { pause_on_pending: input.pauseOnPending } : {}),
  ...(input.pauseOnHold !== undefined ? { pause_on_hold: input.pauseOnHold } : {}),
  ...(input.warnPercent !== undefined ? { warn_percent: input.warnPercent } : {}),
  ...(input.warnMinutesBefore !== undefined ? { warn_minutes_before: input.warnMinutesBefore } : {}),
  ...(input.escalation !== undefined ? { escalation: JSON.stringify(input.escalation) } : {}),
});

export async function createPolicy(db: Executor, input: z.output<typeof createSlaPolicyBody>) {
  await check(db, input);
  const row = await db
    .insertInto("sla_policies")
    .values({ name: input.name, ...columns(input), conditions: JSON.stringify(input.conditions) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return present(row);
}

export async function updatePolicy(db: Executor, id: number, input: z.output<typeof updateSlaPolicyBody>) {
  const current = await db.selectFrom("sla_policies").selectAll().where("id", "=", id).executeTakeFirst();
  if (!current) throw NotFoundError("SLA policy");
  await check(db, input, present(current));
  const row = await db
    .updateTable("sla_policies")
    .set({ ...columns(input), updated_at: new Date() })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return present(row);
}

export type PolicyFacts = {
  priority: string;
  tier: string | undefined;
  categoryId: number | null;
  channel: string;
  departmentId: number | null;
  customFields: Record<string, unknown>;
};

const within = <T>(list: T[] | undefined, value: T | null | undefined) => !list?.length || (value != null && list.includes(value));

export function policyMatches(c: SlaConditions, f: PolicyFacts) {
  return (
    within(c.priorities, f.priority) &&
    within(c.tiers, f.tier) &&
    within(c.categoryIds, f.categoryId) &&
    within(c.channels, f.channel) &&
    within(c.departmentIds, f.departmentId) &&
    Object.entries(c.customFields ?? {}).every(([key, values]) => {
      const v = f.customFields[key];
      return !values.length || (Array.isArray(v) ? v.some((x) => values.includes(String(x))) : v != null && values.includes(String(v)));
    })
  );
}
