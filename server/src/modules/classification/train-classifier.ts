import { Worker } from "node:worker_threads";
import { sql } from "kysely";
import type { ClassifierCategoryStats } from "../../db/schema-knowledge";
import { ValidationError } from "../../platform/errors";
import type { Executor } from "../../platform/jobs/job-queue";
import { words } from "../../platform/text/search-text";
import { LABEL } from "./fasttext-model";

/** At most this many of the latest handled tickets are learned from. */
export const MAX_EXAMPLES = 100_000;
/** Fewer handled tickets than this (or a single category) is too little to learn from. */
export const MIN_EXAMPLES = 30;
/** Models kept (the current one and the previous ones, for comparison). */
const KEEP = 3;

/** A ticket's text as the classifier reads it: its subject and the start of its description, in words. */
export const classifierText = (subject: string, description: string) => words(`${subject}\n${description.slice(0, 2_000)}`).join(" ");

/** One in ten tickets, chosen by id (the same ones on every retrain), is held out to measure the model. */
const heldOut = (id: number) => ((id * 2654435761) % 2 ** 32) % 10 === 0;

type Example = { id: number; categoryId: number; text: string };

/**
 * The worker's entry: the TypeScript file through tsx's loader, registered in the worker (a worker
 * does not inherit the main thread's loader hooks on Node 20), found from here whatever the
 * process's working directory.
 */
const workerBoot = (file: URL) =>
  `import(${JSON.stringify(tsxApi())}).then(({ register }) => { register(); return import(${JSON.stringify(file.href)}); })`;

function tsxApi() {
  try {
    return import.meta.resolve("tsx/esm/api");
  } catch {
    // A test runner's module loader may not offer import.meta.resolve: resolved from the working directory then.
    return "tsx/esm/api";
  }
}

/** Trains fastText in a worker thread; answers the model's bytes, the training time and the held-out texts' top three labels. */
export function trainInWorker(train: string[], test: string[]) {
  return new Promise<{ bytes: Uint8Array; trainingMs: number; predictions: string[][] }>((resolve, reject) => {
    // Compiled (server/dist): the worker's own compiled file next to this one; from source: through tsx.
    const worker = import.meta.url.endsWith(".js")
      ? new Worker(new URL("./train-worker.js", import.meta.url), { workerData: { train, test } })
      : new Worker(workerBoot(new URL("./train-worker.ts", import.meta.url)), { eval: true, workerData: { train, test } });
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => code !== 0 && reject(new Error(`classifier training stopped (exit ${code})`)));
  });
}

/**
 * 智能分类: learns subject + description → category from the workspace's handled tickets (solved
 * or closed, with a category), holds out one in ten to measure top-1 and top-3 accuracy, and
 * stores the model (the newest is the one in use).
 */
export async function trainClassifier(db: Executor, opts: { maxExamples?: number } = {}) {
  const rows = await db
    .selectFrom("tickets as t")
    .innerJoin("categories as c", "c.id", "t.category_id")
    .select(["t.id", "t.subject", "t.description", "t.category_id"])
    .where("t.status", "in", ["solved", "closed"])
    .where("c.active", "=", true)
    .orderBy("t.id", "desc")
    .limit(opts.maxExamples ?? MAX_EXAMPLES)
    .execute();
  const examples: Example[] = rows
    .map((r) => ({ id: r.id, categoryId: r.category_id as number, text: classifierText(r.subject, r.description) }))
    .filter((e) => e.text !== "");
  const categoryIds = [...new Set(examples.map((e) => e.categoryId))];
  if (examples.length < MIN_EXAMPLES || categoryIds.length < 2)
    throw ValidationError(
      [{ path: "examples", code: "too_few", message: `At least ${MIN_EXAMPLES} handled tickets in two or more categories are needed.` }],
      "Not enough handled tickets to learn from yet.",
    );
  const test = examples.filter((e) => heldOut(e.id));
  const train = examples.filter((e) => !heldOut(e.id));
  const line = (e: Example) => `${LABEL}${e.categoryId} ${e.text}`;
  const { bytes, trainingMs, predictions } = await trainInWorker(
    train.map(line),
    test.map((e) => e.text),
  );
  const stats = new Map<number, ClassifierCategoryStats>(
    categoryIds.map((id) => [id, { categoryId: id, examples: 0, heldOut: 0, correct: 0 }]),
  );
  for (const e of train) (stats.get(e.categoryId) as ClassifierCategoryStats).examples++;
  let top1 = 0;
  let top3 = 0;
  test.forEach((e, i) => {
    const ranked = (predictions[i] ?? []).map(Number);
    const s = stats.get(e.categoryId) as ClassifierCategoryStats;
    s.heldOut++;
    if (ranked[0] === e.categoryId) {
      top1++;
      s.correct++;
    }
    if (ranked.includes(e.categoryId)) top3++;
  });
  const model = await db
    .insertInto("classifier_models")
    .values({
      examples: train.length,
      held_out: test.length,
      top1: test.length ? top1 / test.length : 0,
      top3: test.length ? top3 / test.length : 0,
      training_ms: trainingMs,
      categories: JSON.stringify([...stats.values()]),
      model: bytes,
    })
    .returning(["id", "created_at", "examples", "held_out", "top1", "top3", "training_ms"])
    .executeTakeFirstOrThrow();
  await sql`delete from classifier_models where id not in (select id from classifier_models order by id desc limit ${KEEP})`.execute(db);
  return model;
}
