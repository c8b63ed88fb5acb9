/**
 * Learning curves from a training `History`: one subplot per metric, training solid and
 * validation dashed in the same colour, optional log scale, and markers for the best
 * epoch, the early-stop epoch and the epoch whose weights were restored.
 *
 * Epochs in the options are 0-based, as in `history.epoch` and `EarlyStopping`; the axis
 * and the marker labels count from 1, for people.
 *
 * @module
 */
import {
  asData,
  baseName,
  bestIndex,
  type HistoryData,
  metricNames,
  monitorDirection,
  type MonitorMode,
  type TrainingHistory,
} from "../core/history.ts";
import type { Annotation, Figure, Layout, Shape, Trace } from "./figure.ts";
import { subplotAxes, subplotGrid } from "./_subplots.ts";
import { COLORWAY, DEFAULT_MAX_POINTS, epochPoints } from "./figure.ts";

/**
 * What an early-stopping callback reports after `fit`, all 0-based; `earlyStopping()`
 * from `@lib` is one. Pass it as `stopper` and the figure reads the epochs itself.
 */
export interface StopperLike {
  /** Epoch at which it stopped training; `undefined` when it never fired. */
  readonly stoppedEpoch?: number;
  /** Epoch with the best monitored value. */
  readonly bestEpoch?: number;
  /** Epoch whose weights were put back at the end; `undefined` when none were. */
  readonly restoredEpoch?: number;
  /** What it watched, so the best marker sits on that curve. */
  readonly monitor?: { readonly key: string; readonly direction: "min" | "max" };
}

/** Options of {@linkcode historyFigure}. */
export interface HistoryFigureOptions {
  /**
   * Metrics to draw, by base name (`"loss"`, `"acc"`); each gets a subplot with its
   * training series and, when present, its `val_` series. A `val_` name (`"val_loss"`)
   * draws the validation series alone.
   * @default {undefined} (every metric in the history, loss first)
   */
  metrics?: string[];
  /** Log-scale y axis for every metric that is not accuracy-like. @default {false} */
  logY?: boolean;
  /**
   * What the colours tell apart: `"metric"` gives each metric's subplot its own colour
   * (train solid, validation dashed); `"split"` colours by split instead, training in the
   * first colour and validation in the second in every subplot (still dashed), so a
   * reader tells the two curves apart at a glance where they cross or run close; with
   * several subplots the legend then has one entry per split (`"train"`, `"validation"`).
   * @default {"metric"}
   */
  colorBy?: "metric" | "split";
  /** Figure title. @default {"Learning curves"} */
  title?: string;
  /**
   * Series the "best" marker looks at.
   * @default {the stopper's monitor, else "val_loss" if present, else "loss"}
   */
  monitor?: string;
  /**
   * Whether lower or higher is better for `monitor`.
   * @default {"auto"} (the rule the callbacks use: `monitorDirection`)
   */
  mode?: MonitorMode;
  /**
   * Early-stopping callback after `fit` (e.g. `earlyStopping()`): its stopped, best
   * and restored epochs become the markers. A stopper that never fired draws no stop line.
   * @default {undefined}
   */
  stopper?: StopperLike;
  /**
   * Epoch (0-based) to mark as best; `false` hides the marker.
   * @default {undefined} (the stopper's `bestEpoch` when a stopper is given and `monitor`
   * is not; else the best epoch of `monitor`, marked only when it is not the last epoch —
   * on a curve that only goes down, "best" says nothing)
   */
  bestEpoch?: number | false;
  /** Epoch (0-based) at which training was stopped early. @default {stopper.stoppedEpoch} */
  stoppedEpoch?: number;
  /** Epoch (0-based) whose weights were restored. @default {stopper.restoredEpoch} */
  restoredEpoch?: number;
  /** Most points per series (longer series are decimated). @default {2000} */
  maxPoints?: number;
  /** Width in px. @default {360 per metric, 600–960} */
  width?: number;
  /** Height in px. @default {360} */
  height?: number;
}

/** Markers resolved to 0-based epochs (or none), checked against the history. */
interface Markers {
  monitor: string;
  best: number | undefined;
  stopped: number | undefined;
  restored: number | undefined;
}

function checkEpoch(name: string, epoch: number | undefined, last: number): void {
  if (epoch === undefined) return;
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > last) {
    throw new Error(
      `historyFigure(): ${name} ${epoch} is not an epoch of this history ` +
        (last < 0
          ? "(it has no epochs yet)."
          : `(0-based: 0…${last}). Epochs in the API count from 0, like history.epoch; ` +
            "is the stopper or epoch from another run?"),
    );
  }
}

function resolveMarkers(
  series: Record<string, number[]>,
  epochs: number,
  options: HistoryFigureOptions,
): Markers {
  const { stopper, mode = "auto" } = options;
  const monitor = options.monitor ?? stopper?.monitor?.key ??
    ("val_loss" in series ? "val_loss" : "loss");
  const last = epochs - 1;
  const stopped = options.stoppedEpoch ?? stopper?.stoppedEpoch;
  const restored = options.restoredEpoch ?? stopper?.restoredEpoch;
  checkEpoch("stoppedEpoch", stopped, last);
  checkEpoch("restoredEpoch", restored, last);
  let best: number | undefined;
  if (options.bestEpoch === false) {
    best = undefined;
  } else if (options.bestEpoch !== undefined) {
    checkEpoch("bestEpoch", options.bestEpoch, last);
    best = options.bestEpoch;
  } else if (
    stopper?.bestEpoch !== undefined && options.monitor === undefined &&
    stopper.bestEpoch < epochs
  ) {
    // The stopper's own best: with a minDelta it can differ from the series' extreme
    // (a later epoch lower by less than minDelta is not an improvement).
    checkEpoch("the stopper's bestEpoch", stopper.bestEpoch, last);
    best = stopper.bestEpoch;
  } else if (series[monitor] !== undefined) {
    const direction = options.monitor === undefined && stopper?.monitor !== undefined
      ? stopper.monitor.direction
      : directionOf(monitor, mode);
    const index = direction === undefined ? -1 : bestIndex(series[monitor], direction);
    best = index >= 0 && index < last ? index : undefined;
  }
  return { monitor, best, stopped, restored };
}

/** The monitor's direction, or `undefined` for a name the rule does not know. */
function directionOf(monitor: string, mode: MonitorMode): "min" | "max" | undefined {
  try {
    return monitorDirection(monitor, mode, "historyFigure()");
  } catch (error) {
    if (mode !== "auto") throw error;
    return undefined;
  }
}

function curveTraces(
  series: Record<string, number[]>,
  shown: string[],
  maxPoints: number,
  colorBy: "metric" | "split",
): { data: Trace[]; nonFinite: number } {
  const data: Trace[] = [];
  let nonFinite = 0;
  shown.forEach((name, i) => {
    const axes = subplotAxes(i);
    // A `val_` name asks for the validation series alone; a base name for both.
    const splits = name.startsWith("val_")
      ? [[name, "dash", "validation", 1] as const]
      : [[name, "solid", "train", 0] as const, [`val_${name}`, "dash", "validation", 1] as const];
    for (const [key, dash, label, split] of splits) {
      const color = COLORWAY[(colorBy === "split" ? split : i) % COLORWAY.length];
      const values = series[key];
      if (!values) continue;
      const { x, y, nonFinite: gaps } = epochPoints(values, maxPoints);
      nonFinite += gaps;
      // Coloured by split over several subplots, the legend names the two splits once
      // (the y titles name the metrics) instead of repeating look-alike entries.
      const bySplit = colorBy === "split" && shown.length > 1;
      data.push({
        type: "scatter",
        mode: values.length <= 30 ? "lines+markers" : "lines",
        name: bySplit ? label : `${baseName(name)} (${label})`,
        legendgroup: bySplit ? label : key,
        ...(bySplit && i > 0 ? { showlegend: false } : {}),
        x,
        y,
        xaxis: axes.x,
        yaxis: axes.y,
        line: { color, dash, width: 2 },
        marker: { color, size: 5 },
      });
    }
  });
  return { data, nonFinite };
}

function markerTraces(series: Record<string, number[]>, shown: string[], m: Markers): Trace[] {
  const values = series[m.monitor];
  const plot = shown.findIndex((n) => n === m.monitor || n === baseName(m.monitor));
  const axes = subplotAxes(Math.max(0, plot));
  const point = (epoch: number | undefined, name: string, symbol: string, color: string) => {
    const v = epoch === undefined ? undefined : values?.[epoch];
    if (epoch === undefined || v === undefined || !Number.isFinite(v)) return [];
    return [
      {
        type: "scatter",
        mode: "markers",
        name,
        x: [epoch + 1],
        y: [v],
        xaxis: axes.x,
        yaxis: axes.y,
        marker: { symbol, size: 14, color, line: { color: "#222222", width: 1 } },
      } satisfies Trace,
    ];
  };
  return [
    ...point(m.best, `best ${m.monitor} (epoch ${(m.best ?? 0) + 1})`, "star", "#ffd700"),
    ...point(
      m.restored,
      `restored weights (epoch ${(m.restored ?? 0) + 1})`,
      "diamond-open",
      "#222222",
    ),
  ];
}

function stopLines(shown: string[], stopped: number): { shapes: Shape[]; note: Annotation } {
  const shapes = shown.map((_, i): Shape => {
    const axes = subplotAxes(i);
    return {
      type: "line",
      xref: axes.x,
      yref: `${axes.y} domain`,
      x0: stopped + 1,
      x1: stopped + 1,
      y0: 0,
      y1: 1,
      line: { color: "#d62728", dash: "dot", width: 1.5 },
    };
  });
  const note: Annotation = {
    text: `early stop (epoch ${stopped + 1})`,
    x: stopped + 1,
    y: 1,
    xref: "x",
    yref: "y domain",
    showarrow: false,
    xanchor: "right",
    yanchor: "top",
    font: { size: 10, color: "#d62728" },
  };
  return { shapes, note };
}

/**
 * Build learning curves from a training history.
 *
 * Training series are solid and validation series dashed, in one colour per metric
 * (or, with `colorBy: "split"`, one colour per split). Non-finite values (a diverging run) become gaps and are counted in the figure's
 * `meta`; an empty history gives empty axes with the note "No epochs recorded yet".
 *
 * @param history A tfjs `History` (what `await model.fit(...)` returns), its record, or
 *   `readHistory`'s result.
 * @param options Metrics, log scale, markers (`stopper`, or 0-based epochs).
 * @returns A Plotly figure (plain object).
 * @throws When `metrics` names a metric the history does not have (the message lists
 *   them), or a marker's epoch is not an epoch of the history.
 * @example
 * ```ts
 * import { historyFigure } from "@lib";
 * const fig = historyFigure(
 *   { loss: [1, 0.5, 0.3, 0.35], val_loss: [1.1, 0.6, 0.5, 0.55] },
 *   { stoppedEpoch: 3, restoredEpoch: 2 },
 * );
 * console.log(fig.data.map((t) => t.name));
 * ```
 */
export function historyFigure(
  history: TrainingHistory | HistoryData,
  options: HistoryFigureOptions = {},
): Figure {
  const { series, epochs } = asData(history, "historyFigure()");
  const available = metricNames(series);
  const {
    metrics = available,
    logY = false,
    colorBy = "metric",
    title = "Learning curves",
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
  const { width = Math.min(960, Math.max(600, 360 * Math.max(1, shown.length))) } = options;
  const markers = resolveMarkers(series, epochs.length, options);
  const curves = curveTraces(series, shown, maxPoints, colorBy);
  const stop = markers.stopped !== undefined && shown.length > 0
    ? stopLines(shown, markers.stopped)
    : undefined;
  const layout: Layout = {
    title: { text: title },
    width,
    height,
    showlegend: true,
    ...subplotGrid(shown.length, (i) => ({
      x: { title: { text: "epoch" } },
      y: {
        title: { text: shown[i] ?? "loss" },
        ...(logY && !isAccuracyLike(shown[i] ?? "") ? { type: "log" as const } : {}),
      },
    })),
    shapes: stop?.shapes ?? [],
    annotations: [
      ...(stop ? [stop.note] : []),
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
    epochs: epochs.length,
    nonFinite: curves.nonFinite,
    metrics: shown,
    bestEpoch: markers.best ?? null,
    stoppedEpoch: markers.stopped ?? null,
    restoredEpoch: markers.restored ?? null,
  };
  return {
    data: [...curves.data, ...(shown.length > 0 ? markerTraces(series, shown, markers) : [])],
    layout,
  };
}

/** Whether a metric is bounded and "higher is better" (no log axis for it). */
function isAccuracyLike(metric: string): boolean {
  try {
    return monitorDirection(metric, "auto") === "max";
  } catch {
    return false;
  }
}
