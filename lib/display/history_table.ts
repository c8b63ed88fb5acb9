/**
 * A training history as a table, for a notebook (HTML, best values in bold) or a terminal
 * (aligned text, best values starred).
 *
 * @module
 */
import { formatNumber } from "../core/format.ts";
import {
  asData,
  bestIndex,
  type HistoryData,
  monitorDirection,
  type TrainingHistory,
} from "../core/history.ts";
import { escapeHtml } from "../core/html.ts";
import { JUPYTER_DISPLAY, type MimeBundle } from "../core/output.ts";
import { textTable } from "../core/text_table.ts";

/** Options of {@linkcode historyTable}. */
export interface HistoryTableOptions {
  /** Digits after the decimal point. @default {4} */
  digits?: number;
}

/** A history shown as a table; see {@linkcode historyTable}. */
export class HistoryTable {
  /** Column names, `epoch` first. */
  readonly columns: string[];
  /** The history, read into numbers. */
  readonly data: HistoryData;
  /** Digits after the decimal point. */
  readonly digits: number;
  /** Index of the best row per column whose direction is known (highlighted). */
  readonly best: Record<string, number>;

  /**
   * @param history The history.
   * @param options `digits`.
   */
  constructor(history: TrainingHistory | HistoryData, options: HistoryTableOptions = {}) {
    const { digits = 4 } = options;
    this.data = asData(history, "historyTable");
    this.columns = ["epoch", ...Object.keys(this.data.series)];
    this.digits = digits;
    this.best = {};
    for (const [key, values] of Object.entries(this.data.series)) {
      let direction: "min" | "max";
      try {
        direction = monitorDirection(key, "auto", "historyTable");
      } catch {
        continue; // No direction (e.g. learning_rate): no highlight.
      }
      const index = bestIndex(values, direction);
      if (index >= 0) this.best[key] = index;
    }
  }

  /** Cell texts, one row per epoch; epochs shown 1-based, as the progress bar counts. */
  #cells(): string[][] {
    const { epochs, series } = this.data;
    return epochs.map((epoch, i) => [
      String(epoch + 1),
      ...Object.values(series).map((v) => formatNumber(v[i], { fixed: this.digits })),
    ]);
  }

  /** Aligned plain text, best values marked with `*`. */
  toString(): string {
    const keys = this.columns.slice(1);
    const rows = this.#cells().map((row, i) =>
      row.map((cell, j) => (j === 0 ? cell : cell + (this.best[keys[j - 1]] === i ? "*" : " ")))
    );
    return textTable(this.columns, rows, { align: this.columns.map(() => "right") });
  }

  /** HTML table with the best value of each metric in bold. */
  toHtml(): string {
    const keys = this.columns.slice(1);
    const head = this.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
    const body = this.#cells().map((row, i) =>
      "<tr>" + row.map((text, j) =>
        `<td>${j > 0 && this.best[keys[j - 1]] === i ? `<b>${text}</b>` : text}</td>`
      ).join("") + "</tr>"
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
 * 1-based, as in the progress bar), best value of each metric highlighted by the
 * direction rule the callbacks use (`monitorDirection`).
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
  history: TrainingHistory | HistoryData,
  options: HistoryTableOptions = {},
): HistoryTable {
  return new HistoryTable(history, options);
}
