/**
 * Histograms: of any values, and of a model's weights layer by layer (the
 * regularisation lessons: L2 pulls weights towards zero, dropout does not).
 * Bins are counted here, so a figure carries `bins` bars however many values there are.
 *
 * @module
 */
import type { Figure, Trace } from "./figure.ts";
import { COLORWAY, roundValue, withAlpha } from "./figure.ts";
import { subplotAxes, subplotGrid } from "./_subplots.ts";

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
  if (!Number.isInteger(bins) || bins < 1) {
    throw new Error(`histogram(): bins must be a positive integer, got ${bins}. Try 30.`);
  }
  let lo = range?.[0] ?? Infinity;
  let hi = range?.[1] ?? -Infinity;
  let nonFinite = 0;
  if (!range) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
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

function sharedRange(series: ArrayLike<number>[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const values of series) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : [0, 1];
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
  const named: Record<string, ArrayLike<number>> = isSeries(values) ? { values } : values;
  const names = Object.keys(named);
  const range = options.range ?? sharedRange(Object.values(named));
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

/** The part of a tfjs layer {@linkcode weightHistogramFigure} reads. */
export interface WeightedLayer {
  /** Layer name. */
  name: string;
  /** Its weight tensors (kernel first, then bias), as tfjs layers return them. */
  getWeights(): Array<{ dataSync(): ArrayLike<number>; shape: number[] }>;
}

/** Options of {@linkcode weightHistogramFigure}. */
export interface WeightHistogramOptions {
  /** Number of bins per layer. @default {40} */
  bins?: number;
  /** Also count biases (weights of rank 1). @default {false} */
  includeBias?: boolean;
  /** Figure title. @default {"Weights by layer"} */
  title?: string;
  /** Height in px. @default {340 per row of three layers} */
  height?: number;
}

/**
 * One histogram per layer of a model's weights (kernels; biases on request).
 *
 * @param model A tfjs `LayersModel` (anything with `layers` that have `getWeights()`).
 * @param options Bins, biases, title.
 * @returns A Plotly figure with one subplot per layer that has weights.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { weightHistogramFigure } from "@lib/display/mod.ts";
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3] })] });
 * console.log(weightHistogramFigure(model).data.length); // 1
 * ```
 */
export function weightHistogramFigure(
  model: { layers: WeightedLayer[] },
  options: WeightHistogramOptions = {},
): Figure {
  const { bins = 40, includeBias = false, title = "Weights by layer" } = options;
  const layers = model.layers
    .map((layer) => {
      const tensors = layer.getWeights().filter((w) => includeBias || w.shape.length > 1);
      const parts = tensors.map((w) => w.dataSync());
      const n = parts.reduce((s, p) => s + p.length, 0);
      const all = new Float32Array(n);
      let o = 0;
      for (const p of parts) {
        all.set(p, o);
        o += p.length;
      }
      return { name: layer.name, values: all };
    })
    .filter((l) => l.values.length > 0);
  const data: Trace[] = layers.map((layer, i) => {
    const h = histogram(layer.values, bins);
    const axes = subplotAxes(i);
    let mean = 0;
    for (const v of layer.values) mean += v / layer.values.length;
    let variance = 0;
    for (const v of layer.values) variance += (v - mean) ** 2 / layer.values.length;
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
        x: { title: { text: layers[i]?.name ?? "" } },
        y: i % 3 === 0 ? { title: { text: "count" } } : {},
      })),
      meta: { kind: "weights", layers: layers.map((l) => l.name) },
    },
  };
}
