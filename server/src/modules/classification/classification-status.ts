import type { ClassificationStatus, ClassifierModel } from "@loopdesk/contracts/classification";
import type { Selectable } from "kysely";
import type { ClassifierModelsTable } from "../../db/schema-knowledge";
import type { Executor } from "../../platform/jobs/job-queue";
import { getClassificationSettings } from "./classification-settings";
import { MIN_EXAMPLES } from "./train-classifier";

export const presentModel = (m: Selectable<ClassifierModelsTable>): ClassifierModel => ({
  id: m.id,
  createdAt: m.created_at.toISOString(),
  examples: m.examples,
  heldOut: m.held_out,
  top1: m.top1,
  top3: m.top3,
  trainingMs: m.training_ms,
  categories: m.categories,
});

/** The model in use, the settings, and what the model has done since it was trained. */
export async function classificationStatusOf(db: Executor): Promise<ClassificationStatus> {
  const [settings, model, handled] = await Promise.all([
    getClassificationSettings(db),
    db
      .selectFrom("classifier_models")
      .select(["id", "created_at", "examples", "held_out", "top1", "top3", "training_ms", "categories", "keyword_top1"])
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom("tickets")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("status", "in", ["solved", "closed"])
      .where("category_id", "is not", null)
      .executeTakeFirstOrThrow(),
  ]);
  const usage = model
    ? await db
        .selectFrom("ticket_category_suggestions as s")
        .innerJoin("tickets as t", "t.id", "s.ticket_id")
        .select((eb) => [
          eb.fn.countAll<number>().as("suggested"),
          eb.fn.count<number>("s.ticket_id").filterWhere("s.applied", "=", true).as("applied"),
          eb.fn
            .count<number>("s.ticket_id")
            .filterWhere((w) => w.and([w("s.applied", "=", true), w("t.category_id", "is distinct from", w.ref("s.category_id"))]))
            .as("corrected"),
        ])
        .where("s.model_id", "=", model.id)
        .executeTakeFirstOrThrow()
    : { suggested: 0, applied: 0, corrected: 0 };
  return {
    settings,
    model: model ? presentModel({ ...model, model: new Uint8Array() }) : null,
    handledTickets: Number(handled.n),
    minExamples: MIN_EXAMPLES,
    usage: { suggested: Number(usage.suggested), applied: Number(usage.applied), corrected: Number(usage.corrected) },
  };
}

export async function ticketSuggestion(db: Executor, ticketId: number) {
  const row = await db
    .selectFrom("ticket_category_suggestions")
    .select(["category_id", "confidence", "applied", "created_at"])
    .where("ticket_id", "=", ticketId)
    .executeTakeFirst();
  return row
    ? { categoryId: row.category_id, confidence: row.confidence, applied: row.applied, createdAt: row.created_at.toISOString() }
    : null;
}
