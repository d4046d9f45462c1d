import { sql } from "kysely";
import type { Executor } from "../../platform/jobs/job-queue";

const KEY = "classification";
/** 智能分类's settings: on or off, and the confidence from which a suggestion is applied (below it agents only see it). */
export type ClassificationSettings = { enabled: boolean; threshold: number; retrainEveryDays: number };
const DEFAULTS: ClassificationSettings = { enabled: true, threshold: 0.8, retrainEveryDays: 7 };

export async function getClassificationSettings(db: Executor): Promise<ClassificationSettings> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", KEY).executeTakeFirst();
  return { ...DEFAULTS, ...((row?.value ?? {}) as Partial<ClassificationSettings>) };
}

export async function saveClassificationSettings(db: Executor, input: Partial<ClassificationSettings>) {
  const next = { ...(await getClassificationSettings(db)), ...input };
  await db
    .insertInto("settings")
    .values({ key: KEY, value: JSON.stringify(next) })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value: JSON.stringify(next), updated_at: sql`now()` }))
    .execute();
  return next;
}
