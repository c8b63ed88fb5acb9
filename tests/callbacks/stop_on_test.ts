import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { stopOn, stopOnInterrupt } from "../../lib/callbacks/stop_on.ts";
import { callbackList } from "../../lib/callbacks/callback_list.ts";
import { earlyStopping } from "../../lib/callbacks/early_stopping.ts";
import { csvLogger } from "../../lib/callbacks/csv_logger.ts";
import { fixture, linearModel, weightsOf } from "./_fit_fixture.ts";
import { killChild } from "../_kill.ts";

await tf.setBackend("cpu");

const args = (data: ReturnType<typeof fixture>) => ({
  batchSize: 4,
  shuffle: false,
  validationData: [data.valXs, data.valYs] as [tf.Tensor, tf.Tensor],
  verbose: 0 as const,
});

Deno.test("stopOn() ends fit at the next batch boundary with the model consistent", async () => {
  const data = fixture();
  // Reference: weights after every batch of an uninterrupted run.
  const reference = linearModel();
  const after: number[][] = [];
  await reference.fit(data.xs, data.ys, {
    ...args(data),
    epochs: 3,
    callbacks: { onBatchEnd: () => void after.push(weightsOf(reference)) },
  });
  const model = linearModel();
  const controller = new AbortController();
  let seen = 0;
  const stop = stopOn(controller.signal, { verbose: 0 });
  const history = await model.fit(data.xs, data.ys, {
    ...args(data),
    epochs: 3,
    callbacks: callbackList(
      { onBatchEnd: () => void (++seen === 6 && controller.abort()) },
      stop,
    ),
  });
  // 4 batches per epoch: the 6th batch is batch 2 of epoch 2.
  assert.equal(seen, 6);
  assert.deepEqual(stop.stoppedAt, [1, 2]);
  assert.equal(history.epoch.length, 2);
  assert.deepEqual(weightsOf(model), after[5]);
  reference.dispose();
  model.dispose();
  data.dispose();
});

Deno.test("stopOn() runs every onTrainEnd: earlyStopping restores, csvLogger skips the partial epoch", async () => {
  const data = fixture();
  const file = await Deno.makeTempFile({ suffix: ".csv" });
  const model = linearModel();
  const controller = new AbortController();
  const stopper = earlyStopping({ patience: 100, restoreBestWeights: true });
  let epochs = 0;
  let bestWeights: number[] = [];
  let best = Infinity;
  await model.fit(data.xs, data.ys, {
    ...args(data),
    epochs: 30,
    callbacks: callbackList(
      stopOn(controller.signal, { verbose: 0 }),
      {
        onEpochEnd: (_e, logs) => {
          if (logs!.val_loss < best) [best, bestWeights] = [logs!.val_loss, weightsOf(model)];
          if (++epochs === 12) controller.abort();
        },
        onBatchEnd: () => void (epochs === 12 && controller.abort()),
      },
      stopper,
      csvLogger(file),
    ),
  });
  // Aborted during epoch 13 (index 12): its first batch ran, then fit stopped.
  assert.deepEqual(weightsOf(model), bestWeights);
  const rows = (await Deno.readTextFile(file)).trimEnd().split("\n");
  assert.equal(rows.length, 1 + 12, "12 completed epochs, no row for the partial one");
  model.dispose();
  data.dispose();
  await Deno.remove(file);
});

Deno.test("stopOn() with an already-aborted signal stops after the first batch", async () => {
  const data = fixture();
  const model = linearModel();
  const stop = stopOn(AbortSignal.abort(), { verbose: 0 });
  const history = await model.fit(data.xs, data.ys, {
    ...args(data),
    epochs: 5,
    callbacks: [stop],
  });
  assert.equal(history.epoch.length, 1);
  assert.deepEqual(stop.stoppedAt, [0, 1]);
  assert.throws(() => stopOn("stop" as unknown as AbortSignal), /stopOn: expected an AbortSignal/);
  model.dispose();
  data.dispose();
});

Deno.test("stopOn(AbortSignal.timeout) fires during a fit that has only tf.Callbacks", async () => {
  const data = fixture();
  const model = linearModel();
  const stop = stopOn(AbortSignal.timeout(300), { verbose: 0 });
  const t0 = performance.now();
  const history = await model.fit(data.xs, data.ys, {
    epochs: 1_000_000,
    batchSize: 4,
    verbose: 0,
    callbacks: [stop],
  });
  const seconds = (performance.now() - t0) / 1000;
  assert.ok(seconds < 5, `stopped after ${seconds}s`);
  assert.ok(history.epoch.length > 1);
  assert.ok(stop.stoppedAt !== undefined);
  model.dispose();
  data.dispose();
});

Deno.test(
  "stopOnInterrupt() a real SIGINT ends fit cleanly in a subprocess (exit 0, onTrainEnd ran)",
  {
    ignore: Deno.build.os === "windows",
  },
  async () => {
    const { status, stdout, stderr } = await killChild(
      new URL("./_interrupt_child.ts", import.meta.url),
      [],
      { when: { stdout: "training\n" }, signal: "SIGINT", delayMs: 200 },
    );
    assert.equal(status.code, 0, `child output: ${stdout}${stderr}`);
    const summary = JSON.parse(stdout.trim().split("\n").at(-1)!);
    assert.equal(summary.trainEnd, true);
    assert.equal(summary.finite, true);
    assert.ok(summary.batches > 1);
    assert.ok(Array.isArray(summary.stoppedAt));
  },
);

Deno.test("stopOnInterrupt() removes its SIGINT listener after fit outside a kernel", async () => {
  const data = fixture();
  const model = linearModel();
  const stop = stopOnInterrupt({ verbose: 0 });
  await model.fit(data.xs, data.ys, { epochs: 1, verbose: 0, callbacks: [stop] });
  await model.fit(data.xs, data.ys, { epochs: 1, verbose: 0, callbacks: [stop] });
  assert.equal(stop.stoppedAt, undefined);
  model.dispose();
  data.dispose();
});
