import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { liveCurves, type OutputSink } from "../../lib/callbacks/live_curves.ts";
import { earlyStopping } from "../../lib/callbacks/early_stopping.ts";
import { markPlotlySent } from "@lib/display/plotly_js.ts";
import { PLOTLY_MIME } from "@lib/display/plot.ts";
import type { DisplayOptions, MimeBundle } from "@lib/core/output.ts";

function recorder() {
  const sent: Array<{ bundle: MimeBundle; options: DisplayOptions }> = [];
  const sink: OutputSink = (bundle, options) => {
    sent.push({ bundle, options });
    return Promise.resolve();
  };
  return { sent, sink };
}

/** A clock that advances `step` ms per reading. */
function clock(step: number) {
  let t = 0;
  return () => (t += step);
}

async function fitLine(callback: ReturnType<typeof liveCurves>, epochs: number, batchSize = 4) {
  tf.setBackend("cpu");
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
  model.compile({ optimizer: tf.train.sgd(0.05), loss: "meanSquaredError" });
  const xs = tf.tensor2d([...Array(16).keys()].map((i) => [i / 16]));
  const ys = xs.mul(2).add(1);
  const history = await model.fit(xs, ys, {
    epochs,
    batchSize,
    validationSplit: 0.25,
    verbose: 0,
    callbacks: [callback],
  });
  tf.dispose([xs, ys]);
  model.dispose();
  return history;
}

Deno.test("liveCurves() shows one output, updates it in place each epoch, ends with a full frame", async () => {
  markPlotlySent(false);
  const { sent, sink } = recorder();
  const live = liveCurves({ sink, throttleMs: 0, displayId: "run-1" });
  const history = await fitLine(live, 4);
  assert.equal(sent.length, 1 + 4 + 1, "first frame + one update per epoch + final frame");
  assert.deepEqual(sent.map((s) => s.options), [
    { displayId: "run-1", update: false },
    ...Array(5).fill({ displayId: "run-1", update: true }),
  ]);
  const updates = sent.slice(1, -1).map((s) => s.bundle);
  for (const u of updates) {
    assert.deepEqual(Object.keys(u).sort(), [PLOTLY_MIME, "image/svg+xml", "text/plain"].sort());
  }
  assert.match(updates[3]["text/plain"] as string, /^Training… epoch 4\n/);
  const final = sent[sent.length - 1].bundle;
  assert.ok(
    (final["text/html"] as string).length > 1_000_000,
    "the final frame carries plotly.js once",
  );
  assert.deepEqual(live.history.loss, history.history.loss);
  assert.deepEqual(live.history.val_loss, history.history.val_loss);
  assert.equal(live.stats().sent, 6);
  markPlotlySent(false);
});

Deno.test('liveCurves({ colorBy: "split" }) passes the colouring to its figure', async () => {
  markPlotlySent(true);
  const { sent, sink } = recorder();
  await fitLine(liveCurves({ sink, throttleMs: 0, colorBy: "split" }), 2);
  const fig = sent.at(-1)!.bundle[PLOTLY_MIME] as { data: { line?: { color?: string } }[] };
  assert.notEqual(fig.data[0].line?.color, fig.data[1].line?.color);
  markPlotlySent(false);
});

Deno.test("liveCurves() throttles updates by its clock and always sends the final frame", async () => {
  markPlotlySent(true);
  const { sent, sink } = recorder();
  // Each clock reading advances 40 ms; updates need 250 ms, so most epochs are skipped.
  const live = liveCurves({ sink, now: clock(40), throttleMs: 250 });
  await fitLine(live, 20);
  const stats = live.stats();
  assert.ok(stats.throttled > 0, "some epochs were throttled");
  assert.equal(sent.length, stats.sent);
  assert.equal(stats.sent + stats.throttled, 1 + 20 + 1);
  const final = sent[sent.length - 1].bundle;
  assert.match(
    final["text/plain"] as string,
    /loss \(train\): 20 points/,
    "the final frame has every epoch",
  );
  assert.ok(
    !(final["text/html"] as string).includes("window.Plotly = Plotly"),
    "library already sent",
  );
  markPlotlySent(false);
});

Deno.test("liveCurves() batches: true plots every batch loss on a fractional-epoch axis", async () => {
  const { sent, sink } = recorder();
  const live = liveCurves({ sink, throttleMs: 0, batches: true });
  await fitLine(live, 2, 4); // 12 training samples / 4 = 3 batches per epoch
  const fig = live.figure();
  assert.equal(fig.data[0].name, "loss (batch)");
  assert.deepEqual(fig.data[0].x, [0.3333, 0.6667, 1, 1.3333, 1.6667, 2]);
  assert.equal(sent.length, 1 + 6 + 2 + 1, "updates on batch and epoch ends");
});

/** A line fit whose validation loss stops improving: y = 2x + 1 on [0, 1], 30 epochs. */
async function fitWith(callbacks: tf.CustomCallbackArgs[] | tf.Callback[], epochs = 30) {
  tf.setBackend("cpu");
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: "zeros" })],
  });
  model.compile({ optimizer: tf.train.sgd(0.5), loss: "meanSquaredError" });
  const xs = tf.tensor2d([...Array(16).keys()].map((i) => [i / 16]));
  const ys = xs.mul(2).add(1).add(tf.randomNormal([16, 1], 0, 0.3, "float32", 7));
  const history = await model.fit(xs, ys, {
    epochs,
    batchSize: 4,
    validationSplit: 0.25,
    verbose: 0,
    callbacks: callbacks as tf.Callback[],
  });
  tf.dispose([xs, ys]);
  return { model, history };
}

Deno.test("liveCurves({ stopper }) marks the stopper's stop, best and restored epochs (0-based API, 1-based labels)", async () => {
  for (const order of ["stopper first", "dashboard first"] as const) {
    const { sent, sink } = recorder();
    const stopper = earlyStopping({ patience: 2, restoreBestWeights: true });
    const live = liveCurves({ sink, throttleMs: 0, stopper });
    const { model, history } = await fitWith(
      order === "stopper first" ? [stopper, live] : [live, stopper],
    );
    model.dispose();
    assert.ok(stopper.stoppedEpoch !== undefined, `${order}: the stopper fired`);
    assert.equal(history.epoch.length, stopper.stoppedEpoch! + 1);
    const fig = live.figure();
    assert.equal(fig.layout.shapes?.[0].x0, stopper.stoppedEpoch! + 1, order);
    assert.equal(fig.layout.meta?.stoppedEpoch, stopper.stoppedEpoch, order);
    assert.equal(fig.layout.meta?.restoredEpoch, stopper.bestEpoch, order);
    const label = `early stop (epoch ${stopper.stoppedEpoch! + 1})`;
    assert.ok(fig.layout.annotations?.some((a) => a.text === label), order);
    const final = sent[sent.length - 1].bundle["text/plain"] as string;
    assert.match(final, new RegExp(`restored weights \\(epoch ${stopper.bestEpoch! + 1}\\)`));
  }
});

Deno.test("liveCurves({ stopper }) draws no stop marker when the stopper never fired", async () => {
  const { sink } = recorder();
  const stopper = earlyStopping({ patience: 1000 });
  const live = liveCurves({ sink, throttleMs: 0, stopper });
  const { model } = await fitWith([stopper, live], 5);
  model.dispose();
  assert.equal(stopper.stoppedEpoch, undefined);
  const fig = live.figure();
  assert.deepEqual(fig.layout.shapes, []);
  assert.ok(!fig.layout.annotations?.some((a) => String(a.text).startsWith("early stop")));
});

Deno.test("liveCurves() given another model's stopper says so and draws no markers", async () => {
  const { sink } = recorder();
  const stopper = earlyStopping({ patience: 1 });
  const other = await fitWith([stopper], 8);
  other.model.dispose();
  assert.ok(stopper.stoppedEpoch !== undefined);
  const live = liveCurves({ sink, throttleMs: 0, stopper });
  const { model } = await fitWith([live], 3);
  model.dispose();
  const fig = live.figure();
  assert.deepEqual(fig.layout.shapes, []);
  assert.ok(fig.layout.annotations?.some((a) => /attached to another model/.test(String(a.text))));
});

Deno.test("liveCurves() given a stopper whose epoch is out of range says so", async () => {
  const { sink } = recorder();
  const live = liveCurves({ sink, throttleMs: 0, stopper: { stoppedEpoch: 9 } });
  await live.onTrainBegin();
  await live.onEpochEnd(0, { loss: 1, val_loss: 1 });
  await live.onEpochEnd(1, { loss: 0.5, val_loss: 0.7 });
  await live.onTrainEnd();
  const fig = live.figure();
  assert.deepEqual(fig.layout.shapes, []);
  assert.ok(
    fig.layout.annotations?.some((a) =>
      /stoppedEpoch \(9\) is not an epoch of this run \(0…1\)/.test(String(a.text))
    ),
  );
});

Deno.test("liveCurves() with an unknown metric shows the message and lets training finish", async () => {
  const { sent, sink } = recorder();
  const live = liveCurves({ sink, throttleMs: 0, metrics: ["acc"] });
  const history = await fitLine(live, 3);
  assert.equal(history.history.loss.length, 3, "training was not interrupted");
  assert.match(live.stats().error ?? "", /no metric "acc" in this history/);
  assert.match(
    sent[sent.length - 1].bundle["text/plain"] as string,
    /^liveCurves: historyFigure\(\): no metric "acc"/,
  );
});

Deno.test("liveCurves() keeps every update small on a 500-epoch run", async () => {
  const { sink } = recorder();
  const live = liveCurves({ sink, throttleMs: 0 });
  await live.onTrainBegin();
  for (let e = 0; e < 500; e++) {
    await live.onEpochEnd(e, { loss: 1 / (e + 1), val_loss: 1.2 / (e + 1) });
  }
  await live.onTrainEnd();
  assert.ok(live.stats().maxUpdateBytes < 150_000, `${live.stats().maxUpdateBytes} bytes`);
});

Deno.test("liveCurves() resets between fit calls", async () => {
  const { sent, sink } = recorder();
  const live = liveCurves({ sink, throttleMs: 0 });
  await fitLine(live, 2);
  await fitLine(live, 3);
  assert.equal(live.history.loss.length, 3);
  const ids = new Set(sent.map((s) => s.options.displayId));
  assert.equal(ids.size, 2, "each run gets its own output");
});

Deno.test("liveCurves() works before or after a tf.Callback, or behind a plain hook object", async () => {
  for (const order of ["after", "before", "plain"] as const) {
    const { sent, sink } = recorder();
    const live = liveCurves({ sink, throttleMs: 0 });
    const stopper = tf.callbacks.earlyStopping({ monitor: "val_loss", patience: 100 });
    tf.setBackend("cpu");
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    model.compile({ optimizer: tf.train.sgd(0.05), loss: "meanSquaredError" });
    const xs = tf.tensor2d([[0], [0.25], [0.5], [0.75]]);
    const ys = xs.mul(2);
    const history = await model.fit(xs, ys, {
      epochs: 3,
      batchSize: 2,
      validationSplit: 0.25,
      verbose: 0,
      callbacks: order === "after"
        ? [stopper, live]
        : order === "before"
        ? [live, stopper]
        : [{ onEpochEnd: () => {} }, live],
    });
    tf.dispose([xs, ys]);
    model.dispose();
    assert.deepEqual(live.history.loss, history.history.loss, order);
    assert.deepEqual(live.history.val_loss, history.history.val_loss, order);
    assert.equal(sent.length, 5, order);
  }
});
