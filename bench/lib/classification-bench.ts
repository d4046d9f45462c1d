import { loadModel } from "../../server/src/modules/classification/fasttext-model";
import { LABEL } from "../../server/src/modules/classification/fasttext-model";
import { trainInWorker } from "../../server/src/modules/classification/train-classifier";
import { words } from "../../server/src/platform/text/search-text";
import { generateCorpus, keywordRule } from "./classification-corpus";
import { percentiles, round } from "./load";

/**
 * Issue 20: smart classification on a generated labelled set of citizen-hotline messages for seven
 * departments (bench/lib/classification-corpus.ts): the model trained on 20,000 messages against a
 * careful admin's keyword rules on 2,000 held-out messages of the same kinds and on 2,000 about
 * situations the training never describes, top-1 and top-3; the
 * time to classify one new ticket (segmentation and prediction, p50/p99); the training time for
 * 100,000 tickets (in the worker thread, as the server trains).
 */
export async function benchClassification(opts: { quick: boolean }) {
  const line = (e: { text: string; label: string }) => `${LABEL}${e.label} ${words(e.text).join(" ")}`;
  const train = generateCorpus(opts.quick ? 5_000 : 20_000, 7);
  // Held out: other messages of the kinds the tickets were about; and messages about situations never seen.
  const test = generateCorpus(2_000, 8);
  const unseen = generateCorpus(2_000, 8, "test");
  const trained = await trainInWorker(
    train.map(line),
    [...test, ...unseen].map((e) => words(e.text).join(" ")),
  );
  const score = (set: typeof test, offset: number) => {
    let top1 = 0;
    let top3 = 0;
    let keyword = 0;
    let keywordNone = 0;
    set.forEach((e, i) => {
      const ranked = trained.predictions[offset + i] ?? [];
      if (ranked[0] === e.label) top1++;
      if (ranked.includes(e.label)) top3++;
      const k = keywordRule(e.text);
      if (k === e.label) keyword++;
      if (k === null) keywordNone++;
    });
    return {
      model: { top1: round(top1 / set.length), top3: round(top3 / set.length) },
      keywordRules: { top1: round(keyword / set.length), noDepartment: round(keywordNone / set.length) },
    };
  };
  const heldOut = score(test, 0);
  const unseenSituations = score(unseen, test.length);
  // One ticket at a time, as a new ticket is classified: its words, then the model.
  const model = await loadModel(trained.bytes);
  const latencies: number[] = [];
  for (const e of test) {
    const t0 = performance.now();
    model.predict(words(e.text).join(" "), 3);
    latencies.push(performance.now() - t0);
  }
  model.dispose();
  const big = generateCorpus(opts.quick ? 20_000 : 100_000, 9);
  const segmentStarted = performance.now();
  const bigLines = big.map(line);
  const segmentMs = performance.now() - segmentStarted;
  const wallStarted = performance.now();
  const large = await trainInWorker(bigLines, []);
  const wallMs = performance.now() - wallStarted;
  return {
    departments: 7,
    trainedOn: train.length,
    tested: test.length,
    model: { trainingMs: trained.trainingMs, bytes: trained.bytes.length },
    heldOut,
    unseenSituations,
    perTicket: percentiles(latencies),
    large: { tickets: big.length, trainingMs: large.trainingMs, wallMs: round(wallMs), segmentMs: round(segmentMs) },
  };
}
