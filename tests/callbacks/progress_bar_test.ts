import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { progressBar, renderProgress } from "../../lib/callbacks/progress_bar.ts";
import { fixture, linearModel } from "./_fit_fixture.ts";

await tf.setBackend("cpu");

/** Capture console.log (where display() prints outside a kernel). */
async function captureLog(fn: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  // deno-lint-ignore no-console
  const original = console.log;
  // deno-lint-ignore no-console
  console.log = (msg: string) => lines.push(msg);
  try {
    await fn();
  } finally {
    // deno-lint-ignore no-console
    console.log = original;
  }
  return lines;
}

Deno.test("renderProgress() draws bar, counts, ETA and metrics", () => {
  assert.equal(
    renderProgress(
      {
        epoch: 0,
        epochs: 2,
        batch: 5,
        batches: 10,
        elapsedMs: 1000,
        logs: { loss: 0.5 },
        done: false,
      },
      10,
    ),
    "Epoch 1/2   5/10 [====>.....] ETA 1s  loss: 0.5000",
  );
  assert.equal(
    renderProgress(
      {
        epoch: 1,
        epochs: 2,
        batch: 10,
        batches: 10,
        elapsedMs: 83_000,
        logs: { loss: 0.00012, val_loss: 2, batch: 9, size: 4 },
        done: true,
      },
      10,
    ),
    "Epoch 2/2  10/10 [==========] 1m23s  loss: 1.200e-4  val_loss: 2.0000",
  );
  assert.equal(
    renderProgress({
      epoch: 0,
      epochs: 1,
      batch: 0,
      batches: 4,
      elapsedMs: 0,
      logs: {},
      done: false,
    }, 4),
    "Epoch 1/1  0/4 [....] 0s",
  );
  assert.equal(
    renderProgress({
      epoch: 0,
      epochs: 1,
      batch: 7,
      batches: undefined,
      elapsedMs: 2000,
      logs: {},
      done: true,
    }),
    "Epoch 1/1  7 batches 2s",
  );
});

Deno.test("progressBar() lines mode prints exactly one line per epoch", async () => {
  const data = fixture();
  const model = linearModel();
  const bar = progressBar({ mode: "lines" });
  const lines = await captureLog(() =>
    model.fit(data.xs, data.ys, {
      epochs: 3,
      batchSize: 4,
      validationData: [data.valXs, data.valYs],
      verbose: 0,
      callbacks: [bar],
    })
  );
  assert.equal(lines.length, 3);
  assert.match(
    lines[2],
    /^Epoch 3\/3 {2}4\/4 \[=+\] \d+s {2}loss: \d\.\d{4} {2}val_loss: \d\.\d{4}$/,
  );
  model.dispose();
  data.dispose();
});

Deno.test("progressBar() notebook mode is throttled: updates by the clock, plus one per epoch", async () => {
  const data = fixture();
  const model = linearModel();
  let t = 0;
  // Each clock read advances 5 ms; with throttleMs 50 about every 9th batch draws.
  const bar = progressBar({ mode: "notebook", throttleMs: 50, now: () => (t += 5) });
  const xs = tf.tile(data.xs, [8, 1]);
  const ys = tf.tile(data.ys, [8, 1]);
  const lines = await captureLog(() =>
    model.fit(xs, ys, { epochs: 2, batchSize: 4, verbose: 0, callbacks: [bar] })
  );
  // 32 batches per epoch: without throttling that would be 64 updates.
  assert.ok(bar.renders >= 4 && bar.renders <= 16, `renders: ${bar.renders}`);
  assert.equal(lines.length, bar.renders);
  // The final output holds one summary line per epoch.
  const last = lines.at(-1)!.split("\n");
  assert.equal(last.length, 2);
  assert.match(last[0], /^Epoch 1\/2 {2}32\/32 \[=+\]/);
  assert.match(last[1], /^Epoch 2\/2 {2}32\/32 \[=+\]/);
  tf.dispose([xs, ys]);
  model.dispose();
  data.dispose();
});

Deno.test("progressBar() leaks no tensors and rejects bad options", async () => {
  const data = fixture();
  const model = linearModel();
  const before = tf.memory().numTensors;
  await captureLog(() =>
    model.fit(data.xs, data.ys, {
      epochs: 2,
      batchSize: 2,
      verbose: 0,
      callbacks: [progressBar({ mode: "notebook", throttleMs: 0 })],
    })
  );
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => progressBar({ mode: "html" as "lines" }), /progressBar: unknown mode "html"/);
  assert.throws(() => progressBar({ width: 0 }), /`width`/);
  assert.throws(() => progressBar({ throttleMs: -1 }), /`throttleMs`/);
  model.dispose();
  data.dispose();
});
