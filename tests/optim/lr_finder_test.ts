import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { findLearningRate } from "../../lib/optim/lr_finder.ts";

await tf.setBackend("cpu");

/** y = 2·x₀ − x₁ + noise, 256 rows, seeded. */
function data() {
  const x = tf.randomNormal([256, 2], 0, 1, "float32", 7);
  const y = tf.tidy(() =>
    x.matMul(tf.tensor2d([[2], [-1]])).add(tf.randomNormal([256, 1], 0, 0.1, "float32", 8))
  );
  return { x, y };
}

function model(optimizer: tf.Optimizer) {
  const m = tf.sequential({
    layers: [
      tf.layers.dense({
        units: 8,
        inputShape: [2],
        activation: "relu",
        kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
      }),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  m.compile({ optimizer, loss: "meanSquaredError" });
  return m;
}

const values = (ts: tf.Tensor[]) => Promise.all(ts.map(async (t) => Array.from(await t.data())));

Deno.test("findLearningRate() restores the weights and never touches the model's optimizer or its state", async () => {
  const { x, y } = data();
  const adam = tf.train.adam(0.01);
  const m = model(adam);
  await m.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0 }); // Adam now has moments and iterations
  const weightsBefore = await values(m.getWeights());
  const adamBefore = await values((await adam.getWeights()).map((w) => w.tensor));
  const tensorsBefore = tf.memory().numTensors;
  const found = await findLearningRate(m, x, y, { minLR: 1e-5, maxLR: 10, steps: 80 });
  assert.equal(tf.memory().numTensors, tensorsBefore, "no tensors leaked");
  assert.ok(found.learningRates.length > 10);
  assert.strictEqual(m.optimizer, adam, "the model's optimizer is the same object");
  assert.equal(adam.iterations, 4);
  assert.deepEqual(await values(m.getWeights()), weightsBefore);
  assert.deepEqual(await values((await adam.getWeights()).map((w) => w.tensor)), adamBefore);
  tf.dispose([x, y]);
  m.dispose();
});

Deno.test("findLearningRate() sweeps rates geometrically, stops on divergence, suggests inside the range", async () => {
  const { x, y } = data();
  const m = model(tf.train.sgd(0.01));
  const found = await findLearningRate(m, x, y, { minLR: 1e-4, maxLR: 100, steps: 100 });
  const r = found.learningRates;
  assert.ok(Math.abs(r[0] - 1e-4) < 1e-12);
  for (let i = 1; i < r.length; i++) assert.ok(Math.abs(r[i] / r[i - 1] - 10 ** (6 / 99)) < 1e-9);
  assert.equal(found.stopped, "diverged");
  assert.ok(r.length < 100, `stopped after ${r.length} steps`);
  const lastSmoothed = found.smoothed.at(-1)!;
  assert.ok(!Number.isFinite(lastSmoothed) || lastSmoothed > 4 * found.minimum.loss);
  assert.equal(found.rule, "minOver10");
  assert.equal(found.suggestion, found.minOver10);
  assert.ok(Math.abs(found.minOver10 - found.minimum.learningRate / 10) < 1e-15);
  assert.ok(
    found.steepest < found.minimum.learningRate,
    "the loss falls fastest before its minimum",
  );
  // The suggested rate really trains: lower loss than at a hundredth of it, no divergence.
  const trainAt = async (lr: number) => {
    const twin = model(tf.train.sgd(lr));
    const h = await twin.fit(x, y, { epochs: 5, batchSize: 32, verbose: 0 });
    twin.dispose();
    return (h.history.loss as number[]).at(-1)!;
  };
  const [good, slow] = [await trainAt(found.suggestion), await trainAt(found.suggestion / 100)];
  assert.ok(Number.isFinite(good) && good < slow, `suggested ${good} vs a hundredth ${slow}`);
  tf.dispose([x, y]);
  m.dispose();
});

Deno.test("findLearningRate({ rule: 'steepest' }) suggests the steepest-descent rate; optimizer factory is used", async () => {
  const { x, y } = data();
  const m = model(tf.train.adam(0.01));
  let made = 0;
  const found = await findLearningRate(m, x, y, {
    rule: "steepest",
    steps: 50,
    optimizer: () => (made++, tf.train.sgd(1)),
  });
  assert.equal(made, 1);
  assert.equal(found.suggestion, found.steepest);
  tf.dispose([x, y]);
  m.dispose();
});

Deno.test("findLearningRate() restores the weights when training throws", async () => {
  const { x, y } = data();
  const m = model(tf.train.sgd(0.1));
  const before = await values(m.getWeights());
  await assert.rejects(
    () => findLearningRate(m, x, y.slice(0, 100), {}),
    /x has 256 samples but y has 100/,
  );
  await assert.rejects(
    () => findLearningRate(m, x, tf.zeros([256, 3]), { steps: 20 }),
  );
  assert.deepEqual(await values(m.getWeights()), before);
  tf.dispose([x, y]);
  m.dispose();
});

Deno.test("findLearningRate() names bad options and an uncompiled model", async () => {
  const { x, y } = data();
  const m = model(tf.train.sgd(0.1));
  await assert.rejects(
    () => findLearningRate(m, x, y, { minLR: 1, maxLR: 0.1 }),
    /0 < minLR < maxLR.*minLR = 1, maxLR = 0.1/,
  );
  await assert.rejects(() => findLearningRate(m, x, y, { steps: 5 }), /`steps`.*>= 10, got 5/);
  await assert.rejects(() => findLearningRate(m, x, y, { divergeFactor: 1 }), /`divergeFactor`/);
  await assert.rejects(
    () => findLearningRate(m, x, y, { rule: "valley" as "steepest" }),
    /unknown rule "valley"/,
  );
  const bare = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
  await assert.rejects(() => findLearningRate(bare, x, y), /not compiled/);
  tf.dispose([x, y]);
  m.dispose();
  bare.dispose();
});

Deno.test("findLearningRate() says so when the loss diverges too early to suggest anything", async () => {
  const { x, y } = data();
  const m = model(tf.train.sgd(0.1));
  await assert.rejects(
    () => findLearningRate(m, x.mul(1e3), y.mul(1e3), { minLR: 10, maxLR: 1e4, steps: 100 }),
    /diverged after \d+ steps, too early to suggest a rate\. Lower minLR/,
  );
  tf.dispose([x, y]);
  m.dispose();
});
