/**
 * The History model, defined once: what `model.fit` returns, read into plain numbers;
 * its metric names in one stable order; the one rule for "is higher better?"
 * ({@linkcode monitorDirection}); the best epoch; and CSV / JSON in and out.
 *
 * **Epochs are 0-based everywhere in the API**, like `history.epoch` and Keras:
 * `bestEpoch(h).epoch`, `EarlyStopping.stoppedEpoch`, the `epoch` column of CSV files.
 * Only text for people (axis ticks, table rows, "Epoch 3/10") adds 1.
 *
 * @module
 */
import { csvLine, parseCsv } from "./csv.ts";

/** A scalar tensor as far as reading it goes (tfjs hands callbacks these). */
export interface ScalarLike {
  /** Reads the value asynchronously (works on every backend). */
  data(): Promise<ArrayLike<number> | Uint8Array | Int32Array | Float32Array>;
  /** Frees the tensor. */
  dispose?(): void;
}

/** A value a History or a log can hold: a number or a scalar tensor. */
export type LogValue = number | ScalarLike;

/**
 * A training history: a tfjs `History` (what `await model.fit(...)` returns), or its
 * `history` record `{ loss: [...], val_loss: [...] }`.
 */
export type TrainingHistory =
  | { history: Record<string, readonly LogValue[]>; epoch?: readonly number[] }
  | Record<string, readonly LogValue[]>;

/** A history read into plain numbers: see {@linkcode historyData}. */
export interface HistoryData {
  /** Epoch numbers, 0-based (from `history.epoch` when it fits, else 0, 1, …). */
  epochs: number[];
  /** Series by log key, in {@linkcode orderedKeys} order, one value per epoch (NaN where missing). */
  series: Record<string, number[]>;
}

/** Epoch or batch logs read into numbers. */
export type Logs = Record<string, number>;

/** Logs as tfjs hands them to callbacks: numbers or scalar tensors. */
export type UnresolvedLogs = Record<string, LogValue>;

function isScalarLike(value: unknown): value is ScalarLike {
  return value !== null && typeof value === "object" &&
    typeof (value as ScalarLike).data === "function";
}

function recordOf(history: TrainingHistory, who: string): Record<string, readonly unknown[]> {
  if (history === null || history === undefined || typeof history !== "object") {
    throw new Error(
      `${who}: expected a History (what \`await model.fit(...)\` returns) or a record like ` +
        `{ loss: [...] }, got ${history === null ? "null" : typeof history}.`,
    );
  }
  const h = history as { history?: unknown };
  if (typeof h.history === "object" && h.history !== null && !Array.isArray(h.history)) {
    return h.history as Record<string, readonly unknown[]>;
  }
  return history as Record<string, readonly unknown[]>;
}

function assemble(
  history: TrainingHistory,
  record: Record<string, readonly unknown[]>,
  read: (key: string, values: readonly unknown[]) => number[],
): HistoryData {
  const raw: Record<string, number[]> = {};
  for (const [key, values] of Object.entries(record)) {
    if (Array.isArray(values)) raw[key] = read(key, values);
  }
  const length = Math.max(0, ...Object.values(raw).map((v) => v.length));
  const series: Record<string, number[]> = {};
  for (const key of orderedKeys(Object.keys(raw))) {
    const values = raw[key];
    series[key] = values.length === length
      ? values
      : [...values, ...Array(length - values.length).fill(NaN)];
  }
  const given = (history as { epoch?: unknown }).epoch;
  const epochs = Array.isArray(given) && given.length === length &&
      given.every((e) => Number.isInteger(e))
    ? [...given as number[]]
    : Array.from({ length }, (_, i) => i);
  return { epochs, series };
}

function asNumber(value: unknown, key: string, who: string): number {
  if (typeof value === "number") return value;
  if (value === null || value === undefined) return NaN;
  if (isScalarLike(value)) {
    throw new Error(
      `${who}: "${key}" holds tensors, which cannot be read synchronously on every backend. ` +
        "Use `await readHistory(history)` first (or pass the History that `await model.fit()` " +
        "returns: tfjs turns its tensors into numbers when fit ends).",
    );
  }
  const n = Number(value);
  if (Number.isNaN(n) && String(value).trim().toLowerCase() !== "nan") {
    throw new Error(`${who}: "${key}" holds ${JSON.stringify(value)}, which is not a number.`);
  }
  return n;
}

/**
 * Read a history into plain numbers, synchronously: epochs (0-based) and one series per
 * key, keys in a stable order. Series shorter than the longest are padded with NaN.
 *
 * @param history A tfjs `History` (after `fit`, its values are numbers) or its record.
 * @param who Name used in error messages. @default {"historyData"}
 * @returns `{ epochs, series }`.
 * @throws When the history holds tensors (use {@linkcode readHistory}) or non-numbers.
 * @example
 * ```ts
 * import { historyData } from "@lib";
 * console.log(historyData({ val_loss: [0.9, 0.7], loss: [1, 0.5] }));
 * // { epochs: [ 0, 1 ], series: { loss: [ 1, 0.5 ], val_loss: [ 0.9, 0.7 ] } }
 * ```
 */
export function historyData(history: TrainingHistory, who = "historyData"): HistoryData {
  const record = recordOf(history, who);
  return assemble(history, record, (key, values) => values.map((v) => asNumber(v, key, who)));
}

/**
 * Read a history into plain numbers, tensors included (read with `await t.data()`, so it
 * works on WebGPU too, where `dataSync()` cannot).
 *
 * @param history A tfjs `History`, its record, or a record of scalar tensors.
 * @returns `{ epochs, series }`, as {@linkcode historyData}.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { readHistory } from "@lib";
 * await tf.setBackend("cpu");
 * const h = await readHistory({ loss: [tf.scalar(1), tf.scalar(0.5)] });
 * console.log(h.series.loss); // [ 1, 0.5 ]
 * ```
 */
export async function readHistory(history: TrainingHistory): Promise<HistoryData> {
  const record = recordOf(history, "readHistory");
  const read: Record<string, number[]> = {};
  for (const [key, values] of Object.entries(record)) {
    if (!Array.isArray(values)) continue;
    read[key] = await Promise.all(values.map(async (v) => {
      if (isScalarLike(v)) return Number((await v.data())[0]);
      return asNumber(v, key, "readHistory");
    }));
  }
  return assemble(history, read, (_, values) => values as number[]);
}

/**
 * Read every scalar tensor in `logs` into a number, in place, and dispose those tensors
 * (what tfjs's own `resolveScalarsInLogs` does, which it does not export). Asynchronous,
 * so it works on every backend. Callbacks later in the list see numbers.
 *
 * @param logs Logs from a tfjs hook; `undefined` gives `{}`.
 * @returns The same object, now holding only numbers.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { resolveLogs } from "@lib";
 * await tf.setBackend("cpu");
 * const logs = await resolveLogs({ loss: tf.scalar(0.5), acc: 0.75 });
 * console.log(logs); // { loss: 0.5, acc: 0.75 }
 * ```
 */
export async function resolveLogs(logs?: UnresolvedLogs | Logs | null): Promise<Logs> {
  if (logs === undefined || logs === null) return {};
  const pending: Array<[string, ScalarLike]> = [];
  for (const [key, value] of Object.entries(logs)) {
    if (isScalarLike(value)) pending.push([key, value]);
  }
  if (pending.length > 0) {
    const values = await Promise.all(pending.map(([, t]) => t.data()));
    pending.forEach(([key, t], i) => {
      (logs as Logs)[key] = Number(values[i][0]);
      t.dispose?.();
    });
  }
  return logs as Logs;
}

/** `"val_loss"` → `"loss"`; other keys as they are. */
export function baseName(key: string): string {
  return key.startsWith("val_") ? key.slice(4) : key;
}

/**
 * Log keys in the one stable order every view uses: `loss` first, then the other
 * training metrics as they came, then each one's `val_` twin in the same order, then
 * any other `val_` key.
 *
 * @param keys Keys, e.g. `Object.keys(history.history)`.
 * @returns The same keys, ordered.
 * @example
 * ```ts
 * import { orderedKeys } from "@lib";
 * console.log(orderedKeys(["val_acc", "acc", "val_loss", "loss"])); // [ "loss", "acc", "val_loss", "val_acc" ]
 * ```
 */
export function orderedKeys(keys: readonly string[]): string[] {
  const train = keys.filter((k) => !k.startsWith("val_"));
  train.sort((a, b) => (a === "loss" ? -1 : b === "loss" ? 1 : 0));
  const val = train.map((k) => `val_${k}`).filter((k) => keys.includes(k));
  return [...train, ...val, ...keys.filter((k) => k.startsWith("val_") && !val.includes(k))];
}

/**
 * Base metric names of a history, loss first: `["loss", "acc"]` for `loss`, `val_loss`,
 * `acc`, `val_acc`.
 *
 * @param keys Log keys (or a series record).
 * @returns Base names in {@linkcode orderedKeys} order.
 * @example
 * ```ts
 * import { metricNames } from "@lib";
 * console.log(metricNames(["acc", "val_loss", "loss"])); // [ "loss", "acc" ]
 * ```
 */
export function metricNames(keys: readonly string[] | Record<string, unknown>): string[] {
  const list = Array.isArray(keys) ? keys : Object.keys(keys);
  const names: string[] = [];
  for (const key of orderedKeys(list)) {
    if (!names.includes(baseName(key))) names.push(baseName(key));
  }
  return names;
}

/** Which way a monitored quantity should move: `"auto"` infers it from the name. */
export type MonitorMode = "auto" | "min" | "max";

const MAX_WORDS = ["accuracy", "acc", "auc", "precision", "recall", "f1", "fmeasure", "iou"];
const MIN_WORDS = [
  "loss",
  "error",
  "mse",
  "mae",
  "mape",
  "msle",
  "rmse",
  "crossentropy",
  "hinge",
  "logcosh",
  "kld",
  "kullback",
  "poisson",
];

/**
 * The one rule for the direction in which a logged quantity improves, used by the
 * callbacks (`earlyStopping`, `modelCheckpoint`, …), `bestEpoch` and the figures alike.
 *
 * @param key A log key such as `"val_loss"`, `"acc"`, `"val_auc"`.
 * @param mode `"min"`/`"max"` are returned as they are; `"auto"` infers from `key`:
 *   losses and errors minimise, accuracy-like metrics (`acc`, `accuracy`, `auc`,
 *   `precision`, `recall`, `f1`, `iou`) maximise. @default {"auto"}
 * @param who Name used in error messages (the callback's name). @default {"monitor"}
 * @returns `"min"` or `"max"`.
 * @throws When `mode` is not one of the three, or `"auto"` cannot tell the direction.
 * @example
 * ```ts
 * import { monitorDirection } from "@lib";
 * console.log(monitorDirection("val_auc"), monitorDirection("val_loss")); // max min
 * ```
 */
export function monitorDirection(
  key: string,
  mode: MonitorMode = "auto",
  who = "monitor",
): "min" | "max" {
  if (mode === "min" || mode === "max") return mode;
  if (mode !== "auto") {
    throw new Error(
      `${who}: unknown mode ${JSON.stringify(mode)} for monitor "${key}". ` +
        'Use "min", "max" or "auto".',
    );
  }
  // Strip the validation prefix, then compare lower-case words: "val_categoricalAccuracy"
  // -> "categoricalaccuracy".
  const name = baseName(key).toLowerCase();
  const words = name.split(/[^a-z0-9]+/).filter((w) => w.length > 0);
  const has = (list: string[]) =>
    list.some((w) => words.includes(w) || (w.length > 3 && name.includes(w)));
  // Losses first: "loss" wins over an accuracy-like word ("acc_loss" is a loss).
  if (has(MIN_WORDS)) return "min";
  if (has(MAX_WORDS) || name.endsWith("acc")) return "max";
  throw new Error(
    `${who}: cannot tell whether "${key}" should go up or down (mode "auto" knows ` +
      'losses, errors and accuracy-like metrics). Pass mode: "min" or mode: "max".',
  );
}

/**
 * Index of the best value of a series, ignoring non-finite values; the first of ties.
 *
 * @param values The series.
 * @param direction `"min"` (lower is better) or `"max"`.
 * @returns The index, or -1 when no value is finite.
 * @example
 * ```ts
 * import { bestIndex } from "@lib";
 * console.log(bestIndex([3, NaN, 1, 2], "min")); // 2
 * ```
 */
export function bestIndex(values: readonly number[], direction: "min" | "max"): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (best < 0 || (direction === "min" ? v < values[best] : v > values[best])) best = i;
  }
  return best;
}

/** Result of {@linkcode bestEpoch}. */
export interface BestEpoch {
  /** Epoch number as in `history.epoch` (0-based). */
  epoch: number;
  /** Position in the history arrays. */
  index: number;
  /** The metric's value there. */
  value: number;
  /** The metric. */
  metric: string;
  /** Whether lower or higher was better. */
  direction: "min" | "max";
}

/**
 * The epoch where a metric was best (lowest loss, highest accuracy…), by
 * {@linkcode monitorDirection}, the same rule the callbacks use.
 *
 * @param history `await model.fit(...)` or its `.history`.
 * @param metric Key to look at. @default {"val_loss"}
 * @param mode `"auto"`, `"min"` or `"max"`. @default {"auto"}
 * @returns The best epoch (0-based), its index and value.
 * @throws When the metric is not in the history (listing the keys that are), or it
 *   has no finite value.
 * @example
 * ```ts
 * import { bestEpoch } from "@lib";
 * console.log(bestEpoch({ val_loss: [0.9, 0.4, 0.6] }));
 * // { epoch: 1, index: 1, value: 0.4, metric: "val_loss", direction: "min" }
 * ```
 */
export function bestEpoch(
  history: TrainingHistory | HistoryData,
  metric = "val_loss",
  mode: MonitorMode = "auto",
): BestEpoch {
  const { series, epochs } = asData(history, "bestEpoch");
  const values = series[metric];
  if (values === undefined) {
    throw new Error(
      `bestEpoch: "${metric}" is not in the history; it has: ${
        Object.keys(series).join(", ") || "(nothing)"
      }.`,
    );
  }
  const direction = monitorDirection(metric, mode, "bestEpoch");
  const index = bestIndex(values, direction);
  if (index < 0) throw new Error(`bestEpoch: "${metric}" has no finite value in the history.`);
  return { epoch: epochs[index], index, value: values[index], metric, direction };
}

function isHistoryData(h: unknown): h is HistoryData {
  return h !== null && typeof h === "object" && Array.isArray((h as HistoryData).epochs) &&
    typeof (h as HistoryData).series === "object";
}

/** A {@linkcode HistoryData} as it is, anything else read by {@linkcode historyData}. */
export function asData(history: TrainingHistory | HistoryData, who = "historyData"): HistoryData {
  return isHistoryData(history) ? history : historyData(history, who);
}

/**
 * The history as rows, one per epoch: `{ epoch, loss, val_loss, ... }`.
 *
 * @param history `await model.fit(...)` or its `.history`.
 * @returns Rows in epoch order (`epoch` 0-based).
 * @example
 * ```ts
 * import { historyRows } from "@lib";
 * console.log(historyRows({ loss: [1, 0.5], val_loss: [1.2, 0.7] }));
 * // [ { epoch: 0, loss: 1, val_loss: 1.2 }, { epoch: 1, loss: 0.5, val_loss: 0.7 } ]
 * ```
 */
export function historyRows(
  history: TrainingHistory | HistoryData,
): Array<Record<string, number>> {
  const { series, epochs } = asData(history, "historyRows");
  return epochs.map((epoch, i) => {
    const row: Record<string, number> = { epoch };
    for (const [k, values] of Object.entries(series)) row[k] = values[i];
    return row;
  });
}

/**
 * The history as CSV text, the format `csvLogger` writes: header `epoch,loss,...`, one
 * row per epoch (0-based), NaN written `NaN`.
 *
 * @param history `await model.fit(...)` or its `.history`.
 * @param separator Column separator. @default {","}
 * @returns CSV text ending with a newline.
 * @example
 * ```ts
 * import { historyToCsv } from "@lib";
 * console.log(historyToCsv({ loss: [1, 0.5] })); // "epoch,loss\n0,1\n1,0.5\n"
 * ```
 */
export function historyToCsv(history: TrainingHistory | HistoryData, separator = ","): string {
  const { series, epochs } = asData(history, "historyToCsv");
  const keys = Object.keys(series);
  const lines = [csvLine(["epoch", ...keys], separator)];
  epochs.forEach((epoch, i) =>
    lines.push(csvLine([epoch, ...keys.map((k) => series[k][i])], separator))
  );
  return lines.join("\n") + "\n";
}

/**
 * Read a history back from CSV, as written by `csvLogger` or {@linkcode historyToCsv}
 * (`NA` and empty cells become NaN).
 *
 * @param text CSV text with an `epoch` column.
 * @param separator Column separator. @default {","}
 * @returns `{ epoch, history }`, the shape of a tfjs `History`.
 * @throws When there is no `epoch` column, or a cell is not a number (naming line and column).
 * @example
 * ```ts
 * import { historyFromCsv } from "@lib";
 * console.log(historyFromCsv("epoch,loss\n0,1\n1,0.5\n"));
 * // { epoch: [ 0, 1 ], history: { loss: [ 1, 0.5 ] } }
 * ```
 */
export function historyFromCsv(
  text: string,
  separator = ",",
): { epoch: number[]; history: Record<string, number[]> } {
  const [header, ...rows] = parseCsv(text, separator).filter((r) => r.some((c) => c !== ""));
  const column = header?.indexOf("epoch") ?? -1;
  if (header === undefined || column < 0) {
    throw new Error(
      `historyFromCsv: no "epoch" column in the header (${
        JSON.stringify(header?.join(separator) ?? "")
      }). Expected CSV as csvLogger or historyToCsv write it.`,
    );
  }
  const history: Record<string, number[]> = {};
  const epoch: number[] = [];
  rows.forEach((row, r) => {
    header.forEach((name, c) => {
      const cell = (row[c] ?? "").trim();
      const value = cell === "" || cell === "NA" ? NaN : Number(cell);
      if (Number.isNaN(value) && cell !== "" && cell !== "NA" && cell.toLowerCase() !== "nan") {
        throw new Error(
          `historyFromCsv: line ${r + 2}, column "${name}": ${
            JSON.stringify(cell)
          } is not a number.`,
        );
      }
      if (c === column) epoch.push(value);
      else (history[name] ??= []).push(value);
    });
  });
  return { epoch, history };
}

/**
 * The history as JSON: `{ "epoch": [...], "history": { "loss": [...], ... } }`, the
 * shape of a tfjs `History`, so `JSON.parse` gives something every helper accepts.
 *
 * @param history `await model.fit(...)` or its `.history`.
 * @returns JSON text (NaN and ±Infinity written as `null`, read back as NaN).
 * @example
 * ```ts
 * import { historyToJson } from "@lib";
 * console.log(historyToJson({ loss: [1, 0.5] })); // {"epoch":[0,1],"history":{"loss":[1,0.5]}}
 * ```
 */
export function historyToJson(history: TrainingHistory | HistoryData): string {
  const { series, epochs } = asData(history, "historyToJson");
  return JSON.stringify({ epoch: epochs, history: series });
}

/**
 * Write the history to a file: CSV for `.csv`, JSON otherwise.
 *
 * @param history `await model.fit(...)` or its `.history`.
 * @param path Target file, e.g. `"runs/exp1/history.csv"`.
 * @throws When the file cannot be written (naming it).
 * @example
 * ```ts
 * import { loadHistory, saveHistory } from "@lib";
 * const file = await Deno.makeTempFile({ suffix: ".csv" });
 * await saveHistory({ loss: [1, 0.5] }, file);
 * console.log(await loadHistory(file)); // { epoch: [ 0, 1 ], history: { loss: [ 1, 0.5 ] } }
 * ```
 */
export async function saveHistory(
  history: TrainingHistory | HistoryData,
  path: string,
): Promise<void> {
  const text = path.toLowerCase().endsWith(".csv") ? historyToCsv(history) : historyToJson(history);
  try {
    await Deno.writeTextFile(path, text);
  } catch (error) {
    throw new Error(
      `saveHistory: cannot write "${path}" (${error instanceof Error ? error.message : error}).`,
    );
  }
}

/**
 * Read a history saved by {@linkcode saveHistory} or `csvLogger`: CSV for `.csv`, JSON
 * otherwise.
 *
 * @param path The file.
 * @returns `{ epoch, history }`, the shape of a tfjs `History`.
 * @throws When the file cannot be read or parsed (naming it).
 */
export async function loadHistory(
  path: string,
): Promise<{ epoch: number[]; history: Record<string, number[]> }> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new Error(
      `loadHistory: cannot read "${path}" (${error instanceof Error ? error.message : error}).`,
    );
  }
  if (path.toLowerCase().endsWith(".csv")) return historyFromCsv(text);
  try {
    const parsed = JSON.parse(text) as { epoch?: number[]; history?: Record<string, unknown[]> };
    const data = historyData(parsed as TrainingHistory, "loadHistory");
    return { epoch: data.epochs, history: data.series };
  } catch (error) {
    throw new Error(
      `loadHistory: "${path}" is not a saved history (${
        error instanceof Error ? error.message : error
      }). Save one with saveHistory(history, path).`,
    );
  }
}
