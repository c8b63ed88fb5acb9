import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  getLearningRate,
  reduceLROnPlateau,
  setLearningRate,
} from "../../lib/callbacks/reduce_lr_on_plateau.ts";
import { drive, FakeModel, series } from "./_fake_model.ts";
import { fixture, linearModel } from "./_fit_fixture.ts";

await tf.setBackend("cpu");

const lrOf = (m: FakeModel) => getLearningRate(m.optimizer, "test");

Deno.test("reduceLROnPlateau() reduces by factor after patience flat epochs", async () => {
  const model = new FakeModel(1);
  const cb = reduceLROnPlateau({ monitor: "loss", patience: 2, factor: 0.5, minDelta: 0 });
  await drive(cb, model, series("loss", [1, 0.9, 0.9, 0.9, 0.9, 0.9]));
  // Flat from epoch 2: waits 1, 2 -> reduce at epoch 3; waits 1, 2 -> reduce at epoch 5.
  assert.deepEqual(cb.reductions, [[3, 0.5], [5, 0.25]]);
  assert.equal(lrOf(model), 0.25);
  model.dispose();
});

Deno.test("reduceLROnPlateau() minDelta: gains smaller than it count as flat", async () => {
  const model = new FakeModel(1);
  const cb = reduceLROnPlateau({ monitor: "loss", patience: 1, factor: 0.1, minDelta: 0.01 });
  await drive(cb, model, series("loss", [1, 0.995, 0.5]));
  assert.deepEqual(cb.reductions.map(([e]) => e), [1]);
  model.dispose();
});

Deno.test("reduceLROnPlateau() cooldown pauses counting after a reduction", async () => {
  const model = new FakeModel(1);
  const cb = reduceLROnPlateau({
    monitor: "loss",
    patience: 1,
    factor: 0.5,
    cooldown: 2,
    minDelta: 0,
  });
  await drive(cb, model, series("loss", [1, 1, 1, 1, 1, 1]));
  // Keras's order: the cooldown counter drops at the start of each epoch's check, so
  // cooldown 2 blocks epoch 2, epoch 3 counts again -> reductions at 1, 3, 5
  // (with cooldown 0 they would be at every epoch 1..5).
  assert.deepEqual(cb.reductions.map(([e]) => e), [1, 3, 5]);
  model.dispose();
});

Deno.test("reduceLROnPlateau() never goes below minLR", async () => {
  const model = new FakeModel(1);
  const cb = reduceLROnPlateau({ monitor: "loss", patience: 0, factor: 0.1, minLR: 0.05 });
  await drive(cb, model, series("loss", [1, 1, 1, 1]));
  assert.equal(lrOf(model), 0.05);
  assert.deepEqual(cb.reductions.map(([, lr]) => lr), [0.1, 0.05]);
  model.dispose();
});

Deno.test("reduceLROnPlateau() bad options name the option", () => {
  assert.throws(() => reduceLROnPlateau({ factor: 1 }), /`factor` must be between 0 and 1.*got 1/);
  assert.throws(() => reduceLROnPlateau({ factor: 1.5 }), /`factor`/);
  assert.throws(() => reduceLROnPlateau({ patience: -2 }), /`patience`.*-2/);
  assert.throws(() => reduceLROnPlateau({ cooldown: -1 }), /`cooldown`/);
  assert.throws(() => reduceLROnPlateau({ mode: "least" as "min" }), /unknown mode "least"/);
});

Deno.test("setLearningRate() works for SGD (cached rate) and Adam (field)", () => {
  for (const opt of [tf.train.sgd(0.1), tf.train.adam(0.1), tf.train.momentum(0.1, 0.9)]) {
    setLearningRate(opt, 0.01);
    assert.equal(getLearningRate(opt, "t"), 0.01);
    opt.dispose();
  }
});

Deno.test("reduceLROnPlateau() with model.fit: lowers the real SGD step and logs learning_rate", async () => {
  const data = fixture();
  const model = linearModel(0.1);
  const cb = reduceLROnPlateau({ monitor: "val_loss", patience: 1, factor: 0.5 });
  const before = tf.memory().numTensors;
  const history = await model.fit(data.xs, data.ys, {
    epochs: 30,
    batchSize: 4,
    shuffle: false,
    validationData: [data.valXs, data.valYs],
    verbose: 0,
    callbacks: [cb],
  });
  assert.equal(tf.memory().numTensors, before);
  const rates = history.history.learning_rate as number[];
  assert.equal(rates.length, 30);
  assert.equal(rates[0], 0.1);
  assert.ok(cb.reductions.length > 0, "val_loss rises in this fixture, so the rate must drop");
  const [epoch, lr] = cb.reductions[0];
  assert.equal(rates[epoch + 1], lr);
  model.dispose();
  data.dispose();
});
