import type { Transaction } from "kysely";
import type { DB } from "../../db/schema";
import { loadModel } from "../classification/fasttext-model";
import { classifierText, trainClassifier } from "../classification/train-classifier";
import { recordTicketEvents, systemActor } from "../tickets/ticket-events";

/** Requests that arrive without a category a person chose: the classifier files them. */
const SELF_SERVICE = ["email", "portal", "widget", "wecom", "dingtalk", "feishu"];

/**
 * 智能分类 in the demo: a model learned from the demo's handled tickets, and the latest requests
 * from self-service channels filed by it (as it would have when they arrived, with their confidence).
 */
export async function seedDemoClassifier(db: Transaction<DB>) {
  const model = await trainClassifier(db);
  const row = await db.selectFrom("classifier_models").select("model").where("id", "=", model.id).executeTakeFirstOrThrow();
  const predictor = await loadModel(row.model);
  try {
    const recent = await db
      .selectFrom("tickets")
      .select(["id", "subject", "description", "category_id", "created_at"])
      .where("channel", "in", SELF_SERVICE)
      .where("category_id", "is not", null)
      .orderBy("created_at", "desc")
      .limit(60)
      .execute();
    for (const t of recent) {
      // A moment after it arrived: the stored time has microseconds that a JavaScript Date drops.
      const classifiedAt = new Date(new Date(t.created_at).getTime() + 1);
      const [best] = predictor.predict(classifierText(t.subject, t.description), 1);
      if (!best || Number(best.label) !== t.category_id || best.p < 0.8) continue;
      await db
        .insertInto("ticket_category_suggestions")
        .values({
          ticket_id: t.id,
          category_id: t.category_id,
          confidence: best.p,
          applied: true,
          model_id: model.id,
          created_at: classifiedAt,
        })
        .execute();
      await recordTicketEvents(
        db,
        t.id,
        systemActor,
        [{ type: "category_classified", data: { categoryId: t.category_id, confidence: Math.round(best.p * 100) / 100, applied: true } }],
        classifiedAt,
      );
    }
  } finally {
    predictor.dispose();
  }
  return model;
}
