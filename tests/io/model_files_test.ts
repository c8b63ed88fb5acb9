import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { loadModel, loadWeights, saveModel, saveWeights } from "../../lib/io/model_files.ts";

await tf.setBackend("cpu");

function trainedModel(): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 4, inputShape: [2], activation: "tanh", name: "hidden" }),
      tf.layers.dense({ units: 1, name: "out" }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: "meanSquaredError" });
  return model;
}

const xs = () => tf.tensor2d([[0, 1], [1, 0], [0.5, 0.5], [-1, 2]]);
const ys = () => tf.tensor2d([[1], [0], [0.5], [3]]);

Deno.test("saveModel()/loadModel() round trip predicts exactly like the saved model", async () => {
  const dir = await Deno.makeTempDir();
  const model = trainedModel();
  await model.fit(xs(), ys(), { epochs: 3, verbose: 0 });
  await saveModel(model, dir, { includeOptimizer: true });
  const loaded = await loadModel(dir);
  const x = xs();
  assert.deepEqual(
    Array.from((loaded.predict(x) as tf.Tensor).dataSync()),
    Array.from((model.predict(x) as tf.Tensor).dataSync()),
  );
  assert.ok(loaded.optimizer !== undefined && loaded.optimizer !== null, "compiled on load");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("saveWeights()/loadWeights() restore weights and Adam state: resumed training is bit-identical", async () => {
  const dir = await Deno.makeTempDir();
  const model = trainedModel();
  await model.fit(xs(), ys(), { epochs: 2, verbose: 0, shuffle: false });
  await saveWeights(model, dir, { includeOptimizer: true });
  // Continue training the original for 2 more epochs: the reference.
  await model.fit(xs(), ys(), { epochs: 2, verbose: 0, shuffle: false });
  const copy = trainedModel();
  copy.setWeights(model.getWeights().map((w) => tf.zerosLike(w)));
  // Optimizer state restore needs the optimizer's variables to exist: load them too.
  assert.deepEqual(await loadWeights(copy, dir), { optimizer: true, metadata: undefined });
  await copy.fit(xs(), ys(), { epochs: 2, verbose: 0, shuffle: false });
  const a = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
  const b = copy.getWeights().flatMap((w) => Array.from(w.dataSync()));
  assert.deepEqual(b, a);
  copy.dispose();
  model.dispose();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("saveWeights/saveModel/loadWeights with optimizer state leak no tensors", async () => {
  const dir = await Deno.makeTempDir();
  const model = trainedModel();
  await model.fit(xs(), ys(), { epochs: 1, verbose: 0 });
  await saveWeights(model, dir, { includeOptimizer: true });
  await loadWeights(model, dir);
  const before = tf.memory().numTensors;
  await saveWeights(model, dir, { includeOptimizer: true });
  await saveModel(model, `${dir}/full`, { includeOptimizer: true });
  await loadWeights(model, dir);
  await loadWeights(model, dir);
  assert.equal(tf.memory().numTensors, before);
  model.dispose();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("saveWeights({ metadata }) stores data atomically with the weights; loadWeights returns it", async () => {
  const dir = await Deno.makeTempDir();
  const model = trainedModel();
  await saveWeights(model, dir, { metadata: { epoch: 7, note: "x" } });
  assert.deepEqual(await loadWeights(model, dir), {
    optimizer: false,
    metadata: { epoch: 7, note: "x" },
  });
  model.dispose();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("loadModel() on a weights-only checkpoint says to use loadWeights", async () => {
  const dir = await Deno.makeTempDir();
  await saveWeights(trainedModel(), dir);
  await assert.rejects(() => loadModel(dir), /holds weights only.*loadWeights\(model, dir\)/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("loadWeights() into a model with other layers is a clear error", async () => {
  const dir = await Deno.makeTempDir();
  await saveWeights(trainedModel(), dir);
  const other = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [5] })] });
  await assert.rejects(() => loadWeights(other, dir), /do not fit this model/);
  await Deno.remove(dir, { recursive: true });
});
