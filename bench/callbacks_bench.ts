/**
 * Overhead of the callbacks on a cheap model (cpu backend), where per-batch costs
 * show most: `deno bench -A bench/callbacks_bench.ts`.
 */
import * as tf from "@tensorflow/tfjs";
import { earlyStopping, progressBar, stopOn, terminateOnNaN } from "../lib/callbacks/mod.ts";
import { saveModel } from "../lib/io/mod.ts";

await tf.setBackend("cpu");

const xs = tf.randomNormal([2048, 8], 0, 1, "float32", 1);
const ys = tf.randomNormal([2048, 1], 0, 1, "float32", 2);
const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: 16, inputShape: [8], activation: "relu" }),
    tf.layers.dense({ units: 1 }),
  ],
});
model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
const fit = (callbacks: tf.Callback[]) =>
  model.fit(xs, ys, { epochs: 1, batchSize: 8, verbose: 0, shuffle: false, callbacks });
// Warm-up outside the measurements (kernel JIT, first-call allocations).
await fit([]);
await fit([]);

Deno.bench("fit 256 batches, no callbacks", { group: "fit", baseline: true }, async () => {
  await fit([]);
});
Deno.bench(
  "fit 256 batches, earlyStopping + stopOn + progressBar(notebook) ",
  { group: "fit" },
  async () => {
    // deno-lint-ignore no-console
    const log = console.log;
    // deno-lint-ignore no-console
    console.log = () => {};
    await fit([
      earlyStopping({ monitor: "loss" }),
      stopOn(new AbortController().signal),
      progressBar({ mode: "notebook" }),
    ]);
    // deno-lint-ignore no-console
    console.log = log;
  },
);
Deno.bench(
  "fit 256 batches, terminateOnNaN (reads every batch loss)",
  { group: "fit" },
  async () => {
    await fit([terminateOnNaN()]);
  },
);

const big = tf.sequential({ layers: [tf.layers.dense({ units: 1000, inputShape: [1000] })] });
const dir = await Deno.makeTempDir();
Deno.bench("saveModel, 1M parameters (4 MB), atomic + fsync", async () => {
  await saveModel(big, dir);
});
