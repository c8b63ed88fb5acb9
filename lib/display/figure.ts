/**
 * The Plotly figure object: the plain, JSON-serialisable value every figure builder in
 * `lib/display` returns and every renderer (Plotly in the browser, {@linkcode figureToSvg}
 * here) draws. Only the subset of Plotly's schema the lessons use is typed; see
 * https://plotly.com/javascript/reference/ for the meaning of each attribute.
 *
 * Also the small numeric helpers the builders share: cleaning non-finite values,
 * rounding to a few significant digits (smaller outputs), capping points per trace.
 *
 * @module
 */

/** One value on an axis: a number, a category name, or `null` for a gap. */
export type Datum = number | string | null;

/** Line style of a scatter trace or a shape. */
export interface LineStyle {
  /** CSS colour. @default {undefined} (Plotly's colorway) */
  color?: string;
  /** Dash pattern. @default {"solid"} */
  dash?: "solid" | "dash" | "dot" | "dashdot";
  /** Width in px. @default {2} */
  width?: number;
}

/** Marker style of a scatter or bar trace. */
export interface MarkerStyle {
  /** CSS colour, or one per point. @default {undefined} */
  color?: string | string[];
  /** Size in px. @default {6} */
  size?: number;
  /** Plotly symbol name, e.g. `"circle"`, `"star"`, `"diamond"`, `"x"`. @default {"circle"} */
  symbol?: string;
  /** Outline. @default {undefined} */
  line?: { color?: string; width?: number };
  /** Opacity from 0 to 1. @default {1} */
  opacity?: number;
}

/** A colour scale: `[position 0..1, css colour]` stops, or a Plotly scale name. */
export type ColorScale = string | Array<[number, string]>;

/** One trace (series) of a figure. */
export interface Trace {
  /** Trace type. */
  type: "scatter" | "bar" | "heatmap" | "contour" | "image";
  /** Legend entry. @default {undefined} */
  name?: string;
  /** x values (scatter, bar; cell centres for heatmap/contour). */
  x?: Datum[];
  /** y values (scatter, bar; cell centres for heatmap/contour). */
  y?: Datum[];
  /** Matrix `z[row][col]` of heatmap and contour traces; `null` is a gap. */
  z?: Array<Array<number | null>>;
  /** What a scatter trace draws. @default {"lines"} */
  mode?: "lines" | "markers" | "lines+markers" | "text" | "markers+text" | "lines+text";
  /** Line style (scatter). */
  line?: LineStyle;
  /** Marker style (scatter, bar). */
  marker?: MarkerStyle;
  /** Which x axis: `"x"`, `"x2"`, … @default {"x"} */
  xaxis?: string;
  /** Which y axis: `"y"`, `"y2"`, … @default {"y"} */
  yaxis?: string;
  /** Whether the trace has a legend entry. @default {true} */
  showlegend?: boolean;
  /** Traces with one group toggle together in the legend. */
  legendgroup?: string;
  /** Colour scale (heatmap, contour). */
  colorscale?: ColorScale;
  /** Colour scale bounds (heatmap, contour). @default {undefined} (data range) */
  zmin?: number;
  /** Colour scale bounds (heatmap, contour). @default {undefined} (data range) */
  zmax?: number;
  /** Whether the colour bar shows. @default {true} */
  showscale?: boolean;
  /** Colour bar placement (fraction of the plot height) and title. @default {undefined} (Plotly's) */
  colorbar?: {
    len?: number;
    y?: number;
    yanchor?: "top" | "middle" | "bottom";
    title?: { text: string };
  };
  /** Per-point labels (scatter text mode) or per-cell labels (heatmap). */
  text?: string[] | string[][];
  /** Template for text drawn on points or cells, e.g. `"%{z}"`. */
  texttemplate?: string;
  /** Hover label template. */
  hovertemplate?: string;
  /** Data URI of an image trace, e.g. a PNG from {@linkcode encodePng}. */
  source?: string;
  /** Position of an image trace's first pixel centre. @default {0} */
  x0?: number;
  /** Position of an image trace's first pixel centre. @default {0} */
  y0?: number;
  /** Pixel size of an image trace in x units. @default {1} */
  dx?: number;
  /** Pixel size of an image trace in y units. @default {1} */
  dy?: number;
  /** Bar width in x units. @default {undefined} (automatic) */
  width?: number;
  /** Trace opacity. @default {1} */
  opacity?: number;
  /** Contour options. */
  contours?: { coloring?: "fill" | "heatmap" | "lines"; showlabels?: boolean };
  /** Free-form data carried along; builders record what they dropped here. */
  meta?: Record<string, unknown>;
}

/** An axis. */
export interface Axis {
  /** Axis title. */
  title?: { text: string };
  /** Scale. @default {"linear"} */
  type?: "linear" | "log" | "category";
  /** Fixed range (for log axes: in log10 units, as Plotly wants). @default {undefined} (auto) */
  range?: [number, number];
  /** `"reversed"` draws the axis top-down (images). @default {true} */
  autorange?: boolean | "reversed";
  /** Fraction of the plot area this axis spans. @default {[0, 1]} */
  domain?: [number, number];
  /** The axis this one is drawn against, e.g. `"y2"` for `xaxis2`. */
  anchor?: string;
  /** Whether tick labels show. @default {true} */
  showticklabels?: boolean;
  /** Whether grid lines show. @default {true} */
  showgrid?: boolean;
  /** Whether the zero line shows. @default {false} */
  zeroline?: boolean;
  /** Keep this axis' units equal in length to another's, e.g. `"x"` (images). */
  scaleanchor?: string;
  /** Ticks at integer steps etc. @default {undefined} */
  dtick?: number;
  /**
   * Ticks exactly at these values (data units, also on log axes), e.g. the batch sizes
   * measured; replaces the automatic ticks. @default {undefined}
   */
  tickvals?: number[];
  /** Labels for `tickvals`, one each. @default {undefined} (the values, formatted) */
  ticktext?: string[];
  /**
   * How Plotly writes tick exponents: `"power"` (10⁻³), `"e"` (1e-3), `"SI"`/`"B"`
   * (SI prefixes, 1m), `"none"`.
   * @default {"B"} (Plotly's; {@linkcode figureBundle} shows log axes with `"power"`)
   */
  exponentformat?: "none" | "e" | "E" | "power" | "SI" | "B";
  /** Whether the axis is drawn at all. @default {true} */
  visible?: boolean;
}

/** A line or rectangle drawn on the plot (markers for best / stop epochs). */
export interface Shape {
  /** Shape kind. */
  type: "line" | "rect";
  /** Coordinate systems: an axis id (`"x"`), `"paper"`, or `"y domain"` etc. */
  xref?: string;
  /** Coordinate systems: an axis id (`"y"`), `"paper"`, or `"y domain"` etc. */
  yref?: string;
  /** Corners. */
  x0: number;
  /** Corners. */
  x1: number;
  /** Corners. */
  y0: number;
  /** Corners. */
  y1: number;
  /** Outline. */
  line?: LineStyle;
  /** Fill colour (rect). */
  fillcolor?: string;
  /** Opacity. @default {1} */
  opacity?: number;
}

/** A text label on the plot. */
export interface Annotation {
  /** The text. */
  text: string;
  /** Position. */
  x: number;
  /** Position. */
  y: number;
  /** Coordinate systems, as for {@linkcode Shape}. @default {"x"} */
  xref?: string;
  /** Coordinate systems, as for {@linkcode Shape}. @default {"y"} */
  yref?: string;
  /** Whether an arrow points at (x, y). @default {true} */
  showarrow?: boolean;
  /** Horizontal anchor of the text. @default {"center"} */
  xanchor?: "left" | "center" | "right";
  /** Vertical anchor of the text. @default {"middle"} */
  yanchor?: "top" | "middle" | "bottom";
  /** Font. */
  font?: { size?: number; color?: string };
}

/** Figure layout. Axes beyond the first are `xaxis2`, `yaxis2`, …. */
export interface Layout {
  /** Figure title. */
  title?: { text: string };
  /** Width in px. @default {640} */
  width?: number;
  /** Height in px. @default {400} */
  height?: number;
  /** First x axis. */
  xaxis?: Axis;
  /** First y axis. */
  yaxis?: Axis;
  /** More axes: `xaxis2`, `yaxis3`, …. */
  [axis: `${"x" | "y"}axis${number}`]: Axis | undefined;
  /** Whether a legend shows. @default {true} when there is more than one named trace */
  showlegend?: boolean;
  /** Margins in px. */
  margin?: { l?: number; r?: number; t?: number; b?: number };
  /** Lines and rectangles. */
  shapes?: Shape[];
  /** Text labels. */
  annotations?: Annotation[];
  /** Gap between bars, fraction of a slot. @default {0.2} */
  bargap?: number;
  /** Bars of several traces side by side or overlaid. @default {"group"} */
  barmode?: "group" | "overlay" | "stack";
  /**
   * Notes the builder left (what it cleaned, capped or dropped), e.g. `{ nonFinite: 2 }`.
   * Plain JSON that Plotly carries along without drawing.
   */
  meta?: Record<string, unknown>;
}

/** A Plotly figure: what `Plotly.newPlot(el, figure.data, figure.layout)` draws. */
export interface Figure {
  /** Traces, drawn in order. */
  data: Trace[];
  /** Layout. */
  layout: Layout;
}

/**
 * The ten colours Plotly cycles through (its default colorway), so the static SVG and the
 * interactive plot agree.
 *
 * @example
 * ```ts
 * import { COLORWAY } from "@lib/display/figure.ts";
 * console.log(COLORWAY[0]); // "#1f77b4"
 * ```
 */
export const COLORWAY: readonly string[] = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];

/** Most points one trace carries unless a builder is told otherwise. */
export const DEFAULT_MAX_POINTS = 2000;

/**
 * Round a number to a few significant digits (smaller JSON, same picture); non-finite
 * values become `null` (a gap in Plotly).
 *
 * @param value Any number.
 * @param digits Significant digits kept. @default {5}
 * @returns The rounded number, or `null` for NaN / ±Infinity.
 * @example
 * ```ts
 * import { roundValue } from "@lib/display/figure.ts";
 * console.log(roundValue(0.123456789), roundValue(NaN)); // 0.12346 null
 * ```
 */
export function roundValue(value: number, digits = 5): number | null {
  if (!Number.isFinite(value)) return null;
  if (value === 0) return 0;
  return Number(value.toPrecision(digits));
}

/**
 * Keep at most `maxPoints` points of a series, preserving its shape: the series is cut
 * into buckets and each bucket keeps its lowest and highest point, in order (so spikes
 * and the trend survive). Series that fit are returned as they are.
 *
 * @param x x values.
 * @param y y values (same length as `x`).
 * @param maxPoints Most points kept; at least 4.
 * @returns `{ x, y }` with at most `maxPoints` points.
 * @example
 * ```ts
 * import { decimate } from "@lib/display/figure.ts";
 * const x = Array.from({ length: 10_000 }, (_, i) => i);
 * console.log(decimate(x, x.map(Math.sin), 500).x.length <= 500); // true
 * ```
 */
export function decimate(
  x: readonly number[],
  y: ReadonlyArray<number | null>,
  maxPoints: number,
): { x: number[]; y: Array<number | null> } {
  if (x.length !== y.length) {
    throw new Error(
      `decimate(): x has ${x.length} values but y has ${y.length}. Pass one y per x.`,
    );
  }
  if (x.length <= maxPoints) return { x: [...x], y: [...y] };
  const buckets = Math.max(2, Math.floor(maxPoints / 2));
  const size = x.length / buckets;
  const outX: number[] = [];
  const outY: Array<number | null> = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(x.length, Math.floor((b + 1) * size));
    let lo = -1;
    let hi = -1;
    let sawGap = false;
    for (let i = start; i < end; i++) {
      const v = y[i];
      if (v === null || !Number.isFinite(v)) {
        sawGap = true;
        continue;
      }
      if (lo < 0 || v < (y[lo] as number)) lo = i;
      if (hi < 0 || v > (y[hi] as number)) hi = i;
    }
    if (lo < 0) {
      outX.push(x[start]);
      outY.push(null);
      continue;
    }
    for (const i of lo === hi ? [lo] : lo < hi ? [lo, hi] : [hi, lo]) {
      outX.push(x[i]);
      outY.push(y[i]);
    }
    if (sawGap) {
      outX.push(x[end - 1]);
      outY.push(null);
    }
  }
  return { x: outX, y: outY };
}

/**
 * Clean a numeric series for a figure: non-finite values become `null` (gaps), the rest
 * are rounded to 5 significant digits. Counts what it replaced.
 *
 * @param values Numbers, possibly with NaN / ±Infinity.
 * @returns The cleaned values and how many were not finite.
 * @example
 * ```ts
 * import { cleanSeries } from "@lib/display/figure.ts";
 * console.log(cleanSeries([1, NaN, Infinity])); // { values: [ 1, null, null ], nonFinite: 2 }
 * ```
 */
export function cleanSeries(
  values: ArrayLike<number | null>,
): { values: Array<number | null>; nonFinite: number } {
  const out: Array<number | null> = new Array(values.length);
  let nonFinite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const r = v === null ? null : roundValue(v);
    if (r === null) nonFinite++;
    out[i] = r;
  }
  return { values: out, nonFinite };
}

/**
 * A per-epoch series as plot points: x the 1-based epoch (for people), y cleaned
 * (non-finite values become gaps, counted) and decimated to at most `maxPoints`.
 *
 * @param values One value per epoch.
 * @param maxPoints Most points kept.
 * @returns `{ x, y, nonFinite }`.
 * @example
 * ```ts
 * import { epochPoints } from "@lib/display/figure.ts";
 * console.log(epochPoints([1, NaN, 0.5], 2000)); // { x: [ 1, 2, 3 ], y: [ 1, null, 0.5 ], nonFinite: 1 }
 * ```
 */
export function epochPoints(
  values: readonly number[],
  maxPoints: number,
): { x: number[]; y: Array<number | null>; nonFinite: number } {
  const cleaned = cleanSeries(values);
  const { x, y } = decimate(values.map((_, e) => e + 1), cleaned.values, maxPoints);
  return { x, y, nonFinite: cleaned.nonFinite };
}

/**
 * Convert `#rrggbb` to `rgba(r,g,b,a)`, for translucent fills of a palette colour.
 *
 * @param hex A colour like `"#1f77b4"`.
 * @param alpha Opacity from 0 to 1.
 * @returns The CSS `rgba(...)` string.
 * @example
 * ```ts
 * import { withAlpha } from "@lib/display/figure.ts";
 * console.log(withAlpha("#ff0000", 0.5)); // "rgba(255,0,0,0.5)"
 * ```
 */
export function withAlpha(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) {
    throw new Error(`withAlpha(): "${hex}" is not a #rrggbb colour. Pass e.g. "#1f77b4".`);
  }
  const n = parseInt(m[1], 16);
  return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${alpha})`;
}

/**
 * Notes a builder left on a figure in `layout.meta` (e.g. `{ nonFinite: 2 }`), or `{}`.
 *
 * @param figure A figure from a builder.
 * @returns The notes.
 * @example
 * ```ts
 * import { figureMeta } from "@lib/display/figure.ts";
 * import { historyFigure } from "@lib";
 * console.log(figureMeta(historyFigure({ loss: [1, NaN] })).nonFinite); // 1
 * ```
 */
export function figureMeta(figure: Figure): Record<string, unknown> {
  return figure.layout?.meta ?? {};
}
