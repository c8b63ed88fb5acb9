import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { getLearningRate } from "../../lib/core/learning_rate.ts";
import { learningRateScheduler } from "../../lib/callbacks/learning_rate_scheduler.ts";
import { stepDecay } from "../../lib/optim/schedules.ts";
import { FakeModel } from "./_fake_model.ts";
import { fixture, linearModel } from "./_fit_fixture.ts";

await tf.setBackend("cpu");

/** Drive the hooks as fit does, epochs `from … to − 1`; returns each epoch's end logs. */
async function drive(cb: tf.Callback, model: FakeModel, from: number, to: number) {
  cb.setModel(model as never);
  cb.setParams({ epochs: to, initialEpoch: from, verbose: 0 });
  await cb.onTrainBegin({});
  const logs: Array<Record<string, number>> = [];
  for (let epoch = from; epoch < to; epoch++) {
    await cb.onEpochBegin(epoch, {});
    const l: Record<string, number> = { loss: 1 };
    await cb.onEpochEnd(epoch, l);
    logs.push(l);
  }
  await cb.onTrainEnd({});
  return logs;
}

Deno.test("learningRateScheduler() sets schedule(epoch) at each epoch's start (0-based) and logs learning_rate", async () => {
  const model = new FakeModel(0.5);
  const seen: number[] = [];
  const cb = learningRateScheduler((epoch) => (seen.push(epoch), 0.1 / (epoch + 1)));
  const logs = await drive(cb, model, 0, 4);
  assert.deepEqual(seen, [0, 1, 2, 3]);
  assert.deepEqual(logs.map((l) => l.learning_rate), [0.1, 0.05, 0.1 / 3, 0.025]);
  assert.deepEqual(cb.rates.map(([e]) => e), [0, 1, 2, 3]);
  assert.equal(getLearningRate(model.optimizer, "t"), 0.025);
  model.dispose();
});

Deno.test("learningRateScheduler() passes the rate in force (Keras's schedule(epoch, lr)) and counts from initialEpoch", async () => {
  const model = new FakeModel(0.8);
  const cb = learningRateScheduler((_epoch, lr) => lr / 2);
  const logs = await drive(cb, model, 3, 6);
  assert.deepEqual(logs.map((l) => l.learning_rate), [0.4, 0.2, 0.1]);
  assert.deepEqual(cb.rates.map(([e]) => e), [3, 4, 5]);
  // a second fit starts a fresh record
  await drive(cb, model, 0, 1);
  assert.deepEqual(cb.rates, [[0, 0.05]]);
  model.dispose();
});

Deno.test("learningRateScheduler() names the epoch when the schedule returns a bad rate", async () => {
  const model = new FakeModel();
  const cb = learningRateScheduler((epoch) => (epoch === 2 ? NaN : 0.1));
  await assert.rejects(
    () => drive(cb, model, 0, 4),
    /schedule returned NaN for epoch 2 \(0-based\)/,
  );
  assert.throws(() => learningRateScheduler(0.1 as never), /`schedule` must be a function/);
  model.dispose();
});

Deno.test("learningRateScheduler() with model.fit: the real SGD step follows the schedule; verbose says so", async () => {
  const data = fixture();
  const model = linearModel(1);
  const said: string[] = [];
  // deno-lint-ignore no-console
  const original = console.log;
  // deno-lint-ignore no-console
  console.log = (msg: string) => said.push(String(msg));
  let history: tf.History;
  try {
    history = await model.fit(data.xs, data.ys, {
      epochs: 4,
      batchSize: 16,
      shuffle: false,
      verbose: 0,
      callbacks: [
        learningRateScheduler(stepDecay({ initialLearningRate: 0.1, dropEvery: 2 }), {
          verbose: 1,
        }),
      ],
    });
  } finally {
    // deno-lint-ignore no-console
    console.log = original;
  }
  assert.deepEqual(history.history.learning_rate, [0.1, 0.1, 0.05, 0.05]);
  assert.ok(
    said.some((s) => s.includes("Epoch 3: learningRateScheduler setting learning rate to 0.05.")),
    said.join("\n"),
  );
  // One full-batch step per epoch: replay it by hand with the scheduled rates.
  let [w, b] = [0, 0];
  const xs = Array.from(data.xs.dataSync()), ys = Array.from(data.ys.dataSync());
  for (const lr of [0.1, 0.1, 0.05, 0.05]) {
    const r = xs.map((x, i) => w * x + b - ys[i]);
    const gw = (2 / xs.length) * r.reduce((s, ri, i) => s + ri * xs[i], 0);
    const gb = (2 / xs.length) * r.reduce((s, ri) => s + ri, 0);
    [w, b] = [w - lr * gw, b - lr * gb];
  }
  const [kernel, bias] = model.getWeights().map((t) => t.dataSync()[0]);
  assert.ok(
    Math.abs(kernel - w) < 1e-5 && Math.abs(bias - b) < 1e-5,
    `${kernel},${bias} vs ${w},${b}`,
  );
  model.dispose();
  data.dispose();
});
