import type { Logger } from "pino";
import type { AppContext } from "../../platform/context";
import { AppError } from "../../platform/errors";
import { enqueue, enqueueUnlessWaiting } from "../../platform/jobs/job-queue";
import { forgetClassifier } from "./category-suggester";
import { getClassificationSettings } from "./classification-settings";
import { trainClassifier } from "./train-classifier";

export const RETRAIN_QUEUE = "classification.retrain";
const CHECK_EVERY_MS = 6 * 3_600_000;

/**
 * 智能分类 relearns on a schedule: every few hours a job checks whether the model in use is older
 * than the workspace's retraining period (or missing) and, if so, learns from the handled tickets
 * again (in a worker thread, after the job's transaction, which only plans the next check).
 */
export function registerClassificationJobs(ctx: AppContext) {
  ctx.jobs.define({
    queue: RETRAIN_QUEUE,
    handler: async (_payload, { trx, logger }) => {
      const settings = await getClassificationSettings(trx);
      const latest = await trx.selectFrom("classifier_models").select("created_at").orderBy("id", "desc").limit(1).executeTakeFirst();
      const due = !latest || latest.created_at.getTime() < Date.now() - settings.retrainEveryDays * 86_400_000;
      // Trained after this job's transaction (the embedded engine has one connection; a retrain
      // that dies with the process is made at the next check).
      if (settings.enabled && due) setImmediate(() => void retrain(ctx, logger));
      const next = new Date(Date.now() + CHECK_EVERY_MS);
      await enqueue(trx, RETRAIN_QUEUE, {}, { runAt: next, dedupeKey: `classification-retrain:${next.toISOString()}` });
    },
  });
}

async function retrain(ctx: AppContext, logger: Logger) {
  try {
    const model = await trainClassifier(ctx.db);
    forgetClassifier(ctx.db);
    logger.info({ modelId: model.id, examples: model.examples, top1: model.top1 }, "classifier retrained");
  } catch (e) {
    // Too few handled tickets yet: tried again at the next check.
    if (!(e instanceof AppError && e.status === 400)) logger.error({ err: e }, "classifier retraining failed");
  }
}

/** Plans the first check after start-up, unless one is planned. */
export async function scheduleClassificationJobs(ctx: AppContext) {
  const at = new Date(Date.now() + 60_000);
  await enqueueUnlessWaiting(ctx.db, RETRAIN_QUEUE, {
    runAt: at,
    dedupeKey: `classification-retrain:start:${at.toISOString().slice(0, 13)}`,
  });
}
