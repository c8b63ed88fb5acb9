import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  bestEpoch,
  historyData,
  historyFromCsv,
  historyRows,
  historyToCsv,
  historyToJson,
  loadHistory,
  metricNames,
  monitorDirection,
  orderedKeys,
  readHistory,
  resolveLogs,
  saveHistory,
} from "../../lib/core/history.ts";
import { csvLogger } from "../../lib/callbacks/csv_logger.ts";
import { fixture, linearModel } from "../callbacks/_fit_fixture.ts";

await tf.setBackend("cpu");

const h = {
  epoch: [0, 1, 2],
  history: { val_loss: [0.9, 0.4, 0.6], loss: [1, 0.5, 0.3], val_acc: [0.5, 0.8, 0.7] },
};

Deno.test("bestEpoch() picks min for losses and max for accuracy", () => {
  assert.deepEqual(bestEpoch(h), {
    epoch: 1,
    index: 1,
    value: 0.4,
    metric: "val_loss",
    direction: "min",
  });
  assert.equal(bestEpoch(h, "loss").epoch, 2);
  assert.equal(bestEpoch(h, "val_acc").value, 0.8);
  assert.equal(bestEpoch(h, "loss", "max").epoch, 0);
});

Deno.test("bestEpoch() uses history.epoch (resumed runs start later) and skips NaN", () => {
  assert.equal(bestEpoch({ epoch: [5, 6, 7], history: { loss: [NaN, 2, 3] } }, "loss").epoch, 6);
});

Deno.test("bestEpoch() errors name the missing metric and list the keys", () => {
  assert.throws(
    () => bestEpoch(h, "acc"),
    /"acc" is not in the history; it has: loss, val_loss, val_acc/,
  );
  assert.throws(() => bestEpoch({ loss: [NaN] }, "loss"), /no finite value/);
  assert.throws(() => bestEpoch({ lr: [1] }, "lr"), /cannot tell/);
});

Deno.test("historyRows() orders columns epoch, train metrics, then val_", () => {
  const rows = historyRows(h);
  assert.deepEqual(Object.keys(rows[0]), ["epoch", "loss", "val_loss", "val_acc"]);
  assert.deepEqual(rows[1], { epoch: 1, loss: 0.5, val_loss: 0.4, val_acc: 0.8 });
});

Deno.test("historyToCsv() and historyToJson() export every epoch", () => {
  assert.equal(
    historyToCsv(h),
    "epoch,loss,val_loss,val_acc\n0,1,0.9,0.5\n1,0.5,0.4,0.8\n2,0.3,0.6,0.7\n",
  );
  assert.equal(historyToCsv({ loss: [NaN] }, ";"), "epoch;loss\n0;NaN\n");
  const parsed = JSON.parse(historyToJson(h));
  assert.deepEqual(parsed.epoch, [0, 1, 2]);
  assert.deepEqual(parsed.history.loss, [1, 0.5, 0.3]);
  assert.deepEqual(JSON.parse(historyToJson(parsed)), parsed, "round trip");
});

Deno.test("saveHistory() writes CSV or JSON from a real fit's History", async () => {
  const data = fixture();
  const model = linearModel();
  const history = await model.fit(data.xs, data.ys, {
    epochs: 3,
    verbose: 0,
    validationData: [data.valXs, data.valYs],
  });
  const dir = await Deno.makeTempDir();
  await saveHistory(history, `${dir}/h.csv`);
  await saveHistory(history, `${dir}/h.json`);
  assert.equal((await Deno.readTextFile(`${dir}/h.csv`)).split("\n")[0], "epoch,loss,val_loss");
  assert.deepEqual(
    JSON.parse(await Deno.readTextFile(`${dir}/h.json`)).history.loss,
    history.history.loss,
  );
  await assert.rejects(
    () => saveHistory(history, `${dir}/no/such/h.csv`),
    /saveHistory: cannot write/,
  );
  model.dispose();
  data.dispose();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("monitorDirection() auto: losses and val_ losses minimise", () => {
  for (const key of ["loss", "val_loss", "mse", "val_meanSquaredError", "binaryCrossentropy"]) {
    assert.equal(monitorDirection(key, "auto"), "min", key);
  }
});

Deno.test("monitorDirection() auto: acc, accuracy, auc, precision and val_ variants maximise", () => {
  for (
    const key of [
      "acc",
      "val_acc",
      "accuracy",
      "val_accuracy",
      "categoricalAccuracy",
      "auc",
      "val_auc",
      "val_precision",
      "recall",
    ]
  ) {
    assert.equal(monitorDirection(key, "auto"), "max", key);
  }
});

Deno.test("monitorDirection() auto: an unknown direction is an error naming the key", () => {
  assert.throws(
    () => monitorDirection("lr", "auto", "earlyStopping"),
    /earlyStopping.*"lr".*mode: "min"/,
  );
});

Deno.test("monitorDirection() rejects an unknown mode, naming it", () => {
  assert.throws(
    () => monitorDirection("loss", "down" as "min", "reduceLROnPlateau"),
    /reduceLROnPlateau: unknown mode "down"/,
  );
});

Deno.test("orderedKeys() and metricNames(): loss first, train before val_, stable", () => {
  assert.deepEqual(orderedKeys(["val_acc", "acc", "val_loss", "loss", "val_extra"]), [
    "loss",
    "acc",
    "val_loss",
    "val_acc",
    "val_extra",
  ]);
  assert.deepEqual(metricNames(["val_acc", "acc", "val_loss", "loss"]), ["loss", "acc"]);
  assert.deepEqual(metricNames({ val_loss: [1] }), ["loss"], "a val_ key alone names its metric");
});

Deno.test("historyData() pads short series with NaN and keeps history.epoch", () => {
  const data = historyData({ epoch: [3, 4], history: { loss: [1, 0.5], val_loss: [2] } });
  assert.deepEqual(data.epochs, [3, 4]);
  assert.deepEqual(data.series.val_loss, [2, NaN]);
});

Deno.test("historyData() refuses tensors (naming readHistory) and non-numbers", () => {
  const t = tf.scalar(1);
  assert.throws(() => historyData({ loss: [t] }), /"loss" holds tensors.*await readHistory/);
  assert.throws(
    () => historyData({ loss: ["x" as unknown as number] }),
    /"loss" holds "x", which is not a number/,
  );
  assert.throws(() => historyData(undefined as never), /expected a History.*got undefined/);
  t.dispose();
});

Deno.test("readHistory() reads scalar tensors asynchronously", async () => {
  const values = [tf.scalar(1), tf.scalar(0.25)];
  const data = await readHistory({ history: { loss: values } });
  assert.deepEqual(data, { epochs: [0, 1], series: { loss: [1, 0.25] } });
  values.forEach((v) => v.dispose());
});

Deno.test("resolveLogs() reads scalar tensors into numbers in place and disposes them", async () => {
  const before = tf.memory().numTensors;
  const logs = { loss: tf.scalar(0.5), acc: 0.75 };
  const resolved = await resolveLogs(logs);
  assert.equal(resolved, logs);
  assert.deepEqual(resolved, { loss: 0.5, acc: 0.75 });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(await resolveLogs(undefined), {});
});

Deno.test("historyFromCsv() reads back historyToCsv exactly, NaN and Infinity included", () => {
  const h2 = { epoch: [0, 1, 2], history: { loss: [1, NaN, Infinity], val_loss: [0.1, 0.2, 0.3] } };
  assert.deepEqual(historyFromCsv(historyToCsv(h2)), h2);
  assert.deepEqual(historyFromCsv("epoch,loss\n0,NA\n").history.loss, [NaN]);
  assert.throws(() => historyFromCsv("loss\n1\n"), /no "epoch" column/);
  assert.throws(() => historyFromCsv("epoch,loss\n0,abc\n"), /line 2, column "loss": "abc"/);
});

Deno.test("loadHistory() reads what csvLogger wrote during a real fit", async () => {
  const data = fixture();
  const model = linearModel();
  const dir = await Deno.makeTempDir();
  const history = await model.fit(data.xs, data.ys, {
    epochs: 3,
    verbose: 0,
    validationData: [data.valXs, data.valYs],
    callbacks: [csvLogger(`${dir}/log.csv`)],
  });
  const loaded = await loadHistory(`${dir}/log.csv`);
  assert.deepEqual(loaded.epoch, history.epoch);
  assert.deepEqual(loaded.history.loss, history.history.loss);
  assert.deepEqual(loaded.history.val_loss, history.history.val_loss);
  await saveHistory(history, `${dir}/h.json`);
  assert.deepEqual((await loadHistory(`${dir}/h.json`)).history.loss, history.history.loss);
  await Deno.writeTextFile(`${dir}/bad.json`, "{");
  await assert.rejects(() => loadHistory(`${dir}/bad.json`), /is not a saved history/);
  await assert.rejects(() => loadHistory(`${dir}/none.csv`), /cannot read/);
  model.dispose();
  data.dispose();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("bestIndex() skips non-finite values and keeps the first of ties", async () => {
  const { bestIndex } = await import("../../lib/core/history.ts");
  assert.equal(bestIndex([3, NaN, 1, 2, 1], "min"), 2);
  assert.equal(bestIndex([3, NaN, 1, 2], "max"), 0);
  assert.equal(bestIndex([NaN], "min"), -1);
});
