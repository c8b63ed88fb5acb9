import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { EarlyStopping, earlyStopping } from "../../lib/callbacks/early_stopping.ts";
import { captureWarnings, drive, FakeModel, series } from "./_fake_model.ts";
import { fixture, linearModel } from "./_fit_fixture.ts";

await tf.setBackend("cpu");

Deno.test("earlyStopping() stops after `patience` epochs without improvement", async () => {
  const model = new FakeModel();
  const cb = earlyStopping({ monitor: "loss", patience: 2 });
  const { epochsRun } = await drive(cb, model, series("loss", [1, 0.9, 0.95, 0.96, 0.97, 0.5]));
  assert.equal(epochsRun, 4);
  assert.equal(cb.stoppedEpoch, 3);
  assert.equal(cb.bestEpoch, 1);
  assert.equal(cb.best, 0.9);
  model.dispose();
});

Deno.test("earlyStopping() patience 0 never stops on the first epoch", async () => {
  const model = new FakeModel();
  const cb = earlyStopping({ monitor: "loss", patience: 0 });
  const { epochsRun } = await drive(cb, model, series("loss", [1, 1.1, 0.5]));
  assert.equal(epochsRun, 2);
  assert.equal(cb.stoppedEpoch, 1);
  model.dispose();
});

Deno.test("earlyStopping() minDelta: smaller gains do not count, in min and max mode", async () => {
  const model = new FakeModel();
  const min = earlyStopping({ monitor: "val_loss", minDelta: -0.1, patience: 1 });
  await drive(min, model, series("val_loss", [1, 0.95, 0.92, 0.5]));
  assert.equal(min.stoppedEpoch, 1);
  const max = earlyStopping({ monitor: "val_acc", minDelta: 0.1, patience: 1 });
  await drive(max, model, series("val_acc", [0.5, 0.55, 0.9]));
  assert.equal(max.stoppedEpoch, 1);
  const maxOk = earlyStopping({ monitor: "val_acc", minDelta: 0.1, patience: 1 });
  await drive(maxOk, model, series("val_acc", [0.5, 0.7, 0.9]));
  assert.equal(maxOk.stoppedEpoch, undefined);
  model.dispose();
});

Deno.test("earlyStopping() explicit mode overrides the name: max on a loss", async () => {
  const model = new FakeModel();
  const cb = earlyStopping({ monitor: "loss", mode: "max", patience: 1 });
  await drive(cb, model, series("loss", [1, 2, 3, 2.5]));
  assert.equal(cb.stoppedEpoch, 3);
  assert.equal(cb.bestEpoch, 2);
  model.dispose();
});

Deno.test("earlyStopping() baseline never beaten: patience runs out from epoch 0", async () => {
  const model = new FakeModel();
  const withBaseline = earlyStopping({ monitor: "val_loss", baseline: 0.5, patience: 2 });
  await drive(withBaseline, model, series("val_loss", [1, 1, 1, 1, 1]));
  assert.equal(withBaseline.stoppedEpoch, 1);
  const without = earlyStopping({ monitor: "val_loss", patience: 2 });
  await drive(without, model, series("val_loss", [1, 1, 1, 1, 1]));
  assert.equal(without.stoppedEpoch, 2);
  model.dispose();
});

Deno.test("earlyStopping() baseline beaten resets patience", async () => {
  const model = new FakeModel();
  const cb = earlyStopping({ monitor: "val_loss", baseline: 0.5, patience: 2 });
  const { epochsRun } = await drive(cb, model, series("val_loss", [0.4, 0.45, 0.3, 0.35, 0.36]));
  assert.equal(epochsRun, 5);
  assert.equal(cb.stoppedEpoch, 4);
  assert.equal(cb.bestEpoch, 2);
  model.dispose();
});

Deno.test("earlyStopping() startFromEpoch ignores the warm-up epochs", async () => {
  const model = new FakeModel();
  const cb = earlyStopping({
    monitor: "loss",
    patience: 1,
    startFromEpoch: 2,
    restoreBestWeights: true,
  });
  await drive(cb, model, series("loss", [0.1, 0.2, 0.5, 0.6, 0.7]));
  assert.equal(cb.stoppedEpoch, 3);
  assert.equal(cb.bestEpoch, 2);
  assert.equal(model.value(), 2);
  model.dispose();
});

Deno.test("earlyStopping() restoreBestWeights: restores when it stops training", async () => {
  const model = new FakeModel();
  const cb = earlyStopping({ monitor: "loss", patience: 2, restoreBestWeights: true });
  await drive(cb, model, series("loss", [1, 0.5, 0.7, 0.8, 0.2]));
  assert.equal(cb.stoppedEpoch, 3);
  assert.equal(model.value(), 1);
  model.dispose();
});

Deno.test("earlyStopping() restoreBestWeights: restores when another callback stops", async () => {
  const model = new FakeModel();
  const cb = earlyStopping({ monitor: "loss", patience: 10, restoreBestWeights: true });
  await drive(cb, model, series("loss", [1, 0.5, 0.7, 0.8, 0.2]), { stopAfter: 2 });
  assert.equal(cb.stoppedEpoch, undefined);
  assert.equal(model.value(), 1);
  model.dispose();
});

Deno.test("earlyStopping() restoreBestWeights: restores when the epochs run out", async () => {
  const model = new FakeModel();
  const cb = earlyStopping({ monitor: "val_acc", patience: 10, restoreBestWeights: true });
  await drive(cb, model, series("val_acc", [0.1, 0.9, 0.7, 0.8]));
  assert.equal(cb.stoppedEpoch, undefined);
  assert.equal(cb.bestEpoch, 1);
  assert.equal(model.value(), 1);
  model.dispose();
});

Deno.test("earlyStopping() without restoreBestWeights keeps the last weights", async () => {
  const model = new FakeModel();
  const cb = earlyStopping({ monitor: "loss", patience: 1 });
  await drive(cb, model, series("loss", [1, 0.5, 0.7]));
  assert.equal(model.value(), 2);
  model.dispose();
});

Deno.test("earlyStopping() is reusable: state resets on train begin", async () => {
  const model = new FakeModel();
  const cb = earlyStopping({ monitor: "loss", patience: 1, restoreBestWeights: true });
  await drive(cb, model, series("loss", [0.1, 0.2, 0.3]));
  assert.equal(cb.stoppedEpoch, 1);
  assert.equal(model.value(), 0);
  const { epochsRun } = await drive(cb, model, series("loss", [5, 4, 3, 2, 2.5]));
  assert.equal(epochsRun, 5);
  assert.equal(cb.stoppedEpoch, 4);
  assert.equal(cb.bestEpoch, 3);
  assert.equal(cb.best, 2);
  assert.equal(model.value(), 3);
  model.dispose();
});

Deno.test("earlyStopping() missing monitor: warns with available keys and never stops", async () => {
  const model = new FakeModel();
  const cb = earlyStopping({ monitor: "val_loss", patience: 0 });
  const warnings = await captureWarnings(async () => {
    const { epochsRun } = await drive(cb, model, series("loss", [1, 2, 3]));
    assert.equal(epochsRun, 3);
  });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /earlyStopping: monitored key "val_loss".*available keys: loss/);
  model.dispose();
});

Deno.test("earlyStopping() missing monitor with strict: true throws from the hook", async () => {
  const model = new FakeModel();
  const cb = earlyStopping({ monitor: "val_loss", strict: true });
  await assert.rejects(
    () => drive(cb, model, series("loss", [1])),
    /"val_loss" is not in the logs/,
  );
  cb.dispose();
  model.dispose();
});

Deno.test("earlyStopping() bad options are clear errors naming the option", () => {
  assert.throws(
    () => earlyStopping({ patience: -1 }),
    /earlyStopping: `patience` must be a whole number >= 0, got -1/,
  );
  assert.throws(() => earlyStopping({ mode: "up" as "max" }), /earlyStopping: unknown mode "up"/);
  assert.throws(() => earlyStopping({ monitor: "lr" }), /earlyStopping: cannot tell/);
  assert.throws(() => earlyStopping({ startFromEpoch: 1.5 }), /startFromEpoch/);
});

Deno.test("earlyStopping() leaks no tensors across runs and restores", async () => {
  const model = new FakeModel();
  const cb = earlyStopping({ monitor: "loss", patience: 2, restoreBestWeights: true });
  const before = tf.memory().numTensors;
  await drive(cb, model, series("loss", [1, 0.5, 0.4, 0.7, 0.8]));
  await drive(cb, model, series("loss", [1, 0.5, 0.7]), { stopAfter: 1 });
  assert.equal(tf.memory().numTensors, before);
  model.dispose();
});

Deno.test("earlyStopping() with model.fit stops where the validation log says and restores the best", async () => {
  const data = fixture();
  // Reference run: the val_loss sequence without early stopping.
  const reference = linearModel();
  const ref = await reference.fit(data.xs, data.ys, {
    epochs: 40,
    batchSize: 4,
    shuffle: false,
    validationData: [data.valXs, data.valYs],
    verbose: 0,
  });
  const valLoss = ref.history.val_loss as number[];
  // Expected by the rule: best index, and the first epoch `patience` after the best.
  const patience = 3;
  let best = Infinity, bestEpoch = -1, expectedStop = -1;
  for (let e = 0, wait = 0; e < valLoss.length; e++) {
    wait++;
    if (valLoss[e] < best) [best, bestEpoch, wait] = [valLoss[e], e, 0];
    else if (wait >= patience && e > 0) {
      expectedStop = e;
      break;
    }
  }
  assert.ok(expectedStop > 0 && expectedStop < 39, `fixture must overfit; got ${valLoss}`);

  const model = linearModel();
  const cb = earlyStopping({ patience, restoreBestWeights: true });
  const before = tf.memory().numTensors;
  const history = await model.fit(data.xs, data.ys, {
    epochs: 40,
    batchSize: 4,
    shuffle: false,
    validationData: [data.valXs, data.valYs],
    callbacks: [cb],
    verbose: 0,
  });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(history.epoch.length, expectedStop + 1);
  assert.equal(cb.stoppedEpoch, expectedStop);
  assert.equal(cb.bestEpoch, bestEpoch);
  const restored = model.evaluate(data.valXs, data.valYs, { batchSize: 4 }) as tf.Scalar;
  assert.ok(Math.abs(restored.dataSync()[0] - valLoss[bestEpoch]) < 1e-6);
  restored.dispose();
  reference.dispose();
  model.dispose();
  data.dispose();
});

Deno.test("EarlyStopping is a tf.Callback accepted alone or in a list", async () => {
  assert.ok(new EarlyStopping() instanceof tf.Callback);
  const data = fixture();
  const model = linearModel();
  const cb = earlyStopping({ monitor: "loss", patience: 0 });
  await model.fit(data.xs, data.ys, { epochs: 2, callbacks: cb, verbose: 0 });
  model.dispose();
  data.dispose();
});
