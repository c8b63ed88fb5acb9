import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { TrainingCallback } from "../../lib/callbacks/training_callback.ts";
import { fixture, linearModel } from "./_fit_fixture.ts";

await tf.setBackend("cpu");

class Probe extends TrainingCallback {
  completed: boolean[] = [];
  override onEpochEnd(): Promise<void> {
    this.completed.push(this.epochCompleted());
    return Promise.resolve();
  }
}

Deno.test("TrainingCallback.epochCompleted() is false only for an epoch cut short mid-way", async () => {
  const data = fixture();
  const model = linearModel();
  const probe = new Probe();
  let batches = 0;
  await model.fit(data.xs, data.ys, {
    epochs: 3,
    batchSize: 4,
    verbose: 0,
    callbacks: [
      probe,
      new (class extends tf.Callback {
        override onBatchEnd(): Promise<void> {
          // 4 batches per epoch: stop after the 2nd batch of epoch 2.
          if (++batches === 6) this.model.stopTraining = true;
          return Promise.resolve();
        }
      })(),
    ],
  });
  assert.deepEqual(probe.completed, [true, false]);
  model.dispose();
  data.dispose();
});

Deno.test("TrainingCallback accepts a test double as its model (no instanceof check)", () => {
  const probe = new Probe();
  const fake = { stopTraining: false };
  probe.setModel(fake as never);
  assert.equal(probe.model as unknown, fake);
});
