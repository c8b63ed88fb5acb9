import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  bestEpoch,
  historyRows,
  historyTable,
  historyToCsv,
  historyToJson,
  saveHistory,
} from "../../lib/callbacks/history.ts";
import { JUPYTER_DISPLAY } from "../../lib/core/output.ts";
import { fixture, linearModel } from "./_fit_fixture.ts";

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
    /"acc" is not in the history; it has: val_loss, loss, val_acc/,
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
  assert.equal(historyToCsv({ loss: [NaN] }, ";"), "epoch;loss\n0;NA\n");
  const parsed = JSON.parse(historyToJson(h));
  assert.deepEqual(parsed.epoch, [0, 1, 2]);
  assert.deepEqual(parsed.history.loss, [1, 0.5, 0.3]);
  assert.deepEqual(JSON.parse(historyToJson(parsed)), parsed, "round trip");
});

Deno.test("historyTable() shows 1-based epochs, marks the best, and has an HTML bundle", () => {
  const table = historyTable(h, { digits: 2 });
  assert.equal(
    String(table),
    [
      "epoch   loss  val_loss  val_acc",
      "    1  1.00      0.90     0.50 ",
      "    2  0.50      0.40*    0.80*",
      "    3  0.30*     0.60     0.70 ",
    ].join("\n"),
  );
  const bundle = table[JUPYTER_DISPLAY]();
  assert.match(bundle["text/html"] as string, /<th>val_loss<\/th>.*<b>0\.40<\/b>/);
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
