/**
 * Tensors as a learner wants to see them — shape, dtype, a few statistics and the values
 * (a table when small, a heatmap for a larger matrix, a histogram when large) — instead
 * of the `dataId` / `scopeId` internals a bare tensor prints. Output stays bounded
 * whatever the tensor's size: at most `maxTableValues` numbers in a table, heatmaps
 * pooled to 64×64, histograms of at most a million sampled values.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { heatmapFigure } from "./heatmap_figure.ts";
import { histogramFigure } from "./histogram_figure.ts";
import { figureToSvg } from "./svg.ts";
import { display, type DisplayOptions, type MimeBundle } from "../core/output.ts";
import { escapeHtml } from "../core/html.ts";
import { formatNumber } from "../core/format.ts";

/** Options of {@linkcode tensorBundle} and {@linkcode showTensor}. */
export interface TensorViewOptions extends DisplayOptions {
  /** Most values shown as numbers (a table); larger tensors become pictures. @default {120} */
  maxTableValues?: number;
  /** Most values read for statistics and histograms (sampled evenly). @default {1000000} */
  maxSampled?: number;
  /** Name shown in the header. @default {undefined} */
  name?: string;
}

/** Shape, dtype and statistics of a tensor's values. */
export interface TensorStats {
  /** Shape, e.g. `[2, 3]`. */
  shape: number[];
  /** dtype, e.g. `"float32"`. */
  dtype: string;
  /** Number of values. */
  size: number;
  /** Smallest finite value (`null` when none). */
  min: number | null;
  /** Largest finite value (`null` when none). */
  max: number | null;
  /** Mean of the finite values (`null` when none). */
  mean: number | null;
  /** NaN and ±Infinity values. */
  nonFinite: number;
  /** Whether the statistics come from an even sample of the values. */
  sampled: boolean;
}

/**
 * Statistics of values (read from a tensor with `await t.data()`).
 *
 * @param values The values.
 * @param shape Tensor shape.
 * @param dtype Tensor dtype.
 * @param maxSampled Most values looked at (evenly strided sample beyond that). @default {1000000}
 * @returns The statistics.
 * @example
 * ```ts
 * import { tensorStats } from "@lib/display/mod.ts";
 * console.log(tensorStats([1, 2, NaN], [3], "float32").mean); // 1.5
 * ```
 */
export function tensorStats(
  values: ArrayLike<number>,
  shape: number[],
  dtype: string,
  maxSampled = 1_000_000,
): TensorStats {
  const stride = Math.max(1, Math.ceil(values.length / maxSampled));
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  let nonFinite = 0;
  for (let i = 0; i < values.length; i += stride) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    n++;
  }
  return {
    shape,
    dtype,
    size: values.length,
    min: n ? min : null,
    max: n ? max : null,
    mean: n ? sum / n : null,
    nonFinite,
    sampled: stride > 1,
  };
}

const fmt = (v: number | null) => (v === null ? "–" : formatNumber(v));

function header(s: TensorStats, name?: string): string {
  const stats = s.size === 0
    ? "empty"
    : `min ${fmt(s.min)}, max ${fmt(s.max)}, mean ${fmt(s.mean)}` +
      (s.nonFinite ? `, ${s.nonFinite}${s.sampled ? "+" : ""} NaN/Infinity` : "") +
      (s.sampled ? " (sampled)" : "");
  return `${name ? `${name}: ` : ""}Tensor ${s.dtype} [${s.shape.join(", ")}] ` +
    `(${s.size.toLocaleString("en-US")} values) ${stats}`;
}

/** Rows of a ≤ 2-D tensor for a table. */
function rowsOf(values: ArrayLike<number>, shape: number[]): number[][] {
  const cols = shape.length === 0 ? 1 : shape[shape.length - 1];
  const rows: number[][] = [];
  for (let o = 0; o < values.length; o += Math.max(1, cols)) {
    rows.push(Array.from({ length: cols }, (_, j) => values[o + j]));
  }
  return rows;
}

/**
 * Build the MIME bundle of a tensor view.
 *
 * - up to `maxTableValues` values and rank ≤ 2: a table of the values;
 * - larger, and a matrix (after dropping size-1 axes): a heatmap (pooled to 64×64);
 * - otherwise: a histogram of the values.
 *
 * Every bundle has `text/plain`: the header line and tfjs' own (truncated) print.
 *
 * @param tensor Any tfjs tensor.
 * @param options Table cap, sampling cap, name.
 * @returns `{ "text/html", "text/plain" }`, plus `image/svg+xml` for pictures.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { tensorBundle } from "@lib/display/mod.ts";
 * const bundle = await tensorBundle(tf.tensor2d([[1, 2], [3, 4]]));
 * console.log(bundle["text/plain"]);
 * ```
 */
export async function tensorBundle(
  tensor: tf.Tensor,
  options: TensorViewOptions = {},
): Promise<MimeBundle> {
  const { maxTableValues = 120, maxSampled = 1_000_000, name } = options;
  if (tensor.isDisposed) {
    throw new Error(
      `tensorBundle(): the tensor${name ? ` "${name}"` : ""} (shape [${tensor.shape}]) was ` +
        "disposed, so its values are gone. Show it before tf.dispose() / outside tf.tidy().",
    );
  }
  const shape = tensor.shape;
  if (tensor.dtype === "string" || tensor.dtype === "complex64") {
    const text = `${name ? `${name}: ` : ""}Tensor ${tensor.dtype} [${shape.join(", ")}]\n` +
      tensor.toString();
    return { "text/plain": text, "text/html": `<pre>${escapeHtml(text)}</pre>` };
  }
  const values = (await tensor.data()) as Float32Array | Int32Array | Uint8Array;
  const s = tensorStats(values, shape, tensor.dtype, maxSampled);
  const head = header(s, name);
  const printed = tensor.toString().replace(/^Tensor\n?/, "").trimEnd();
  const text = `${head}\n${printed}`;
  const headHtml = `<div style="font-family:monospace;font-size:12px;margin-bottom:4px">${
    escapeHtml(head)
  }</div>`;
  const squeezed = shape.filter((d) => d !== 1);
  if (s.size <= maxTableValues && shape.length <= 2) {
    const rows = rowsOf(values, shape);
    const td = 'style="padding:1px 8px;text-align:right;border:1px solid #ddd"';
    const table = `<table style="border-collapse:collapse;font-family:monospace;font-size:12px">${
      rows.map((r) => `<tr>${r.map((v) => `<td ${td}>${escapeHtml(fmt(v))}</td>`).join("")}</tr>`)
        .join("")
    }</table>`;
    return { "text/html": headHtml + table, "text/plain": text };
  }
  let svg: string;
  if (squeezed.length === 2) {
    const [rows, cols] = squeezed;
    const z = Array.from({ length: rows }, (_, r) => values.subarray(r * cols, (r + 1) * cols));
    svg = figureToSvg(heatmapFigure(z, { maxSide: 64, width: 420, height: 360 }));
  } else {
    const stride = Math.max(1, Math.ceil(values.length / maxSampled));
    const sample = stride === 1 ? values : values.filter((_, i) => i % stride === 0);
    svg = figureToSvg(histogramFigure(sample, { bins: 40, width: 480, height: 300 }));
  }
  return { "text/html": headHtml + svg, "image/svg+xml": svg, "text/plain": text };
}

/**
 * Show a tensor in the notebook (table, heatmap or histogram; text outside a kernel)
 * and wait until it is delivered.
 *
 * @param tensor Any tfjs tensor (not disposed).
 * @param options Table cap, sampling cap, name; `displayId` / `update`.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { showTensor } from "@lib/display/mod.ts";
 * await showTensor(tf.randomNormal([100, 100], 0, 1, "float32", 1), { name: "weights" });
 * ```
 */
export async function showTensor(
  tensor: tf.Tensor,
  options: TensorViewOptions = {},
): Promise<void> {
  const { displayId, update } = options;
  await display(await tensorBundle(tensor, options), { displayId, update });
}
