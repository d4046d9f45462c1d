import { parentPort, workerData } from "node:worker_threads";
import { loadModel, trainModel } from "./fasttext-model";

/**
 * Trains a classifier off the main thread (fastText's training is synchronous WebAssembly: on the
 * main thread it would stop every request for its duration), then ranks the held-out texts.
 */
const { train, test } = workerData as { train: string[]; test: string[] };
const started = performance.now();
const bytes = await trainModel(train);
const trainingMs = Math.round(performance.now() - started);
const model = await loadModel(bytes);
const predictions = test.map((text) => model.predict(text, 3).map((p) => p.label));
model.dispose();
parentPort?.postMessage({ bytes, trainingMs, predictions });
