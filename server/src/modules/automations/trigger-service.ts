import type { createTriggerBody, Trigger, updateTriggerBody } from "@loopdesk/contracts/rules";
import type { Selectable } from "kysely";
import type { z } from "zod";
import type { TriggersTable } from "../../db/schema-automations";
import { NotFoundError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { ruleColumns } from "./rule-columns";
import { checkRuleReferences } from "./rule-references";
import { triggerUsage } from "./trigger-usage";

type Row = Selectable<TriggersTable>;
const present = (r: Row): Trigger => ({
  id: r.id,
  name: r.name,
  position: r.position,
  active: r.active,
  events: r.events as Trigger["events"],
  conditions: r.conditions,
  actions: r.actions,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** Triggers in the order they run. */
export async function listTriggers(db: Executor, activeOnly = false) {
  let q = db.selectFrom("triggers").selectAll().orderBy("position").orderBy("id");
  if (activeOnly) q = q.where("active", "=", true);
  return (await q.execute()).map(present);
}

export async function getTrigger(db: Executor, id: number) {
  const row = await db.selectFrom("triggers").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw NotFoundError("Trigger");
  return present(row);
}

export async function createTrigger(db: Executor, input: z.output<typeof createTriggerBody>) {
  await checkRuleReferences(db, input);
  const row = await db
    .insertInto("triggers")
    .values({ ...ruleColumns(input), name: input.name, events: input.events })
    .returningAll()
    .executeTakeFirstOrThrow();
  triggerUsage.markInUse(db);
  return present(row);
}

export async function updateTrigger(db: Executor, id: number, input: z.output<typeof updateTriggerBody>) {
  await getTrigger(db, id);
  await checkRuleReferences(db, input);
  const row = await db
    .updateTable("triggers")
    .set({
      ...ruleColumns(input),
      ...(input.events !== undefined ? { events: input.events } : {}),
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
  triggerUsage.markInUse(db);
  return present(row);
}

export async function deleteTrigger(db: Executor, id: number) {
  const r = await db.deleteFrom("triggers").where("id", "=", id).executeTakeFirst();
  if (!r.numDeletedRows) throw NotFoundError("Trigger");
}
