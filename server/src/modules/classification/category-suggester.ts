import type { Kysely } from "kysely";
import type { DB } from "../../db/schema";
import type { Executor } from "../../platform/jobs/job-queue";
import { getClassificationSettings } from "./classification-settings";
import { loadModel, type Predictor } from "./fasttext-model";
import { classifierText } from "./train-classifier";

/** How often a process looks for a newer model or changed settings. */
const REFRESH_MS = 15_000;

type Current = {
  checkedAt: number;
  modelId: number | null;
  predictor: Predictor | null;
  settings: Awaited<ReturnType<typeof getClassificationSettings>>;
  loading?: Promise<void>;
};
const byDatabase = new WeakMap<object, Current>();

/** The model in use (the newest) and the settings, from memory; refreshed at most every REFRESH_MS. */
async function current(db: Executor): Promise<Current> {
  const key = db.getExecutor().adapter;
  const state = byDatabase.get(key);
  if (state && Date.now() - state.checkedAt < REFRESH_MS) return state;
  if (state?.loading) {
    await state.loading;
    return state;
  }
  const next: Current = state ?? { checkedAt: 0, modelId: null, predictor: null, settings: await getClassificationSettings(db) };
  byDatabase.set(key, next);
  next.loading = (async () => {
    next.settings = await getClassificationSettings(db);
    const latest = await db.selectFrom("classifier_models").select("id").orderBy("id", "desc").limit(1).executeTakeFirst();
    if ((latest?.id ?? null) !== next.modelId) {
      const row = latest
        ? await db.selectFrom("classifier_models").select("model").where("id", "=", latest.id).executeTakeFirst()
        : undefined;
      const predictor = row ? await loadModel(row.model) : null;
      next.predictor?.dispose();
      next.predictor = predictor;
      next.modelId = row ? (latest?.id ?? null) : null;
    }
    next.checkedAt = Date.now();
  })();
  try {
    await next.loading;
  } finally {
    next.loading = undefined;
  }
  return next;
}

/** Makes this process look for a new model or settings at its next suggestion (after training or a settings change). */
export function forgetClassifier(db: Executor) {
  const state = byDatabase.get(db.getExecutor().adapter);
  if (state) state.checkedAt = 0;
}

export type CategorySuggestion = {
  categoryId: number;
  confidence: number;
  modelId: number;
  apply: boolean;
  ranked: { categoryId: number; confidence: number }[];
};

/**
 * The category the workspace's classifier suggests for a new ticket's text, with its confidence,
 * and whether it is confident enough to apply; null when classification is off or no model exists.
 */
export async function suggestCategory(db: Kysely<DB>, subject: string, description: string): Promise<CategorySuggestion | null> {
  const state = await current(db);
  if (!state.settings.enabled || !state.predictor || state.modelId === null) return null;
  const text = classifierText(subject, description);
  if (text === "") return null;
  const ranked = state.predictor.predict(text, 3).map((p) => ({ categoryId: Number(p.label), confidence: p.p }));
  const best = ranked[0];
  if (!best) return null;
  return { ...best, modelId: state.modelId, apply: best.confidence >= state.settings.threshold, ranked };
}
