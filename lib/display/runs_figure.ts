/**
 * Several training runs on one chart (e.g. no regularisation vs L2 vs dropout): one
 * colour per run, training solid and validation dashed.
 *
 * @module
 */
import type { Figure, Trace } from "./figure.ts";
import { COLORWAY, DEFAULT_MAX_POINTS, epochPoints } from "./figure.ts";
import { asData, type HistoryData, type TrainingHistory } from "../core/history.ts";

/** Options of {@linkcode compareRunsFigure}. */
export interface CompareRunsOptions {
  /** Base metric compared, e.g. `"loss"` or `"acc"`. @default {"loss"} */
  metric?: string;
  /** Which series of each run: training, validation or both. @default {"both"} */
  split?: "train" | "validation" | "both";
  /** Log-scale y axis. @default {false} */
  logY?: boolean;
  /** Figure title. @default {`${metric} by run`} */
  title?: string;
  /** Most points per series. @default {2000} */
  maxPoints?: number;
  /** Width in px. @default {640} */
  width?: number;
  /** Height in px. @default {400} */
  height?: number;
}

/**
 * Compare runs' learning curves on one chart.
 *
 * @param runs Run name → its History (or history record), in legend order.
 * @param options Metric, which split, log scale, size.
 * @returns A Plotly figure.
 * @throws When no run has the metric (the message lists what the runs have).
 * @example
 * ```ts
 * import { compareRunsFigure } from "@lib";
 * const fig = compareRunsFigure({
 *   "no regularisation": { loss: [1, 0.4, 0.1], val_loss: [1, 0.6, 0.8] },
 *   "L2": { loss: [1, 0.5, 0.3], val_loss: [1, 0.6, 0.5] },
 * });
 * console.log(fig.data.length); // 4
 * ```
 */
export function compareRunsFigure(
  runs: Record<string, TrainingHistory | HistoryData>,
  options: CompareRunsOptions = {},
): Figure {
  const {
    metric = "loss",
    split = "both",
    logY = false,
    title = `${metric} by run`,
    maxPoints = DEFAULT_MAX_POINTS,
    width = 640,
    height = 400,
  } = options;
  const data: Trace[] = [];
  const seen = new Set<string>();
  let nonFinite = 0;
  Object.entries(runs).forEach(([run, history], i) => {
    const { series } = asData(history, "compareRunsFigure()");
    Object.keys(series).forEach((k) => seen.add(k));
    const color = COLORWAY[i % COLORWAY.length];
    const wanted = [
      ...(split !== "validation" ? [[metric, "solid", "train"] as const] : []),
      ...(split !== "train" ? [[`val_${metric}`, "dash", "validation"] as const] : []),
    ];
    for (const [key, dash, label] of wanted) {
      const values = series[key];
      if (!values) continue;
      const { x, y, nonFinite: gaps } = epochPoints(values, maxPoints);
      nonFinite += gaps;
      data.push({
        type: "scatter",
        mode: "lines",
        name: split === "both" ? `${run} (${label})` : run,
        legendgroup: run,
        x,
        y,
        line: { color, dash, width: 2 },
      });
    }
  });
  if (data.length === 0 && Object.keys(runs).length > 0) {
    throw new Error(
      `compareRunsFigure(): no run has "${metric}"${
        split === "train" ? "" : ` or "val_${metric}"`
      } ` +
        `(the runs have: ${
          [...seen].join(", ") || "nothing"
        }). Pass { metric: "..." } by base name.`,
    );
  }
  return {
    data,
    layout: {
      title: { text: title },
      width,
      height,
      showlegend: true,
      xaxis: { title: { text: "epoch" } },
      yaxis: { title: { text: metric }, ...(logY ? { type: "log" as const } : {}) },
      meta: { kind: "runs", runs: Object.keys(runs), nonFinite },
    },
  };
}
