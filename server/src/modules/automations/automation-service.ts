import type { createAutomationBody, Automation, updateAutomationBody } from "@loopdesk/contracts/rules";
import type { Selectable } from "kysely";
import type { z } from "zod";
import type { AutomationsTable } from "../../db/schema-automations";
import { NotFoundError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { ruleColumns } from "./rule-columns";
import { checkRuleReferences } from "./rule-references";

type Row = Selectable<AutomationsTable>;
const present = (r: Row): Automation => ({
  id: r.id,
  name: r.name,
  position: r.position,
  active: r.active,
  status: r.status as Automation["status"],
  hoursInStatus: r.hours_in_status,
  conditions: r.conditions,
  actions: r.actions,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** Time-based automations in the order they run. */
export async function listAutomations(db: Executor, activeOnly = false) {
  let q = db.selectFrom("automations").selectAll().orderBy("position").orderBy("id");
  if (activeOnly) q = q.where("active", "=", true);
  return (await q.execute()).map(present);
}

export async function getAutomation(db: Executor, id: number) {
  const row = await db.selectFrom("automations").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw NotFoundError("Automation");
  return present(row);
}

export async function createAutomation(db: Executor, input: z.output<typeof createAutomationBody>) {
  await checkRuleReferences(db, input);
  const row = await db
    .insertInto("automations")
    .values({ ...ruleColumns(input), name: input.name, status: input.status, hours_in_status: input.hoursInStatus })
    .returningAll()
    .executeTakeFirstOrThrow();
  return present(row);
}

export async function updateAutomation(db: Executor, id: number, input: z.output<typeof updateAutomationBody>) {
  await getAutomation(db, id);
  await checkRuleReferences(db, input);
  const row = await db
    .updateTable("automations")
    .set({
      ...ruleColumns(input),
      ...(input.status !== undefined ? { status: input.status } : {}),
      ...(input.hoursInStatus !== undefined ? { hours_in_status: input.hoursInStatus } : {}),
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return present(row);
}

export async function deleteAutomation(db: Executor, id: number) {
  const r = await db.deleteFrom("automations").where("id", "=", id).executeTakeFirst();
  if (!r.numDeletedRows) throw NotFoundError("Automation");
}
