import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { historyFigure } from "../../lib/display/history_figure.ts";
import { historyData, type TrainingHistory } from "../../lib/core/history.ts";

const history = {
  loss: [1, 0.6, 0.4, 0.3, 0.25],
  val_loss: [1.1, 0.7, 0.5, 0.55, 0.6],
  acc: [0.5, 0.7, 0.8, 0.85, 0.9],
  val_acc: [0.45, 0.65, 0.75, 0.74, 0.73],
};

Deno.test("historyFigure() draws train solid and validation dashed in one colour per metric", () => {
  const fig = historyFigure(history, { bestEpoch: false });
  const lines = fig.data.filter((t) => t.legendgroup);
  assert.deepEqual(lines.map((t) => t.name), [
    "loss (train)",
    "loss (validation)",
    "acc (train)",
    "acc (validation)",
  ]);
  assert.deepEqual(lines.map((t) => t.line?.dash), ["solid", "dash", "solid", "dash"]);
  assert.equal(lines[0].line?.color, lines[1].line?.color);
  assert.notEqual(lines[0].line?.color, lines[2].line?.color);
  assert.deepEqual(lines[0].x, [1, 2, 3, 4, 5], "epochs count from 1");
  assert.deepEqual([lines[2].xaxis, lines[2].yaxis], ["x2", "y2"], "acc gets its own subplot");
});

Deno.test('historyFigure({ colorBy: "split" }) colours train and validation apart, the same in every subplot', () => {
  const fig = historyFigure(history, { bestEpoch: false, colorBy: "split" });
  const lines = fig.data.filter((t) => t.legendgroup);
  const colors = lines.map((t) => t.line?.color);
  assert.notEqual(colors[0], colors[1], "train and validation differ");
  assert.deepEqual(colors.slice(2), colors.slice(0, 2), "acc uses the same two colours as loss");
  assert.deepEqual(lines.map((t) => t.line?.dash), ["solid", "dash", "solid", "dash"]);
  // one legend entry per split, not four look-alike ones; the y titles name the metrics
  const inLegend = lines.filter((t) => t.showlegend !== false);
  assert.deepEqual(inLegend.map((t) => t.name), ["train", "validation"]);
  assert.deepEqual(lines.map((t) => t.legendgroup), ["train", "validation", "train", "validation"]);
  assert.deepEqual(
    [fig.layout.yaxis?.title?.text, fig.layout.yaxis2?.title?.text],
    ["loss", "acc"],
  );
  // one subplot keeps the metric in the name
  const one = historyFigure({ val_loss: [1, 0.5] }, { colorBy: "split" });
  assert.equal(one.data[0].name, "loss (validation)");
});

Deno.test("historyFigure() marks the best epoch of val_loss, the restored weights and the stop", () => {
  // 0-based epochs in, 1-based labels and x positions out.
  const fig = historyFigure(history, { stoppedEpoch: 4, restoredEpoch: 2 });
  const best = fig.data.find((t) => t.name?.startsWith("best"));
  assert.equal(best?.name, "best val_loss (epoch 3)");
  assert.deepEqual([best?.x, best?.y], [[3], [0.5]]);
  assert.ok(fig.data.some((t) => t.name === "restored weights (epoch 3)"));
  assert.equal(fig.layout.shapes?.length, 2, "one stop line per subplot");
  assert.equal(fig.layout.shapes?.[0].x0, 5);
  assert.ok(fig.layout.annotations?.some((a) => a.text === "early stop (epoch 5)"));
  assert.equal(fig.layout.meta?.bestEpoch, 2);
});

Deno.test("historyFigure({ stopper }) reads the stopper's epochs; one that never fired draws no stop", () => {
  const fired = historyFigure(history, {
    stopper: { stoppedEpoch: 4, bestEpoch: 2, restoredEpoch: 2 },
  });
  assert.equal(fired.layout.shapes?.[0].x0, 5);
  assert.equal(fired.layout.meta?.restoredEpoch, 2);
  const idle = historyFigure(history, { stopper: { stoppedEpoch: undefined, bestEpoch: 2 } });
  assert.deepEqual(idle.layout.shapes, []);
  assert.ok(!idle.layout.annotations?.some((a) => String(a.text).startsWith("early stop")));
});

Deno.test("historyFigure({ stopper }) stars the stopper's best epoch, not the series' extreme", () => {
  // a minDelta stopper: epoch 4's 0.499 does not beat epoch 3's 0.5 by enough
  const h = { loss: [1, 0.6, 0.4, 0.3, 0.25], val_loss: [1.1, 0.7, 0.5, 0.499, 0.6] };
  const fig = historyFigure(h, { stopper: { bestEpoch: 2, stoppedEpoch: 4 } });
  assert.equal(fig.data.find((t) => t.name?.startsWith("best"))?.name, "best val_loss (epoch 3)");
  assert.equal(fig.layout.meta?.bestEpoch, 2);
  const plain = historyFigure(h);
  assert.equal(plain.layout.meta?.bestEpoch, 3, "without a stopper: the series' minimum");
});

Deno.test("historyFigure() rejects a marker epoch the history does not have, naming it", () => {
  assert.throws(
    () => historyFigure(history, { stoppedEpoch: 5 }),
    /stoppedEpoch 5 is not an epoch of this history \(0-based: 0…4\)/,
  );
  assert.throws(
    () => historyFigure({}, { stopper: { stoppedEpoch: 0 } }),
    /stoppedEpoch 0 is not an epoch of this history \(it has no epochs yet\)/,
  );
});

Deno.test("historyFigure() marks the best epoch only when it is not the last one", () => {
  const falling = historyFigure({ loss: [1, 0.5, 0.25] });
  assert.ok(!falling.data.some((t) => t.name?.startsWith("best")), "a curve that only falls");
  assert.equal(falling.layout.meta?.bestEpoch, null);
  const asked = historyFigure({ loss: [1, 0.5, 0.25] }, { bestEpoch: 2 });
  assert.ok(asked.data.some((t) => t.name === "best loss (epoch 3)"), "unless asked");
});

Deno.test("historyFigure() judges val_auc and val_precision by the callbacks' rule (higher is better)", () => {
  const h = { loss: [1, 0.8, 0.7, 0.6], val_auc: [0.6, 0.9, 0.8, 0.7] };
  const fig = historyFigure(h, { monitor: "val_auc" });
  assert.ok(fig.data.some((t) => t.name === "best val_auc (epoch 2)"));
  const p = historyFigure({ val_precision: [0.5, 0.9, 0.6] }, { monitor: "val_precision" });
  assert.equal(p.layout.meta?.bestEpoch, 1);
});

Deno.test("historyFigure() picks the max for accuracy monitors", () => {
  const fig = historyFigure(history, { monitor: "val_acc" });
  assert.ok(fig.data.some((t) => t.name === "best val_acc (epoch 3)"));
});

Deno.test("historyFigure() logY puts losses on a log axis and leaves accuracy linear", () => {
  const fig = historyFigure(history, { logY: true });
  assert.equal(fig.layout.yaxis?.type, "log");
  assert.equal(fig.layout.yaxis2?.type, undefined);
});

Deno.test("historyFigure() shows NaN/Infinity as gaps and counts them", () => {
  const fig = historyFigure({ loss: [1, NaN, Infinity, 0.5] });
  assert.deepEqual(fig.data[0].y, [1, null, null, 0.5]);
  assert.equal(fig.layout.meta?.nonFinite, 2);
});

Deno.test("historyFigure() of an empty history is empty axes with a note", () => {
  for (const empty of [{}, { history: {}, epoch: [] }] as TrainingHistory[]) {
    const fig = historyFigure(empty);
    assert.equal(fig.data.length, 0);
    assert.ok(fig.layout.annotations?.some((a) => a.text === "No epochs recorded yet"));
  }
});

Deno.test("historyFigure() names the metrics it has when asked for an unknown one", () => {
  assert.throws(
    () => historyFigure(history, { metrics: ["mae"] }),
    /no metric "mae" in this history \(it has: loss, acc, val_loss, val_acc\)/,
  );
});

Deno.test("historyFigure() caps points per series", () => {
  const long = Array.from({ length: 50_000 }, (_, i) => 1 / (i + 1));
  const fig = historyFigure({ loss: long }, { maxPoints: 500 });
  assert.ok((fig.data[0].x?.length ?? 0) <= 500);
});

Deno.test("historyFigure() reads the History that model.fit returns", async () => {
  tf.setBackend("cpu");
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
  model.compile({ optimizer: tf.train.sgd(0.1), loss: "meanSquaredError" });
  const xs = tf.tensor2d([[0], [1], [2], [3]]);
  const ys = tf.tensor2d([[1], [3], [5], [7]]);
  const fitted = await model.fit(xs, ys, { epochs: 3, validationSplit: 0.25, verbose: 0 });
  tf.dispose([xs, ys]);
  model.dispose();
  assert.deepEqual(Object.keys(historyData(fitted).series), ["loss", "val_loss"]);
  const fig = historyFigure(fitted);
  assert.equal(fig.data.filter((t) => t.legendgroup).length, 2);
  assert.equal(fig.data[0].y?.length, 3);
});

Deno.test('historyFigure({ metrics: ["val_loss"] }) draws the validation series alone, named so', () => {
  const fig = historyFigure(history, { metrics: ["val_loss"] });
  const lines = fig.data.filter((t) => t.legendgroup);
  assert.deepEqual(lines.map((t) => t.name), ["loss (validation)"]);
  assert.equal(lines[0].line?.dash, "dash");
});
