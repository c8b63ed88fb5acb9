/**
 * Axes of the static SVG renderer (private): which axes a figure has, what kind each is
 * (linear, log, category), the data range it shows, where it lies in pixels, and the
 * mappings from data to pixels that traces, shapes and annotations share.
 *
 * @module
 */
import type { Axis, Datum, Layout, Trace } from "./figure.ts";
import { pngSize } from "./png.ts";

/** Round to 0.1 px: a shorter document, no visible difference. */
export const r1 = (v: number): number => Math.round(v * 10) / 10;

/** The figure's size, its margins, and the plot area inside them, in px. */
export interface Area {
  width: number;
  height: number;
  l: number;
  r: number;
  t: number;
  b: number;
  plotW: number;
  plotH: number;
}

/** One axis as the renderer sees it once the traces are read. */
export interface AxisState {
  id: string; // "x", "x2", "y", …
  letter: "x" | "y";
  spec: Axis;
  kind: "linear" | "log" | "category";
  categories: string[];
  lo: number; // data range (log10 units for log axes)
  hi: number;
  p0: number; // pixel positions of lo and hi
  p1: number;
  reversed: boolean;
}

/** Every axis of a figure, by id. */
export type Axes = Map<string, AxisState>;

function layoutAxis(layout: Layout, id: string): Axis {
  const letter = id[0] as "x" | "y";
  const key = `${letter}axis${id.slice(1)}` as `${"x" | "y"}axis${number}`;
  return (id.length === 1 ? layout[`${letter}axis`] : layout[key]) ?? {};
}

/** The axis id of a layout key: `"yaxis2"` → `"y2"`, `"xaxis"` → `"x"`; else undefined. */
export function axisIdOfKey(key: string): string | undefined {
  const m = /^([xy])axis(\d*)$/.exec(key);
  return m ? m[1] + (m[2] === "1" ? "" : m[2]) : undefined;
}

/** The axis a trace draws against along `letter`. */
export function axisOf(axes: Axes, t: Trace, letter: "x" | "y"): AxisState {
  return axes.get(letter === "x" ? t.xaxis ?? "x" : t.yaxis ?? "y") as AxisState;
}

/**
 * Every axis a trace uses or the layout names, with its kind, categories and final
 * data range (padded where points sit on it, fixed where the layout gives a range).
 */
export function buildAxes(layout: Layout, traces: Trace[], area: Area): Axes {
  const ids = new Set<string>(["x", "y"]);
  for (const t of traces) {
    ids.add(t.xaxis ?? "x");
    ids.add(t.yaxis ?? "y");
  }
  for (const key of Object.keys(layout)) {
    const id = axisIdOfKey(key);
    if (id) ids.add(id);
  }
  const axes: Axes = new Map();
  for (const id of ids) axes.set(id, newAxis(layoutAxis(layout, id), id, area));
  for (const t of traces) markCategories(axes, t);
  const padded = new Set<AxisState>();
  for (const t of traces) extendByTrace(axes, t, padded);
  for (const axis of axes.values()) settleRange(axis, padded.has(axis));
  return axes;
}

function newAxis(spec: Axis, id: string, area: Area): AxisState {
  const letter = id[0] as "x" | "y";
  const { l, t, plotW, plotH } = area;
  const [d0, d1] = spec.domain ?? [0, 1];
  return {
    id,
    letter,
    spec,
    kind: spec.type ?? "linear",
    categories: [],
    lo: Infinity,
    hi: -Infinity,
    p0: letter === "x" ? l + d0 * plotW : t + (1 - d0) * plotH,
    p1: letter === "x" ? l + d1 * plotW : t + (1 - d1) * plotH,
    reversed: spec.autorange === "reversed",
  };
}

/** An axis that receives strings is a category axis (unless it is declared log). */
function markCategories(axes: Axes, t: Trace): void {
  for (const letter of ["x", "y"] as const) {
    const values = t[letter];
    const axis = axisOf(axes, t, letter);
    if (values?.some((v) => typeof v === "string") && axis.spec.type !== "log") {
      axis.kind = "category";
      for (const v of values) {
        if (v !== null && !axis.categories.includes(String(v))) axis.categories.push(String(v));
      }
    }
  }
}

/** Position of a value in axis units (category index, log10, or the value), or null. */
export function pos(axis: AxisState, v: Datum): number | null {
  if (v === null) return null;
  if (axis.kind === "category") {
    const i = typeof v === "string" ? axis.categories.indexOf(v) : v;
    return i < 0 ? null : i;
  }
  if (typeof v !== "number" || !Number.isFinite(v)) return null;
  if (axis.kind === "log") return v > 0 ? Math.log10(v) : null;
  return v;
}

/** Pixel position of a position in axis units. */
export function px(axis: AxisState, v: number): number {
  const [a, b] = axis.reversed ? [axis.hi, axis.lo] : [axis.lo, axis.hi];
  return axis.p0 + ((v - a) / (b - a)) * (axis.p1 - axis.p0);
}

/**
 * Pixel position of a shape's or annotation's coordinate, which may be in axis units
 * (`"x2"`), in the axis domain (`"x2 domain"`), or in the paper (`"paper"`); NaN when
 * the value has no position on its axis (e.g. 0 on a log axis).
 */
export function refPx(
  area: Area,
  axes: Axes,
  ref: string | undefined,
  letter: "x" | "y",
  v: number,
): number {
  const r = ref ?? letter;
  const paper = () => letter === "x" ? area.l + v * area.plotW : area.t + (1 - v) * area.plotH;
  if (r === "paper") return paper();
  const domain = / domain$/.test(r);
  const axis = axes.get(r.replace(/ domain$/, ""));
  if (!axis) return paper();
  if (domain) return axis.p0 + v * (axis.p1 - axis.p0);
  const p = pos(axis, v);
  return p === null ? NaN : px(axis, p);
}

/** Bar centres in axis units, and the slot one bar may fill (the closest spacing). */
export function barSlots(t: Trace, ax: AxisState): { xs: Array<number | null>; slot: number } {
  const xs = (t.x ?? (t.y ?? []).map((_, i) => i)).map((v) => pos(ax, v));
  const finite = xs.filter((v): v is number => v !== null).sort((a, b) => a - b);
  let gap = Infinity;
  for (let i = 1; i < finite.length; i++) gap = Math.min(gap, finite[i] - finite[i - 1]);
  return { xs, slot: Number.isFinite(gap) ? gap : 1 };
}

/** Outer edges of an image trace in data units: its first and last pixels' far sides. */
export function imageBox(t: Trace): { x: [number, number]; y: [number, number] } {
  const size = t.source ? pngSize(t.source) : undefined;
  const w = size?.width ?? t.z?.[0]?.length ?? 0;
  const h = size?.height ?? t.z?.length ?? 0;
  const dx = t.dx ?? 1;
  const dy = t.dy ?? 1;
  return {
    x: [(t.x0 ?? 0) - dx / 2, (t.x0 ?? 0) + (w - 0.5) * dx],
    y: [(t.y0 ?? 0) - dy / 2, (t.y0 ?? 0) + (h - 0.5) * dy],
  };
}

/** Cell edges of heatmap/contour trace coordinates along one axis. */
export function cellEdges(
  centres: Datum[] | undefined,
  n: number,
  axis: AxisState,
): [number, number] {
  if (!centres || centres.length === 0 || axis.kind === "category") return [-0.5, n - 0.5];
  const nums = centres.map(Number);
  const step = nums.length > 1 ? (nums[nums.length - 1] - nums[0]) / (nums.length - 1) : 1;
  return [nums[0] - step / 2, nums[nums.length - 1] + step / 2];
}

/** Widen the axes' data ranges to what one trace draws. */
function extendByTrace(axes: Axes, t: Trace, padded: Set<AxisState>): void {
  const ax = axisOf(axes, t, "x");
  const ay = axisOf(axes, t, "y");
  const extend = (axis: AxisState, v: number | null, pad = true) => {
    if (v === null || !Number.isFinite(v)) return;
    axis.lo = Math.min(axis.lo, v);
    axis.hi = Math.max(axis.hi, v);
    if (pad) padded.add(axis);
  };
  if (t.type === "scatter") {
    t.x?.forEach((v) => extend(ax, pos(ax, v), ax.kind !== "category"));
    t.y?.forEach((v) => extend(ay, pos(ay, v)));
    if (!t.x) t.y?.forEach((_, i) => extend(ax, i, false));
  } else if (t.type === "bar") {
    const { xs, slot } = barSlots(t, ax);
    const w = t.width ?? slot;
    xs.filter((v): v is number => v !== null).sort((a, b) => a - b).forEach((v) => {
      extend(ax, v - w / 2, false);
      extend(ax, v + w / 2, false);
    });
    t.y?.forEach((v) => extend(ay, pos(ay, v)));
    if (ay.kind === "linear") extend(ay, 0);
  } else if (t.type === "heatmap" || t.type === "contour") {
    if (ax.kind === "category") ax.categories.forEach((_, i) => extend(ax, i, false));
    if (ay.kind === "category") ay.categories.forEach((_, i) => extend(ay, i, false));
    cellEdges(t.x, t.z?.[0]?.length ?? 0, ax).forEach((v) => extend(ax, v, false));
    cellEdges(t.y, t.z?.length ?? 0, ay).forEach((v) => extend(ay, v, false));
  } else if (t.type === "image") {
    const box = imageBox(t);
    box.x.forEach((v) => extend(ax, v, false));
    box.y.forEach((v) => extend(ay, v, false));
    if (ay.spec.autorange === undefined) ay.reversed = true;
  }
}

/** The final data range: categories, a fixed layout range, or the data padded by 4 %. */
function settleRange(axis: AxisState, padded: boolean): void {
  if (axis.kind === "category") {
    axis.lo = -0.5;
    axis.hi = Math.max(0, axis.categories.length - 1) + 0.5;
  }
  if (axis.spec.range) {
    [axis.lo, axis.hi] = axis.spec.range; // a descending range draws the axis reversed
    axis.reversed = false;
    return;
  }
  if (!Number.isFinite(axis.lo)) {
    axis.lo = 0;
    axis.hi = 1;
  }
  if (axis.hi === axis.lo) {
    const d = axis.kind === "log" ? 0.5 : Math.abs(axis.lo) * 0.1 || 1;
    axis.lo -= d;
    axis.hi += d;
  } else if (padded) {
    const d = (axis.hi - axis.lo) * 0.04;
    axis.lo -= d;
    axis.hi += d;
  }
}
