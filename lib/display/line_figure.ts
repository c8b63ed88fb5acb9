/**
 * Data and fitted curves: `lineFigure` for one or more lines, `scatterFigure` for points
 * with an optional fitted line or curve (the regression lessons' "data vs fit" plot).
 *
 * @module
 */
import type { Figure, Trace } from "./figure.ts";
import { cleanSeries, COLORWAY, decimate, DEFAULT_MAX_POINTS } from "./figure.ts";
import { checkArray } from "./_check.ts";
import { finiteExtent } from "./_extent.ts";

/** A named series for {@linkcode lineFigure}. */
export interface Series {
  /** Legend entry. */
  name: string;
  /** y values, one per x. */
  y: ArrayLike<number>;
  /** Its own x values. @default {the figure's x} */
  x?: ArrayLike<number>;
  /** Dash pattern. @default {"solid"} */
  dash?: "solid" | "dash" | "dot" | "dashdot";
}

/** Common options of the line and scatter figures. */
export interface XYFigureOptions {
  /** Figure title. @default {undefined} */
  title?: string;
  /** x axis title. @default {"x"} */
  xTitle?: string;
  /** y axis title. @default {"y"} */
  yTitle?: string;
  /** Log-scale y axis. @default {false} */
  logY?: boolean;
  /** Log-scale x axis (learning rates, batch sizes). @default {false} */
  logX?: boolean;
  /** Most points per series (longer series are decimated). @default {2000} */
  maxPoints?: number;
  /** Width in px. @default {640} */
  width?: number;
  /** Height in px. @default {400} */
  height?: number;
}

/** Options of {@linkcode scatterFigure}. */
export interface ScatterFigureOptions extends XYFigureOptions {
  /** Legend name of the points. @default {"data"} */
  name?: string;
  /**
   * A fitted model to draw over the points: its `{ x, y }` values, or a function that
   * is sampled at `fitPoints` x values across the data's range.
   * @default {undefined}
   */
  fit?: { x: ArrayLike<number>; y: ArrayLike<number> } | ((x: number) => number);
  /** Legend name of the fit. @default {"fit"} */
  fitName?: string;
  /** Samples of a fit function. @default {200} */
  fitPoints?: number;
}

function checkLengths(fn: string, what: string, x: ArrayLike<number>, y: ArrayLike<number>) {
  if (x.length !== y.length) {
    throw new Error(
      `${fn}: ${what} has ${x.length} x values but ${y.length} y values. ` +
        "Pass one y per x (slice the longer array, or check the data you passed).",
    );
  }
}

function xyTrace(
  name: string,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  maxPoints: number,
): { trace: Trace; nonFinite: number; dropped: number } {
  const cleaned = cleanSeries(Array.from(y));
  const xs = Array.from(x, (v) => (Number.isFinite(v) ? v : NaN));
  const d = decimate(xs, cleaned.values, maxPoints);
  return {
    trace: { type: "scatter", name, x: d.x.map((v) => (Number.isNaN(v) ? null : v)), y: d.y },
    nonFinite: cleaned.nonFinite,
    dropped: xs.length - d.x.length,
  };
}

function axesLayout(options: XYFigureOptions) {
  const {
    title,
    xTitle = "x",
    yTitle = "y",
    logY = false,
    logX = false,
    width = 640,
    height = 400,
  } = options;
  return {
    ...(title ? { title: { text: title } } : {}),
    width,
    height,
    xaxis: { title: { text: xTitle }, ...(logX ? { type: "log" as const } : {}) },
    yaxis: { title: { text: yTitle }, ...(logY ? { type: "log" as const } : {}) },
  };
}

/**
 * One or more lines over x.
 *
 * @param x x values.
 * @param y One series (y values, one per x) or several named {@linkcode Series}.
 * @param options Titles, log scale, size.
 * @returns A Plotly figure.
 * @throws When x or y is not an array, or a series' length differs from its x values' (the
 *   message gives both).
 * @example
 * ```ts
 * import { lineFigure } from "@lib/display/mod.ts";
 * const x = [0, 1, 2, 3];
 * const fig = lineFigure(x, [
 *   { name: "x²", y: x.map((v) => v * v) },
 *   { name: "2x", y: x.map((v) => 2 * v), dash: "dash" },
 * ]);
 * console.log(fig.data.length); // 2
 * ```
 */
export function lineFigure(
  x: ArrayLike<number>,
  y: ArrayLike<number> | Series[],
  options: XYFigureOptions = {},
): Figure {
  const { maxPoints = DEFAULT_MAX_POINTS } = options;
  checkArray(x, "lineFigure(x, y): x", "an array of numbers (the x values)");
  checkArray(y, "lineFigure(x, y): y", "an array of numbers, one per x, or series [{ name, y }]");
  const series: Series[] = Array.isArray(y) && typeof y[0] === "object" && y[0] !== null
    ? (y as Series[])
    : [{ name: "y", y: y as ArrayLike<number> }];
  series.forEach((s, i) => {
    const where = `lineFigure(x, y): series ${i}${s?.name ? ` ("${s.name}")` : ""}`;
    checkArray(s?.y, `${where} y`, "an array of numbers, one per x");
    if (s.x !== undefined) checkArray(s.x, `${where} x`, "an array of numbers, or none");
  });
  let nonFinite = 0;
  let dropped = 0;
  const data = series.map((s, i) => {
    const sx = s.x ?? x;
    checkLengths("lineFigure()", `series "${s.name}"`, sx, s.y);
    const made = xyTrace(s.name, sx, s.y, maxPoints);
    nonFinite += made.nonFinite;
    dropped += made.dropped;
    const color = COLORWAY[i % COLORWAY.length];
    return { ...made.trace, mode: "lines" as const, line: { color, dash: s.dash ?? "solid" } };
  });
  return {
    data,
    layout: {
      ...axesLayout(options),
      showlegend: series.length > 1,
      meta: { kind: "line", nonFinite, dropped },
    },
  };
}

/**
 * Data points, optionally with a fitted line or curve over them.
 *
 * @param x x values of the data.
 * @param y y values of the data, one per x.
 * @param options Fit, names, titles, size.
 * @returns A Plotly figure: the points, then the fit.
 * @throws When x or y is not an array, or x and y (or the fit's x and y) differ in length.
 * @example
 * ```ts
 * import { scatterFigure } from "@lib/display/mod.ts";
 * const fig = scatterFigure([0, 1, 2], [0.1, 0.9, 2.2], { fit: (x) => 1.05 * x });
 * console.log(fig.data.map((t) => t.name)); // [ "data", "fit" ]
 * ```
 */
export function scatterFigure(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: ScatterFigureOptions = {},
): Figure {
  const {
    maxPoints = DEFAULT_MAX_POINTS,
    name = "data",
    fit,
    fitName = "fit",
    fitPoints = 200,
  } = options;
  checkArray(x, "scatterFigure(x, y): x", "an array of numbers (the x values)");
  checkArray(y, "scatterFigure(x, y): y", "an array of numbers, one per x");
  checkLengths("scatterFigure()", "the data", x, y);
  const points = xyTrace(name, x, y, maxPoints);
  const data: Trace[] = [{
    ...points.trace,
    mode: "markers",
    marker: { color: COLORWAY[0], size: 6, opacity: 0.7 },
  }];
  let nonFinite = points.nonFinite;
  if (fit !== undefined) {
    let fx: number[];
    let fy: number[];
    if (typeof fit === "function") {
      const [lo, hi] = finiteExtent(x) ?? [0, 1];
      fx = Array.from({ length: fitPoints }, (_, i) => lo + ((hi - lo) * i) / (fitPoints - 1));
      fy = fx.map(fit);
    } else {
      const where = "scatterFigure(x, y, options): options.fit";
      checkArray(fit?.x, `${where}.x`, "an array of numbers (or pass a function x => y)");
      checkArray(fit.y, `${where}.y`, "an array of numbers, one per fit.x");
      checkLengths("scatterFigure()", "options.fit", fit.x, fit.y);
      const order = Array.from(fit.x, (v, i) => [v, fit.y[i]]).sort((a, b) => a[0] - b[0]);
      fx = order.map((p) => p[0]);
      fy = order.map((p) => p[1]);
    }
    const line = xyTrace(fitName, fx, fy, maxPoints);
    nonFinite += line.nonFinite;
    data.push({ ...line.trace, mode: "lines", line: { color: COLORWAY[3], width: 3 } });
  }
  return {
    data,
    layout: {
      ...axesLayout(options),
      showlegend: data.length > 1,
      meta: { kind: "scatter", nonFinite, dropped: points.dropped },
    },
  };
}
