/**
 * A loss surface as a contour map, with the path an optimiser took over it (the SGD
 * lesson: how learning rate and momentum change the steps).
 *
 * @module
 */
import type { Figure, Trace } from "./figure.ts";
import { roundValue } from "./figure.ts";
import { checkArray, checkRange, describe, isArrayLike } from "./_check.ts";

/** A named path for {@linkcode LossContourOptions.paths}. */
export interface ContourPath {
  /** Legend entry. */
  name: string;
  /** The steps `[w0, w1]`. */
  points: Array<[number, number]>;
  /** Line and marker colour. @default {the next of PATH_COLORS (red, black, orange, pink, …)} */
  color?: string;
}

/** Colours of `paths`: visible on Viridis and on the legend's white (white comes last). */
const PATH_COLORS = ["#d62728", "#000000", "#ff7f0e", "#e377c2", "#17becf", "#ffffff"];

/** Every step of a path is `[w0, w1]`, or an error naming the step. */
function checkSteps(steps: unknown, label: string): void {
  checkArray(steps, `lossContourFigure(loss, options): ${label}`, "an array of [w0, w1] steps");
  (steps as unknown[]).forEach((p, i) => {
    if (!isArrayLike(p) || p.length !== 2) {
      throw new RangeError(
        `lossContourFigure(loss, options): ${label}[${i}] is ${describe(p)}, expected ` +
          "one step [w0, w1] (both weights after that step).",
      );
    }
  });
}

/** Options of {@linkcode lossContourFigure}. */
export interface LossContourOptions {
  /** Range of the first parameter (x). @default {[-2, 2]} */
  xRange?: [number, number];
  /** Range of the second parameter (y). @default {[-2, 2]} */
  yRange?: [number, number];
  /** Grid points per axis where the loss is evaluated (capped at 150). @default {60} */
  resolution?: number;
  /** Optimiser steps `[w0, w1]` to draw over the surface. @default {[]} */
  path?: Array<[number, number]>;
  /** Name of the path in the legend. @default {"path"} */
  pathName?: string;
  /**
   * Several named paths (one colour each, with a legend), e.g. one per optimiser; drawn
   * after `path`, in order (the last on top). The colour bar is left out when there are
   * any, unless `colorBar` asks for it (then it goes below the legend).
   * @default {[]}
   */
  paths?: ContourPath[];
  /** Show the colour bar. @default {true without `paths`, false with them} */
  colorBar?: boolean;
  /** Draw both axes to the same scale (one unit of w1 as long as one of w0). @default {false} */
  equalAxes?: boolean;
  /** Colour by log10(loss), for surfaces with a steep valley. @default {false} */
  logZ?: boolean;
  /** Axis titles. @default {["w0", "w1"]} */
  axisTitles?: [string, string];
  /** Figure title. @default {"Loss surface"} */
  title?: string;
  /** Width in px. @default {560} */
  width?: number;
  /** Height in px. @default {480} */
  height?: number;
}

/**
 * Evaluate a loss over a grid of two parameters and draw it as contours, optionally with
 * an optimiser's path.
 *
 * @param loss `(w0, w1) => loss`; non-finite results become empty cells.
 * @param options Ranges, resolution, path, log colouring.
 * @returns A Plotly figure: a contour trace, then the path (lines + markers).
 * @throws When `loss` is not a function, a range is not two numbers, or a path step is not
 *   `[w0, w1]`.
 * @example
 * ```ts
 * import { lossContourFigure } from "@lib/display/mod.ts";
 * const fig = lossContourFigure((a, b) => a * a + 10 * b * b, {
 *   path: [[1.8, 1], [1.4, -0.6], [1.1, 0.4]],
 * });
 * console.log(fig.data.map((t) => t.type)); // [ "contour", "scatter" ]
 * ```
 */
export function lossContourFigure(
  loss: (w0: number, w1: number) => number,
  options: LossContourOptions = {},
): Figure {
  const {
    xRange = [-2, 2],
    yRange = [-2, 2],
    resolution = 60,
    path = [],
    pathName = "path",
    paths = [],
    logZ = false,
    axisTitles = ["w0", "w1"],
    title = "Loss surface",
    width = 560,
    height = 480,
    colorBar = paths.length === 0,
    equalAxes = false,
  } = options;
  if (typeof loss !== "function") {
    throw new TypeError(
      `lossContourFigure(loss): loss is ${describe(loss)}, expected a function (w0, w1) => loss.`,
    );
  }
  checkRange(xRange, "lossContourFigure(loss, options): options.xRange");
  checkRange(yRange, "lossContourFigure(loss, options): options.yRange");
  checkSteps(path, "options.path");
  checkArray(
    paths,
    "lossContourFigure(loss, options): options.paths",
    "an array of { name, points }",
  );
  paths.forEach((p, i) => checkSteps(p?.points, `options.paths[${i}].points`));
  const n = Math.max(2, Math.min(150, Math.round(resolution)));
  const axis = ([lo, hi]: [number, number]) =>
    Array.from({ length: n }, (_, i) => roundValue(lo + ((hi - lo) * i) / (n - 1)) as number);
  const xs = axis(xRange);
  const ys = axis(yRange);
  let nonFinite = 0;
  // z[row][col] = loss(x = xs[col], y = ys[row]), as Plotly's contour expects.
  const z = ys.map((y) =>
    xs.map((x) => {
      const v = loss(x, y);
      const shown = logZ ? (v > 0 ? Math.log10(v) : NaN) : v;
      const r = roundValue(shown, 4);
      if (r === null) nonFinite++;
      return r;
    })
  );
  const data: Trace[] = [{
    type: "contour",
    x: xs,
    y: ys,
    z,
    colorscale: "Viridis",
    contours: { coloring: "heatmap", showlabels: false },
    name: logZ ? "log10(loss)" : "loss",
    showlegend: false,
    // Asked for next to a legend: the lower half of the right-hand side, below the legend.
    ...(!colorBar ? { showscale: false } : paths.length > 0
      ? {
        showscale: true,
        colorbar: {
          len: 0.5,
          y: 0,
          yanchor: "bottom" as const,
          title: { text: logZ ? "log10(loss)" : "loss" },
        },
      }
      : {}),
  }];
  if (path.length > 0) {
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name: pathName,
      x: path.map((p) => roundValue(p[0])),
      y: path.map((p) => roundValue(p[1])),
      line: { color: "#ffffff", width: 2 },
      marker: { color: "#d62728", size: 6, line: { color: "#ffffff", width: 1 } },
      showlegend: false,
    });
  }
  paths.forEach((p, i) => {
    const color = p.color ?? PATH_COLORS[i % PATH_COLORS.length];
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name: p.name,
      x: p.points.map((q) => roundValue(q[0])),
      y: p.points.map((q) => roundValue(q[1])),
      line: { color, width: 2 },
      marker: { color, size: 4 },
    });
  });
  return {
    data,
    layout: {
      title: { text: title },
      ...(paths.length > 0 ? { showlegend: true } : {}),
      width,
      height,
      xaxis: { title: { text: axisTitles[0] }, range: xRange, showgrid: false },
      yaxis: {
        title: { text: axisTitles[1] },
        range: yRange,
        showgrid: false,
        ...(equalAxes ? { scaleanchor: "x" } : {}),
      },
      meta: {
        kind: "contour",
        grid: n,
        nonFinite,
        steps: path.length,
        ...(paths.length > 0 ? { paths: paths.length } : {}),
      },
    },
  };
}
