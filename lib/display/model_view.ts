/**
 * `model.summary()` as a notebook table: layer, type, output shape, parameters and
 * whether it trains, with trainable / non-trainable totals; a fixed-width text table
 * for terminals and tests. Long models are cut to `maxRows` layers.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { display, type DisplayOptions, type MimeBundle } from "../core/output.ts";
import { escapeHtml } from "../core/html.ts";
import { textTable } from "../core/text_table.ts";

/** One row of {@linkcode modelSummary}. */
export interface LayerRow {
  /** Layer name, e.g. `"dense_Dense1"`. */
  name: string;
  /** Layer class, e.g. `"Dense"`. */
  type: string;
  /** Output shape with `null` for the batch size, e.g. `"[null,10]"`. */
  outputShape: string;
  /** Number of weights (`null` when the layer is not built yet). */
  params: number | null;
  /** Whether the layer's weights train. */
  trainable: boolean;
}

/** What {@linkcode modelSummary} reads. */
export interface ModelSummary {
  /** Model name. */
  name: string;
  /** One row per layer. */
  layers: LayerRow[];
  /** All weights. */
  totalParams: number;
  /** Weights that training updates. */
  trainableParams: number;
  /** Weights that training leaves alone (frozen layers, batch-norm statistics). */
  nonTrainableParams: number;
}

function shapeText(shape: unknown): string {
  return JSON.stringify(shape ?? "?").replace(/,/g, ", ");
}

function size(shape: Array<number | null>): number {
  return shape.reduce((a: number, b) => a * (b ?? 0), 1);
}

/**
 * Read a model's layers and parameter counts (what Keras' `model.summary()` prints).
 *
 * @param model A tfjs `LayersModel` (`tf.sequential(...)`, `tf.model(...)`, loaded models).
 * @returns Rows and totals.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { modelSummary } from "@lib/display/mod.ts";
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
 * console.log(modelSummary(model).totalParams); // 8
 * ```
 */
export function modelSummary(model: tf.LayersModel): ModelSummary {
  const layers = model.layers.map((layer): LayerRow => {
    let params: number | null;
    try {
      params = layer.countParams();
    } catch {
      params = null; // not built yet
    }
    let outputShape: string;
    try {
      outputShape = shapeText(layer.outputShape);
    } catch {
      outputShape = "?";
    }
    return {
      name: layer.name,
      type: layer.getClassName(),
      outputShape,
      params,
      trainable: layer.trainable,
    };
  });
  const trainableParams = model.trainableWeights.reduce((s, w) => s + size(w.shape), 0);
  const nonTrainableParams = model.nonTrainableWeights.reduce((s, w) => s + size(w.shape), 0);
  return {
    name: model.name,
    layers,
    totalParams: trainableParams + nonTrainableParams,
    trainableParams,
    nonTrainableParams,
  };
}

/** Options of {@linkcode modelBundle} and {@linkcode showModel}. */
export interface ModelViewOptions extends DisplayOptions {
  /** Most layers listed; the rest are counted in one line. @default {50} */
  maxRows?: number;
}

const count = (n: number | null) => (n === null ? "?" : n.toLocaleString("en-US"));

/**
 * The MIME bundle of a model summary: an HTML table and a text table.
 *
 * @param model A tfjs `LayersModel`.
 * @param options Row cap.
 * @returns `{ "text/html", "text/plain" }`.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { modelBundle } from "@lib/display/mod.ts";
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
 * console.log(modelBundle(model)["text/plain"]);
 * ```
 */
export function modelBundle(model: tf.LayersModel, options: ModelViewOptions = {}): MimeBundle {
  const { maxRows = 50 } = options;
  const s = modelSummary(model);
  const shown = s.layers.slice(0, maxRows);
  const hidden = s.layers.length - shown.length;
  const header = ["Layer (type)", "Output shape", "Params", "Trains"];
  const rows = shown.map((l) => [
    `${l.name} (${l.type})`,
    l.outputShape,
    count(l.params),
    l.trainable ? "yes" : "no",
  ]);
  const [headLine, ...rowLines] = textTable(header, rows, {
    align: ["left", "left", "right", "left"],
  }).split("\n");
  const rule = "─".repeat(Math.max(headLine.length, ...rowLines.map((l) => l.length)));
  const totals = [
    `Total params: ${count(s.totalParams)}`,
    `Trainable params: ${count(s.trainableParams)}`,
    `Non-trainable params: ${count(s.nonTrainableParams)}`,
  ];
  const more = hidden > 0 ? [`… ${hidden} more layers`] : [];
  const text = [
    `Model "${s.name}"`,
    rule,
    headLine,
    rule,
    ...rowLines,
    ...more,
    rule,
    ...totals,
  ].join("\n");
  const td = 'style="padding:2px 10px;text-align:left"';
  const tdr = 'style="padding:2px 10px;text-align:right"';
  const html = `<div class="tfjs-model-summary"><b>Model "${escapeHtml(s.name)}"</b>` +
    `<table style="border-collapse:collapse;font-family:monospace;font-size:12px">` +
    `<thead><tr style="border-bottom:1px solid #888"><th ${td}>Layer</th><th ${td}>Type</th>` +
    `<th ${td}>Output shape</th><th ${tdr}>Params</th><th ${td}>Trains</th></tr></thead><tbody>` +
    shown.map((l) =>
      `<tr><td ${td}>${escapeHtml(l.name)}</td><td ${td}>${escapeHtml(l.type)}</td><td ${td}>${
        escapeHtml(l.outputShape)
      }</td><td ${tdr}>${count(l.params)}</td><td ${td}>${l.trainable ? "yes" : "no"}</td></tr>`
    ).join("") +
    (hidden > 0 ? `<tr><td ${td} colspan="5">… ${hidden} more layers</td></tr>` : "") +
    `</tbody></table><div style="font-family:monospace;font-size:12px;margin-top:4px">` +
    totals.map(escapeHtml).join("<br>") + `</div></div>`;
  return { "text/html": html, "text/plain": text };
}

/**
 * Show a model summary in the notebook (HTML table; text outside a kernel) and wait
 * until it is delivered.
 *
 * @param model A tfjs `LayersModel`.
 * @param options Row cap; `displayId` / `update`.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { showModel } from "@lib/display/mod.ts";
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
 * await showModel(model);
 * ```
 */
export async function showModel(
  model: tf.LayersModel,
  options: ModelViewOptions = {},
): Promise<void> {
  const { displayId, update } = options;
  await display(modelBundle(model, options), { displayId, update });
}
