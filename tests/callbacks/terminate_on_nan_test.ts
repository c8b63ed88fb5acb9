import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { terminateOnNaN } from "../../lib/callbacks/terminate_on_nan.ts";
import { earlyStopping } from "../../lib/callbacks/early_stopping.ts";
import { fixture, weightsOf } from "./_fit_fixture.ts";

await tf.setBackend("cpu");

function divergingModel(): tf.Sequential {
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: "ones" })],
  });
  model.compile({ optimizer: tf.train.sgd(50), loss: "meanSquaredError" });
  return model;
}

Deno.test("terminateOnNaN() stops cleanly at the first non-finite batch loss", async () => {
  const data = fixture();
  const model = divergingModel();
  const cb = terminateOnNaN({ verbose: 0 });
  const before = tf.memory().numTensors;
  const history = await model.fit(data.xs, data.ys, {
    epochs: 100,
    batchSize: 4,
    shuffle: false,
    verbose: 0,
    callbacks: [cb],
  });
  assert.equal(tf.memory().numTensors, before);
  assert.ok(cb.terminatedAt !== undefined, "this learning rate diverges");
  assert.equal(history.epoch.length, cb.terminatedAt![0] + 1);
  assert.ok(history.epoch.length < 100);
  model.dispose();
  data.dispose();
});

Deno.test("terminateOnNaN() clean stop lets earlyStopping restore finite weights", async () => {
  const data = fixture();
  const model = divergingModel();
  const stopper = earlyStopping({ monitor: "loss", patience: 100, restoreBestWeights: true });
  await model.fit(data.xs, data.ys, {
    epochs: 100,
    batchSize: 4,
    shuffle: false,
    verbose: 0,
    callbacks: [terminateOnNaN({ verbose: 0 }), stopper],
  });
  assert.ok(weightsOf(model).every(Number.isFinite));
  model.dispose();
  data.dispose();
});

Deno.test("terminateOnNaN({ raiseError: true }) makes fit reject with the epoch and batch", async () => {
  const data = fixture();
  const model = divergingModel();
  await assert.rejects(
    () =>
      model.fit(data.xs, data.ys, {
        epochs: 100,
        batchSize: 4,
        verbose: 0,
        callbacks: [terminateOnNaN({ raiseError: true })],
      }),
    /terminateOnNaN: epoch \d+, batch \d+: loss is (NaN|Infinity); training stopped/,
  );
  model.dispose();
  data.dispose();
});
