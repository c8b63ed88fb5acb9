/**
 * Learning curves from a training `History`: one subplot per metric, training solid and
 * validation dashed in the same colour, optional log scale, and markers for the best
 * epoch, the early-stop epoch and the epoch whose weights were restored.
 *
 * @module
 */
import type { Figure, Layout, Shape, Trace } from "./figure.ts";
import { subplotAxes, subplotGrid } from "./_subplots.ts";
import { cleanSeries, COLORWAY, decimate, DEFAULT_MAX_POINTS } from "./figure.ts";

/** A value a tfjs `History` can hold: a number or a scalar tensor. */
export type LogValue = number | { dataSync(): ArrayLike<number> };

/**
 * What {@linkcode historyFigure} accepts: a tfjs `History` (the value `model.fit`
 * resolves to), or its `history` record `{ loss: [...], val_loss: [...] }`.
 */
export type HistoryLike =
  | { history: Record<string, LogValue[]>; epoch?: number[] }
  | Record<string, LogValue[]>;

/** Options of {@linkcode historyFigure}. */
export interface HistoryFigureOptions {
  /**
   * Metrics to draw, by base name (`"loss"`, `"acc"`); each gets a subplot with its
   * training series and, when present, its `val_` series.
   * @default {undefined} (every metric in the history, loss first)
   */
  metrics?: string[];
  /** Log-scale y axis for every metric whose name has no "acc" in it. @default {false} */
  logY?: boolean;
  /** Figure title. @default {"Learning curves"} */
  title?: string;
  /**
   * Series the "best" marker looks at. @default {"val_loss" if present, else "loss"}
   */
  monitor?: string;
  /**
   * Whether lower or higher is better for `monitor`.
   * @default {"auto"} ("max" when the name contains "acc", else "min")
   */
  mode?: "min" | "max" | "auto";
  /**
   * Epoch (1-based, as on the axis) to mark as best; `false` hides the marker.
   * @default {undefined} (the best epoch of `monitor`)
   */
  bestEpoch?: number | false;
  /** Epoch (1-based) at which early stopping ended training. @default {undefined} */
  stoppedEpoch?: number;
  /** Epoch (1-based) whose weights were restored. @default {undefined} */
  restoredEpoch?: number;
  /** Most points per series (longer series are decimated). @default {2000} */
  maxPoints?: number;
  /** Width in px. @default {360 per metric, 600–960} */
  width?: number;
  /** Height in px. @default {360} */
  height?: number;
}

/**
 * Read the per-epoch series of a History (or of its record), scalar tensors turned into
 * numbers.
 *
 * @param history A tfjs `History` or its `history` record.
 * @returns `{ loss: [...], val_loss: [...], ... }` as plain numbers.
 * @example
 * ```ts
 * import { historySeries } from "@lib/display/mod.ts";
 * console.log(historySeries({ history: { loss: [0.5, 0.25] }, epoch: [0, 1] }));
 * ```
 */
export function historySeries(history: HistoryLike): Record<string, number[]> {
  const record = "history" in history && !Array.isArray(history.history)
    ? (history.history as Record<string, LogValue[]>)
    : (history as Record<string, LogValue[]>);
  const out: Record<string, number[]> = {};
  for (const [key, values] of Object.entries(record)) {
    if (!Array.isArray(values)) continue;
    out[key] = values.map((v) => typeof v === "number" ? v : Number(v.dataSync()[0]));
  }
  return out;
}

/**
 * Base metric names of a history's series, loss first.
 *
 * @param series Series by key, e.g. from {@linkcode historySeries}.
 * @returns E.g. `["loss", "acc"]` for `loss`, `val_loss`, `acc`, `val_acc`.
 * @example
 * ```ts
 * import { metricNames } from "@lib/display/mod.ts";
 * console.log(metricNames({ acc: [1], val_loss: [1], loss: [1] })); // [ "loss", "acc" ]
 * ```
 */
export function metricNames(series: Record<string, number[]>): string[] {
  const names: string[] = [];
  for (const key of Object.keys(series)) {
    const base = key.startsWith("val_") ? key.slice(4) : key;
    if (!names.includes(base)) names.push(base);
  }
  return names.sort((a, b) => (a === "loss" ? -1 : b === "loss" ? 1 : 0));
}

/**
 * Index of the best value of a series, ignoring non-finite values.
 *
 * @param values The series.
 * @param mode Whether lower (`"min"`) or higher (`"max"`) is better.
 * @returns The index, or -1 when no value is finite.
 * @example
 * ```ts
 * import { bestIndex } from "@lib/display/mod.ts";
 * console.log(bestIndex([3, NaN, 1, 2], "min")); // 2
 * ```
 */
export function bestIndex(values: readonly number[], mode: "min" | "max"): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (best < 0 || (mode === "min" ? v < values[best] : v > values[best])) best = i;
  }
  return best;
}

/**
 * Build learning curves from a training history.
 *
 * Training series are solid and validation series dashed, in one colour per metric.
 * Non-finite values (a diverging run) become gaps and are counted in the figure's
 * `meta`; an empty history gives empty axes with a note instead of an error.
 *
 * @param history A tfjs `History` (what `await model.fit(...)` returns) or its record.
 * @param options Metrics, log scale, markers; see {@linkcode HistoryFigureOptions}.
 * @returns A Plotly figure (plain object).
 * @throws When `metrics` names a metric the history does not have (the message lists them).
 * @example
 * ```ts
 * import { historyFigure } from "@lib/display/mod.ts";
 * const fig = historyFigure(
 *   { loss: [1, 0.5, 0.3, 0.35], val_loss: [1.1, 0.6, 0.5, 0.55] },
 *   { stoppedEpoch: 4, restoredEpoch: 3 },
 * );
 * console.log(fig.data.map((t) => t.name));
 * ```
 */
export function historyFigure(history: HistoryLike, options: HistoryFigureOptions = {}): Figure {
  const series = historySeries(history);
  const available = metricNames(series);
  const {
    metrics = available,
    logY = false,
    title = "Learning curves",
    mode = "auto",
    bestEpoch,
    stoppedEpoch,
    restoredEpoch,
    maxPoints = DEFAULT_MAX_POINTS,
    height = 360,
  } = options;
  const unknown = metrics.filter((name) => !(name in series) && !(`val_${name}` in series));
  if (unknown.length > 0 && available.length > 0) {
    throw new Error(
      `historyFigure(): no metric ${unknown.map((n) => `"${n}"`).join(", ")} in this history ` +
        `(it has: ${Object.keys(series).join(", ")}). Pass metrics by base name, e.g. ` +
        `{ metrics: ["${available[0]}"] }.`,
    );
  }
  const shown = available.length === 0 ? [] : metrics;
  const monitor = options.monitor ?? ("val_loss" in series ? "val_loss" : "loss");
  const monitorMode = mode === "auto" ? (/acc/i.test(monitor) ? "max" : "min") : mode;
  const { width = Math.min(960, Math.max(600, 360 * Math.max(1, shown.length))) } = options;

  const data: Trace[] = [];
  const shapes: Shape[] = [];
  let nonFinite = 0;
  let epochs = 0;
  shown.forEach((name, i) => {
    const color = COLORWAY[i % COLORWAY.length];
    const axes = subplotAxes(i);
    for (
      const [key, dash, label] of [
        [name, "solid", "train"],
        [`val_${name}`, "dash", "validation"],
      ] as const
    ) {
      const values = series[key];
      if (!values) continue;
      epochs = Math.max(epochs, values.length);
      const cleaned = cleanSeries(values);
      nonFinite += cleaned.nonFinite;
      const { x, y } = decimate(values.map((_, e) => e + 1), cleaned.values, maxPoints);
      data.push({
        type: "scatter",
        mode: values.length <= 30 ? "lines+markers" : "lines",
        name: `${name} (${label})`,
        legendgroup: key,
        x,
        y,
        xaxis: axes.x,
        yaxis: axes.y,
        line: { color, dash, width: 2 },
        marker: { color, size: 5 },
      });
    }
  });

  // Markers: best epoch (star), restored weights (diamond), early stop (vertical line).
  const monitorValues = series[monitor];
  const base = monitor.startsWith("val_") ? monitor.slice(4) : monitor;
  const markerPlot = Math.max(0, shown.indexOf(base));
  const markerAxes = subplotAxes(markerPlot);
  const best = bestEpoch === false
    ? -1
    : bestEpoch !== undefined
    ? bestEpoch
    : monitorValues
    ? bestIndex(monitorValues, monitorMode) + 1
    : -1;
  const point = (epoch: number, name: string, symbol: string, color: string): void => {
    const v = monitorValues?.[epoch - 1];
    if (v === undefined || !Number.isFinite(v) || shown.length === 0) return;
    data.push({
      type: "scatter",
      mode: "markers",
      name,
      x: [epoch],
      y: [v],
      xaxis: markerAxes.x,
      yaxis: markerAxes.y,
      marker: { symbol, size: 14, color, line: { color: "#222222", width: 1 } },
    });
  };
  if (best > 0) point(best, `best ${monitor} (epoch ${best})`, "star", "#ffd700");
  if (restoredEpoch !== undefined) {
    point(restoredEpoch, `restored weights (epoch ${restoredEpoch})`, "diamond-open", "#222222");
  }
  if (stoppedEpoch !== undefined) {
    shown.forEach((_, i) => {
      const axes = subplotAxes(i);
      shapes.push({
        type: "line",
        xref: axes.x,
        yref: `${axes.y} domain`,
        x0: stoppedEpoch,
        x1: stoppedEpoch,
        y0: 0,
        y1: 1,
        line: { color: "#d62728", dash: "dot", width: 1.5 },
      });
    });
  }

  const layout: Layout = {
    title: { text: title },
    width,
    height,
    showlegend: true,
    ...subplotGrid(shown.length, (i) => ({
      x: { title: { text: "epoch" } },
      y: {
        title: { text: shown[i] ?? "loss" },
        ...(logY && !/acc/i.test(shown[i] ?? "") ? { type: "log" as const } : {}),
      },
    })),
    shapes,
    annotations: [
      ...(stoppedEpoch !== undefined && shown.length > 0
        ? [{
          text: `early stop (epoch ${stoppedEpoch})`,
          x: stoppedEpoch,
          y: 1,
          xref: "x",
          yref: "y domain",
          showarrow: false,
          xanchor: "right" as const,
          yanchor: "top" as const,
          font: { size: 10, color: "#d62728" },
        }]
        : []),
      ...(shown.length === 0
        ? [{
          text: "No epochs recorded yet",
          x: 0.5,
          y: 0.5,
          xref: "paper",
          yref: "paper",
          showarrow: false,
        }]
        : []),
    ],
  };
  layout.meta = {
    kind: "history",
    epochs,
    nonFinite,
    metrics: shown,
    bestEpoch: best > 0 ? best : null,
  };
  return { data, layout };
}
