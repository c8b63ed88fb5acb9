import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  histogram,
  histogramFigure,
  layerWeights,
  weightHistogramFigure,
} from "@lib/display/histogram_figure.ts";

Deno.test("histogram() counts into equal bins, right edge inclusive, non-finite apart", () => {
  const h = histogram([0, 0.5, 1, 1, 2, NaN, Infinity], 2);
  assert.deepEqual(h.edges, [0, 1, 2]);
  assert.deepEqual(h.counts, [2, 3]);
  assert.equal(h.nonFinite, 2);
  assert.equal(h.total, 5);
  assert.throws(() => histogram([1], 0), /bins must be a positive integer, got 0/);
});

Deno.test("histogram() of one repeated value or no values still has bins", () => {
  assert.deepEqual(histogram([3, 3], 1).counts, [2]);
  assert.deepEqual(histogram([], 2).counts, [0, 0]);
});

Deno.test("histogramFigure() sends bin counts, not values, so a million values stay small", () => {
  const values = Float32Array.from({ length: 1_000_000 }, (_, i) => Math.sin(i));
  const fig = histogramFigure(values, { bins: 50 });
  assert.equal(fig.data[0].y?.length, 50);
  assert.equal((fig.data[0].y as number[]).reduce((a, b) => a + b, 0), 1_000_000);
  assert.ok(JSON.stringify(fig).length < 5_000);
});

Deno.test("histogramFigure() overlays named series on shared bins", () => {
  const fig = histogramFigure({ a: [0, 1, 2], b: [2, 3, 4] }, { bins: 4 });
  assert.deepEqual(fig.data.map((t) => t.name), ["a", "b"]);
  assert.deepEqual(fig.data[0].x, fig.data[1].x);
  assert.equal(fig.layout.barmode, "overlay");
});

Deno.test("weightHistogramFigure(await layerWeights(model)) draws one subplot per layer with kernel weights", async () => {
  await tf.setBackend("cpu");
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, inputShape: [4], name: "hidden" }),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: 2, name: "out" }),
    ],
  });
  const layers = await layerWeights(model);
  const withBias = await layerWeights(model, { includeBias: true });
  model.dispose();
  assert.deepEqual(layers.map((l) => [l.name, l.values.length]), [["hidden", 32], ["out", 16]]);
  assert.deepEqual(withBias.map((l) => l.values.length), [40, 18]);
  const fig = weightHistogramFigure(layers, { bins: 10 });
  assert.equal(fig.data.length, 2, "dropout has no weights");
  assert.match(fig.data[0].name ?? "", /^hidden: 32 weights, std /);
  assert.equal((fig.data[1].y as number[]).reduce((a, b) => a + b, 0), 16);
  assert.deepEqual([fig.data[1].xaxis, fig.data[1].yaxis], ["x2", "y2"]);
  assert.deepEqual(fig.layout.meta?.layers, ["hidden", "out"]);
});

Deno.test("weightHistogramFigure() given a model says to read its weights with layerWeights()", () => {
  const model = { layers: [] } as unknown as Parameters<typeof weightHistogramFigure>[0];
  assert.throws(() => weightHistogramFigure(model), /await layerWeights\(model\)/);
});

Deno.test("histogramFigure() names a missing series and a range that is not [lo, hi]", () => {
  assert.throws(
    () => histogramFigure(undefined as unknown as number[]),
    /histogramFigure\(values\): values is undefined, expected an array of numbers, or \{ name: numbers \}/,
  );
  assert.throws(
    () => histogramFigure({ a: [1, 2], b: undefined as unknown as number[] }),
    /histogramFigure\(values\): values\["b"\] is undefined, expected an array of numbers/,
  );
  assert.throws(
    () => histogramFigure([1, 2], { range: [0] as unknown as [number, number] }),
    /histogramFigure\(values, options\): options\.range is an array of 1 \(0\), expected \[lo, hi\]: two finite numbers/,
  );
  assert.throws(
    () =>
      weightHistogramFigure([{ name: "dense" } as unknown as { name: string; values: number[] }]),
    /weightHistogramFigure\(layers\): layers\[0\]\.values is undefined/,
  );
});

Deno.test("weightHistogramFigure({ sharedBins, logCount }) bins every layer on one range and logs the counts", () => {
  const layers = [{ name: "a", values: [0, 0.1, 0.2] }, { name: "b", values: [-1, 0, 3] }];
  const fig = weightHistogramFigure(layers, { bins: 4, sharedBins: true, logCount: true });
  assert.deepEqual(fig.data[0].x, fig.data[1].x, "same bin centres");
  assert.deepEqual(fig.layout.xaxis?.range, [-1, 3]);
  assert.deepEqual(fig.layout.xaxis2?.range, [-1, 3]);
  assert.deepEqual([fig.layout.yaxis?.type, fig.layout.yaxis2?.type], ["log", "log"]);
  const own = weightHistogramFigure(layers, { bins: 4 });
  assert.notDeepEqual(own.data[0].x, own.data[1].x, "by default each layer has its own bins");
  assert.equal(own.layout.yaxis?.type, undefined);
});
