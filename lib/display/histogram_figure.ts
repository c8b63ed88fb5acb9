/**
 * Histograms: of any values, and of a model's weights layer by layer (the
 * regularisation lessons: L2 pulls weights towards zero, dropout does not).
 * Bins are counted here, so a figure carries `bins` bars however many values there are.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { Figure, Trace } from "./figure.ts";
import { COLORWAY, roundValue, withAlpha } from "./figure.ts";
import { subplotAxes, subplotGrid } from "./_subplots.ts";
import { checkArray, checkRange, describe } from "./_check.ts";
import { finiteExtent } from "./_extent.ts";

/** Bin edges and counts of {@linkcode histogram}. */
export interface Histogram {
  /** `bins + 1` edges, ascending. */
  edges: number[];
  /** Values per bin (the last bin includes its right edge). */
  counts: number[];
  /** Values that were NaN or ±Infinity (not counted in any bin). */
  nonFinite: number;
  /** Finite values counted. */
  total: number;
}

/**
 * Count values into equal-width bins.
 *
 * @param values The values; non-finite ones are skipped and counted apart.
 * @param bins Number of bins. @default {30}
 * @param range `[lo, hi]` of the bins. @default {the finite values' min and max}
 * @returns Edges, counts and how many values were skipped.
 * @throws When `values` is not an array, `bins` is not a positive integer or `range` is not
 *   two numbers.
 * @example
 * ```ts
 * import { histogram } from "@lib/display/mod.ts";
 * console.log(histogram([0, 1, 1, 2, NaN], 2).counts); // [ 1, 3 ]
 * ```
 */
export function histogram(
  values: ArrayLike<number>,
  bins = 30,
  range?: [number, number],
): Histogram {
  checkArray(values, "histogram(values): values", "an array of numbers");
  if (range !== undefined) checkRange(range, "histogram(values, bins, range): range");
  if (!Number.isInteger(bins) || bins < 1) {
    throw new Error(`histogram(): bins must be a positive integer, got ${bins}. Try 30.`);
  }
  let [lo, hi] = range ?? finiteExtent(values) ?? [0, 1];
  let nonFinite = 0;
  if (!(lo <= hi)) [lo, hi] = [0, 1];
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    if (v < lo || v > hi) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
    total++;
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  return { edges, counts, nonFinite, total };
}

/** Options of {@linkcode histogramFigure}. */
export interface HistogramFigureOptions {
  /** Number of bins. @default {30} */
  bins?: number;
  /** Bin range shared by all series. @default {all series' finite min and max} */
  range?: [number, number];
  /** Figure title. @default {undefined} */
  title?: string;
  /** x axis title. @default {"value"} */
  xTitle?: string;
  /** Width in px. @default {640} */
  width?: number;
  /** Height in px. @default {400} */
  height?: number;
}

function barsOf(h: Histogram): { x: number[]; y: number[]; width: number } {
  const width = h.edges[1] - h.edges[0];
  return {
    x: h.counts.map((_, i) => roundValue((h.edges[i] + h.edges[i + 1]) / 2) ?? 0),
    y: h.counts,
    width: roundValue(width) ?? width,
  };
}

/**
 * Histogram of one set of values, or of several overlaid (same bins, translucent).
 *
 * @param values Values, or name → values for several series.
 * @param options Bins, range, titles, size.
 * @returns A Plotly figure with one bar trace per series.
 * @throws When `values` is neither an array nor `{ name: array }`, or `options.range` is
 *   not two numbers.
 * @example
 * ```ts
 * import { histogramFigure } from "@lib/display/mod.ts";
 * const fig = histogramFigure({ before: [0, 0.5, 1], after: [0, 0.1, 0.2] }, { bins: 10 });
 * console.log(fig.data.length); // 2
 * ```
 */
export function histogramFigure(
  values: ArrayLike<number> | Record<string, ArrayLike<number>>,
  options: HistogramFigureOptions = {},
): Figure {
  const { bins = 30, title, xTitle = "value", width = 640, height = 400 } = options;
  if (!isSeries(values)) {
    if (typeof values !== "object" || values === null) {
      throw new TypeError(
        `histogramFigure(values): values is ${describe(values)}, expected an array of ` +
          "numbers, or { name: numbers } for several series.",
      );
    }
    for (const [name, v] of Object.entries(values)) {
      checkArray(v, `histogramFigure(values): values["${name}"]`, "an array of numbers");
    }
  }
  if (options.range !== undefined) {
    checkRange(options.range, "histogramFigure(values, options): options.range");
  }
  const named: Record<string, ArrayLike<number>> = isSeries(values) ? { values } : values;
  const names = Object.keys(named);
  const range = options.range ?? finiteExtent(...Object.values(named)) ?? [0, 1];
  let nonFinite = 0;
  const data: Trace[] = names.map((name, i) => {
    const h = histogram(named[name], bins, range);
    nonFinite += h.nonFinite;
    const color = COLORWAY[i % COLORWAY.length];
    return {
      type: "bar",
      name,
      ...barsOf(h),
      marker: { color: names.length > 1 ? withAlpha(color, 0.55) : color },
    };
  });
  return {
    data,
    layout: {
      ...(title ? { title: { text: title } } : {}),
      width,
      height,
      barmode: "overlay",
      bargap: 0.05,
      showlegend: names.length > 1,
      xaxis: { title: { text: xTitle } },
      yaxis: { title: { text: "count" } },
      meta: { kind: "histogram", nonFinite },
    },
  };
}

function isSeries(v: unknown): v is ArrayLike<number> {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}

/** One layer's weights, as {@linkcode weightHistogramFigure} draws them. */
export interface LayerValues {
  /** Layer name (or any label). */
  name: string;
  /** Its weight values, flattened. */
  values: ArrayLike<number>;
}

/** Options of {@linkcode layerWeights}. */
export interface LayerWeightsOptions {
  /** Also count biases (weights of rank 1). @default {false} */
  includeBias?: boolean;
}

/**
 * Read every layer's weights (kernels; biases on request) for
 * {@linkcode weightHistogramFigure}. Reads asynchronously, so it works on every backend
 * (WebGPU in Deno has no synchronous reads). Layers without weights are left out.
 *
 * @param model A tfjs `LayersModel`.
 * @returns One entry per layer that has weights, in layer order.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { layerWeights } from "@lib/display/mod.ts";
 * await tf.setBackend("cpu");
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3] })] });
 * console.log((await layerWeights(model))[0].values.length); // 12
 * ```
 */
export async function layerWeights(
  model: { layers: Array<{ name: string; getWeights(): tf.Tensor[] }> },
  options: LayerWeightsOptions = {},
): Promise<LayerValues[]> {
  const { includeBias = false } = options;
  const out: LayerValues[] = [];
  for (const layer of model.layers) {
    const tensors = layer.getWeights().filter((w) => includeBias || w.rank > 1);
    if (tensors.length === 0) continue;
    const parts = await Promise.all(tensors.map((w) => w.data() as Promise<Float32Array>));
    const values = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      values.set(p, offset);
      offset += p.length;
    }
    out.push({ name: layer.name, values });
  }
  return out;
}

/** Options of {@linkcode weightHistogramFigure}. */
export interface WeightHistogramOptions {
  /** Number of bins per layer. @default {40} */
  bins?: number;
  /** Figure title. @default {"Weights by layer"} */
  title?: string;
  /** Height in px. @default {340 per row of three layers} */
  height?: number;
  /**
   * One bin range for every layer (all layers' finite min and max), so that the subplots'
   * x axes match and their shapes can be compared. Lesson 02 introduces it.
   * @default {false} (each layer its own range)
   */
  sharedBins?: boolean;
  /**
   * Log-scale count axes, so that a few weights in the tails (L1's large survivors) stay
   * visible next to a tall spike. Empty bins are then not drawn.
   * @default {false}
   */
  logCount?: boolean;
}

/**
 * One histogram per layer of weights: pass `await layerWeights(model)`, or your own
 * `{ name, values }` entries (e.g. the first layer of several runs, to compare them).
 *
 * @param layers One entry per histogram.
 * @param options Bins, title, height.
 * @returns A Plotly figure with one subplot per entry that has values.
 * @example
 * ```ts
 * import { weightHistogramFigure } from "@lib/display/mod.ts";
 * const fig = weightHistogramFigure([{ name: "dense", values: [0.1, -0.2, 0.05] }]);
 * console.log(fig.data.length); // 1
 * ```
 */
export function weightHistogramFigure(
  layers: LayerValues[],
  options: WeightHistogramOptions = {},
): Figure {
  const { title = "Weights by layer", bins = 40, sharedBins = false, logCount = false } = options;
  if (!Array.isArray(layers)) {
    throw new Error(
      "weightHistogramFigure(layers): expected an array of { name, values }. " +
        "For a model, pass `await layerWeights(model)`.",
    );
  }
  layers.forEach((l, i) =>
    checkArray(
      l?.values,
      `weightHistogramFigure(layers): layers[${i}].values`,
      "an array of weights (entries are { name, values })",
    )
  );
  layers = layers.filter((l) => l.values.length > 0);
  const range = sharedBins ? finiteExtent(...layers.map((l) => l.values)) : undefined;
  const data: Trace[] = layers.map((layer, i) => {
    const h = histogram(layer.values, bins, range);
    const axes = subplotAxes(i);
    let mean = 0;
    const n = layer.values.length;
    for (let k = 0; k < n; k++) mean += layer.values[k] / n;
    let variance = 0;
    for (let k = 0; k < n; k++) variance += (layer.values[k] - mean) ** 2 / n;
    return {
      type: "bar",
      name: `${layer.name}: ${layer.values.length} weights, std ${
        roundValue(Math.sqrt(variance), 3)
      }`,
      ...barsOf(h),
      xaxis: axes.x,
      yaxis: axes.y,
      marker: { color: COLORWAY[i % COLORWAY.length] },
    };
  });
  const rows = Math.ceil(Math.max(1, layers.length) / 3);
  const { height = 340 * rows } = options;
  return {
    data,
    layout: {
      title: { text: title },
      width: Math.min(960, 340 * Math.max(1, Math.min(3, layers.length)) + 60),
      height,
      bargap: 0.05,
      showlegend: false,
      ...subplotGrid(layers.length, (i) => ({
        x: {
          title: { text: layers[i]?.name ?? "" },
          ...(range ? { range: [range[0], range[1]] } : {}),
        },
        y: {
          ...(i % 3 === 0 ? { title: { text: logCount ? "count (log)" : "count" } } : {}),
          ...(logCount ? { type: "log" as const } : {}),
        },
      })),
      meta: { kind: "weights", layers: layers.map((l) => l.name) },
    },
  };
}
