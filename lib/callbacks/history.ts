/**
 * Helpers for what `model.fit` returns: the best epoch of a metric, a table view,
 * and export to CSV / JSON.
 *
 * @module
 */
import { JUPYTER_DISPLAY, type MimeBundle } from "../core/output.ts";
import { monitorDirection, type MonitorMode } from "./monitor.ts";

/**
 * A training history: a tfjs `History` (`await model.fit(...)`), or its `history`
 * record `{ loss: [...], val_loss: [...] }`.
 */
export type TrainingHistory =
  | { history: Record<string, unknown[]>; epoch?: number[] }
  | Record<string, unknown[]>;

function parts(h: TrainingHistory): { series: Record<string, number[]>; epochs: number[] } {
  const record = (h !== null && typeof h === "object" && "history" in h &&
      typeof h.history === "object" && !Array.isArray(h.history)
    ? h.history
    : h) as Record<string, unknown[]>;
  const series: Record<string, number[]> = {};
  for (const [key, values] of Object.entries(record)) {
    if (!Array.isArray(values)) continue;
    series[key] = values.map((v) => (typeof v === "number" ? v : Number(v)));
  }
  const length = Math.max(0, ...Object.values(series).map((v) => v.length));
  const given = (h as { epoch?: unknown }).epoch;
  const epochs = Array.isArray(given) && given.length === length
    ? (given as number[])
    : Array.from({ length }, (_, i) => i);
  return { series, epochs };
}

/** Training keys first (loss first), then their `val_` twins, then the rest. */
function orderedKeys(series: Record<string, number[]>): string[] {
  const keys = Object.keys(series);
  const train = keys.filter((k) => !k.startsWith("val_"))
    .sort((a, b) => (a === "loss" ? -1 : b === "loss" ? 1 : 0));
  const val = train.map((k) => `val_${k}`).filter((k) => keys.includes(k));
  return [...train, ...val, ...keys.filter((k) => k.startsWith("val_") && !val.includes(k))];
}

/**
 * The history as rows, one per epoch: `{ epoch, loss, val_loss, ... }`.
 *
 * @param history `await model.fit(...)` or its `.history`.
 * @returns Rows in epoch order (`epoch` 0-based as tfjs reports it).
 * @example
 * ```ts
 * import { historyRows } from "@lib";
 * historyRows({ loss: [1, 0.5], val_loss: [1.2, 0.7] });
 * // [{ epoch: 0, loss: 1, val_loss: 1.2 }, { epoch: 1, loss: 0.5, val_loss: 0.7 }]
 * ```
 */
export function historyRows(history: TrainingHistory): Array<Record<string, number>> {
  const { series, epochs } = parts(history);
  const keys = orderedKeys(series);
  return epochs.map((epoch, i) => {
    const row: Record<string, number> = { epoch };
    for (const k of keys) row[k] = series[k][i];
    return row;
  });
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
 * The epoch where a metric was best (lowest loss, highest accuracy…), with the same
 * direction rules as the callbacks' `monitor` (see `monitorDirection`).
 *
 * @param history `await model.fit(...)` or its `.history`.
 * @param metric Key to look at. @default {"val_loss"}
 * @param mode `"auto"`, `"min"` or `"max"`. @default {"auto"}
 * @returns The best epoch, its index and value.
 * @throws When the metric is not in the history (listing the keys that are), or it
 *   has no finite value.
 * @example
 * ```ts
 * import { bestEpoch } from "@lib";
 * bestEpoch({ val_loss: [0.9, 0.4, 0.6] }); // { epoch: 1, index: 1, value: 0.4, metric: "val_loss", direction: "min" }
 * ```
 */
export function bestEpoch(
  history: TrainingHistory,
  metric = "val_loss",
  mode: MonitorMode = "auto",
): BestEpoch {
  const { series, epochs } = parts(history);
  const values = series[metric];
  if (values === undefined) {
    throw new Error(
      `bestEpoch: "${metric}" is not in the history; it has: ${
        Object.keys(series).join(", ") || "(nothing)"
      }.`,
    );
  }
  const direction = monitorDirection(metric, mode, "bestEpoch");
  let index = -1;
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    if (index < 0 || (direction === "min" ? v < values[index] : v > values[index])) index = i;
  });
  if (index < 0) throw new Error(`bestEpoch: "${metric}" has no finite value in the history.`);
  return { epoch: epochs[index], index, value: values[index], metric, direction };
}

function formatNumber(v: number, digits: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  return abs !== 0 && (abs < 10 ** -digits || abs >= 1e6)
    ? v.toExponential(digits - 1)
    : v.toFixed(digits);
}

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** A history shown as a table; see {@linkcode historyTable}. */
export class HistoryTable {
  /** Column names, `epoch` first. */
  readonly columns: string[];
  /** Rows as numbers. */
  readonly rows: Array<Record<string, number>>;
  /** Digits after the decimal point. */
  readonly digits: number;
  /** Index of the best row per column that has a direction (highlighted). */
  readonly best: Record<string, number>;

  /**
   * @param history The history.
   * @param digits Digits after the decimal point.
   */
  constructor(history: TrainingHistory, digits = 4) {
    this.rows = historyRows(history);
    this.columns = this.rows.length > 0 ? Object.keys(this.rows[0]) : ["epoch"];
    this.digits = digits;
    this.best = {};
    for (const c of this.columns.slice(1)) {
      try {
        this.best[c] = bestEpoch(history, c).index;
      } catch {
        // No direction (e.g. learning_rate) or no finite value: no highlight.
      }
    }
  }

  /** Aligned plain text, best values marked with `*`. */
  toString(): string {
    const cells = this.rows.map((r, i) =>
      this.columns.map((c) =>
        c === "epoch"
          ? String(r[c] + 1)
          : formatNumber(r[c], this.digits) + (this.best[c] === i ? "*" : " ")
      )
    );
    const widths = this.columns.map((c, j) =>
      Math.max(c.length, ...cells.map((row) => row[j].length))
    );
    const line = (row: string[]) => row.map((s, j) => s.padStart(widths[j])).join("  ");
    return [line(this.columns), ...cells.map(line)].join("\n");
  }

  /** HTML table with the best value of each metric in bold. */
  toHtml(): string {
    const head = this.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
    const body = this.rows.map((r, i) =>
      "<tr>" + this.columns.map((c) => {
        const text = c === "epoch" ? String(r[c] + 1) : formatNumber(r[c], this.digits);
        return `<td>${this.best[c] === i ? `<b>${text}</b>` : text}</td>`;
      }).join("") + "</tr>"
    ).join("");
    return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
  }

  /** The bundle Deno's kernel shows (`await show(table)`). */
  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/plain": this.toString(), "text/html": this.toHtml() };
  }
}

/**
 * A table of the history for a notebook or terminal: one row per epoch (shown
 * 1-based, as in the progress bar), best value of each metric highlighted.
 *
 * @param history `await model.fit(...)` or its `.history`.
 * @param options `digits` after the decimal point. @default {{ digits: 4 }}
 * @returns A displayable table: `await show(historyTable(h))`, or `String(...)`.
 * @example
 * ```ts
 * import { historyTable } from "@lib";
 * console.log(String(historyTable({ loss: [1, 0.5], val_loss: [1.2, 0.9] })));
 * ```
 */
export function historyTable(
  history: TrainingHistory,
  options: { digits?: number } = {},
): HistoryTable {
  const { digits = 4 } = options;
  return new HistoryTable(history, digits);
}

/**
 * The history as CSV text: header `epoch,loss,...`, one row per epoch (0-based
 * epoch, like `csvLogger`), `NA` for missing values.
 *
 * @param history `await model.fit(...)` or its `.history`.
 * @param separator Column separator. @default {","}
 * @returns CSV text ending with a newline.
 * @example
 * ```ts
 * import { historyToCsv } from "@lib";
 * historyToCsv({ loss: [1, 0.5] }); // "epoch,loss\n0,1\n1,0.5\n"
 * ```
 */
export function historyToCsv(history: TrainingHistory, separator = ","): string {
  const rows = historyRows(history);
  const columns = rows.length > 0 ? Object.keys(rows[0]) : ["epoch"];
  const cell = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? "NA" : String(v));
  return [
    columns.join(separator),
    ...rows.map((r) => columns.map((c) => cell(r[c])).join(separator)),
  ]
    .join("\n") + "\n";
}

/**
 * The history as JSON: `{ "epoch": [...], "history": { "loss": [...], ... } }`, the
 * shape of a tfjs `History`, so `JSON.parse` gives something every helper accepts.
 *
 * @param history `await model.fit(...)` or its `.history`.
 * @returns JSON text (NaN and ±Infinity written as `null`).
 * @example
 * ```ts
 * import { historyToJson } from "@lib";
 * historyToJson({ loss: [1, 0.5] }); // '{"epoch":[0,1],"history":{"loss":[1,0.5]}}'
 * ```
 */
export function historyToJson(history: TrainingHistory): string {
  const { series, epochs } = parts(history);
  const ordered: Record<string, number[]> = {};
  for (const k of orderedKeys(series)) ordered[k] = series[k];
  return JSON.stringify({ epoch: epochs, history: ordered });
}

/**
 * Write the history to a file: CSV for `.csv`, JSON otherwise.
 *
 * @param history `await model.fit(...)` or its `.history`.
 * @param path Target file, e.g. `"runs/exp1/history.csv"`.
 * @throws When the file cannot be written (naming it).
 * @example
 * ```ts
 * import { saveHistory } from "@lib";
 * const file = await Deno.makeTempFile({ suffix: ".json" });
 * await saveHistory({ loss: [1, 0.5] }, file);
 * ```
 */
export async function saveHistory(history: TrainingHistory, path: string): Promise<void> {
  const text = path.toLowerCase().endsWith(".csv") ? historyToCsv(history) : historyToJson(history);
  try {
    await Deno.writeTextFile(path, text);
  } catch (error) {
    throw new Error(
      `saveHistory: cannot write "${path}" (${error instanceof Error ? error.message : error}).`,
    );
  }
}
