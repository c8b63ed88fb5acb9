/**
 * Every callback in lib/callbacks attached to one real `model.fit`, through the
 * public entry (mod.ts): training works, and no tensor leaks across two fits.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  backupAndRestore,
  callbackList,
  csvLogger,
  earlyStopping,
  modelCheckpoint,
  progressBar,
  reduceLROnPlateau,
  stopOn,
  stopOnInterrupt,
  terminateOnNaN,
} from "../../lib/callbacks/mod.ts";
import { loadModel } from "../../lib/io/mod.ts";
import { bestEpoch } from "../../lib/core/mod.ts";
import { fixture, linearModel } from "./_fit_fixture.ts";

await tf.setBackend("cpu");

Deno.test("all callbacks together: fit works and tf.memory().numTensors is unchanged", async () => {
  const dir = await Deno.makeTempDir();
  const data = fixture();
  const model = linearModel(0.1, "adam");
  const stopper = earlyStopping({ patience: 3, restoreBestWeights: true });
  const ckpt = modelCheckpoint({
    filepath: `${dir}/best`,
    saveBestOnly: true,
    includeOptimizer: true,
  });
  const backup = backupAndRestore({ dir: `${dir}/backup` });
  const logs: string[] = [];
  const callbacks = () =>
    callbackList(
      reduceLROnPlateau({ patience: 2, factor: 0.5 }),
      stopper,
      ckpt,
      terminateOnNaN({ verbose: 0 }),
      csvLogger(`${dir}/log.csv`),
      backup,
      progressBar({ mode: "lines" }),
      stopOn(new AbortController().signal, { verbose: 0 }),
      stopOnInterrupt({ verbose: 0 }),
      { onEpochEnd: (epoch: number) => void logs.push(`epoch ${epoch}`) },
    );
  const args = {
    epochs: 40,
    batchSize: 4,
    shuffle: false,
    validationData: [data.valXs, data.valYs] as [tf.Tensor, tf.Tensor],
    verbose: 0 as const,
  };
  // deno-lint-ignore no-console
  const log = console.log;
  // deno-lint-ignore no-console
  console.log = () => {};
  try {
    // Warm-up fit: tfjs and Adam create their lasting state (slots, kernels).
    await model.fit(data.xs, data.ys, { ...args, callbacks: callbacks() });
    const before = tf.memory().numTensors;
    const history = await model.fit(data.xs, data.ys, { ...args, callbacks: callbacks() });
    assert.equal(tf.memory().numTensors, before);
    assert.ok(history.epoch.length < 40, "early stopping stops this overfitting run");
    assert.equal(stopper.bestEpoch, bestEpoch(history).index);
  } finally {
    // deno-lint-ignore no-console
    console.log = log;
  }
  const best = await loadModel(`${dir}/best`);
  assert.deepEqual(
    Array.from((best.predict(data.valXs) as tf.Tensor).dataSync()),
    Array.from((model.predict(data.valXs) as tf.Tensor).dataSync()),
    "restored best weights = best checkpoint",
  );
  assert.ok(logs.length > 0);
  model.dispose();
  best.dispose();
  data.dispose();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("callbacks work with model.fitDataset too (batch counts from the dataset)", async () => {
  const dir = await Deno.makeTempDir();
  const data = fixture();
  const model = linearModel();
  const dataset = tf.data.zip({
    xs: tf.data.array(Array.from(data.xs.dataSync()).map((v) => [v])),
    ys: tf.data.array(Array.from(data.ys.dataSync()).map((v) => [v])),
  }).batch(4);
  const valDataset = tf.data.zip({
    xs: tf.data.array(Array.from(data.valXs.dataSync()).map((v) => [v])),
    ys: tf.data.array(Array.from(data.valYs.dataSync()).map((v) => [v])),
  }).batch(4);
  const stopper = earlyStopping({ patience: 2, restoreBestWeights: true });
  const ckpt = modelCheckpoint({ filepath: `${dir}/e{epoch:02d}` });
  const lines: string[] = [];
  // deno-lint-ignore no-console
  const log = console.log;
  // deno-lint-ignore no-console
  console.log = (s: string) => lines.push(s);
  try {
    const history = await model.fitDataset(dataset, {
      epochs: 30,
      validationData: valDataset,
      verbose: 0,
      callbacks: [stopper, ckpt, progressBar({ mode: "lines" })],
    });
    assert.equal(ckpt.savedPaths.length, history.epoch.length);
    assert.equal(stopper.bestEpoch, bestEpoch(history).index);
  } finally {
    // deno-lint-ignore no-console
    console.log = log;
  }
  assert.match(lines[0], /^Epoch 1\/30 {2}4\/4 \[=+\]/);
  model.dispose();
  data.dispose();
  await Deno.remove(dir, { recursive: true });
});
