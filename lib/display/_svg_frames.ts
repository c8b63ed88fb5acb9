/**
 * Subplot frames of the static SVG renderer (private): one clip path per x/y axis pair,
 * the frame, grid lines, tick labels and axis titles.
 *
 * @module
 */
import type { Trace } from "./figure.ts";
import { type Axes, axisOf, type AxisState, px, r1 } from "./_svg_axes.ts";
import { escapeHtml } from "../core/html.ts";
import { formatNumber } from "../core/format.ts";
import { logTicks } from "./_log_ticks.ts";

/** A subplot's box in px. */
interface Box {
  x0: number;
  x1: number;
  yTop: number;
  yBottom: number;
}

function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}

/** A tick: where it sits in axis units, and its label. */
interface Tick {
  at: number;
  label: string;
}

/** Ticks of an axis `pixels` long. */
function ticks(axis: AxisState, pixels: number): Tick[] {
  const lo = Math.min(axis.lo, axis.hi);
  const hi = Math.max(axis.lo, axis.hi);
  if (axis.kind === "category") {
    const every = Math.max(1, Math.ceil(axis.categories.length / Math.max(1, pixels / 40)));
    return axis.categories.flatMap((label, at) => at % every === 0 ? [{ at, label }] : []);
  }
  if (axis.spec.tickvals) return chosenTicks(axis, lo, hi);
  if (axis.kind === "log") return logTicks(lo, hi).ticks;
  const target = Math.max(2, Math.floor(pixels / (axis.letter === "x" ? 80 : 50)));
  const step = axis.spec.dtick ?? niceStep(hi - lo, target);
  const out: Tick[] = [];
  const first = Math.ceil(lo / step - 1e-9) * step;
  for (let v = first; v <= hi + step * 1e-9 && out.length < 50; v += step) {
    const at = Math.abs(v) < step * 1e-9 ? 0 : v;
    out.push({ at, label: formatNumber(at, { step }) });
  }
  return out;
}

/** Plotly's `tickvals` / `ticktext`: ticks only at the given values, inside the range. */
function chosenTicks(axis: AxisState, lo: number, hi: number): Tick[] {
  const { tickvals = [], ticktext } = axis.spec;
  return tickvals.flatMap((v, i) => {
    const at = axis.kind === "log" ? Math.log10(v) : v;
    const label = ticktext?.[i] ?? formatNumber(v);
    return at >= lo - 1e-9 && at <= hi + 1e-9 ? [{ at, label }] : [];
  });
}

/** The x/y axis pairs that get a frame: those traces use, and x axes anchored to a y. */
function subplotPairs(axes: Axes, traces: Trace[]): Map<string, [AxisState, AxisState]> {
  const pairs = new Map<string, [AxisState, AxisState]>();
  for (const t of traces) {
    pairs.set(`${t.xaxis ?? "x"}${t.yaxis ?? "y"}`, [axisOf(axes, t, "x"), axisOf(axes, t, "y")]);
  }
  for (const axis of axes.values()) {
    if (axis.letter !== "x") continue;
    const anchor = axes.get(axis.spec.anchor ?? "y");
    if (anchor && ![...pairs.values()].some(([a]) => a === axis)) {
      pairs.set(`${axis.id}${anchor.id}`, [axis, anchor]);
    }
  }
  return pairs;
}

/**
 * Draw every subplot's clip path, frame, grid, tick labels and axis titles.
 *
 * @returns The clip path id of each axis pair, by `"x2y2"`-style key.
 */
export function drawFrames(out: string[], axes: Axes, traces: Trace[]): Map<string, string> {
  const clipIds = new Map<string, string>();
  const pairs = subplotPairs(axes, traces);
  const boxes = [...pairs.values()].map(([ax, ay]) => boxOf(ax, ay));
  for (const [key, [ax, ay]] of pairs) {
    const id = `c${clipIds.size}`;
    clipIds.set(key, id);
    if (ax.spec.visible === false && ay.spec.visible === false) {
      out.push(
        `<clipPath id="${id}"><rect x="${r1(ax.p0)}" y="${r1(ay.p1)}" ` +
          `width="${r1(ax.p1 - ax.p0)}" height="${r1(ay.p0 - ay.p1)}"/></clipPath>`,
      );
      continue;
    }
    const box = boxOf(ax, ay);
    const rect = `x="${r1(box.x0)}" y="${r1(box.yTop)}" width="${r1(box.x1 - box.x0)}" ` +
      `height="${r1(box.yBottom - box.yTop)}"`;
    out.push(`<clipPath id="${id}"><rect ${rect}/></clipPath>`);
    out.push(`<rect ${rect} fill="#ffffff" stroke="#bbbbbb"/>`);
    for (const axis of [ax, ay]) {
      if (axis.spec.visible === false) continue;
      drawTicks(out, axis, box);
      drawAxisTitle(out, axis, box, leftNeighbour(box, boxes));
    }
  }
  return clipIds;
}

function boxOf(ax: AxisState, ay: AxisState): Box {
  return {
    x0: Math.min(ax.p0, ax.p1),
    x1: Math.max(ax.p0, ax.p1),
    yTop: Math.min(ay.p0, ay.p1),
    yBottom: Math.max(ay.p0, ay.p1),
  };
}

/** The right edge of the nearest subplot left of `box` in the same row, or `-Infinity`. */
function leftNeighbour(box: Box, boxes: Box[]): number {
  let edge = -Infinity;
  for (const b of boxes) {
    const sameRow = b.yTop < box.yBottom && b.yBottom > box.yTop;
    if (sameRow && b.x1 <= box.x0 && b.x1 > edge) edge = b.x1;
  }
  return edge;
}

/** Grid lines (not on category axes) and tick labels of one axis. */
function drawTicks(out: string[], axis: AxisState, box: Box): void {
  const { x0, x1, yTop, yBottom } = box;
  const grid = axis.spec.showgrid !== false && axis.kind !== "category";
  const labels = axis.spec.showticklabels !== false;
  for (const { at, label } of ticks(axis, Math.abs(axis.p1 - axis.p0))) {
    const p = r1(px(axis, at));
    const text = `font-size="11"`;
    if (axis.letter === "x") {
      if (grid) {
        out.push(
          `<line x1="${p}" y1="${r1(yTop)}" x2="${p}" y2="${r1(yBottom)}" stroke="#eeeeee"/>`,
        );
      }
      if (labels) {
        out.push(
          `<text x="${p}" y="${r1(yBottom + 15)}" ${text} text-anchor="middle" ` +
            `fill="#444">${escapeHtml(label)}</text>`,
        );
      }
    } else {
      if (grid) {
        out.push(`<line x1="${r1(x0)}" y1="${p}" x2="${r1(x1)}" y2="${p}" stroke="#eeeeee"/>`);
      }
      if (labels) {
        out.push(
          `<text x="${r1(x0 - 5)}" y="${r1(p + 4)}" ${text} text-anchor="end" ` +
            `fill="#444">${escapeHtml(label)}</text>`,
        );
      }
    }
  }
}

/**
 * An axis title: centred under the x axis, rotated left of the y axis (46 px left of it,
 * or closer when a subplot to the left would be in the way: the title's glyphs, about
 * 9 px left of its baseline, stay 3 px clear of that subplot's frame).
 */
function drawAxisTitle(out: string[], axis: AxisState, box: Box, leftEdge: number): void {
  const text = axis.spec.title?.text;
  if (!text) return;
  const { x0, x1, yTop, yBottom } = box;
  if (axis.letter === "x") {
    out.push(
      `<text x="${r1((x0 + x1) / 2)}" y="${r1(yBottom + 34)}" font-size="12" ` +
        `text-anchor="middle" fill="#222">${escapeHtml(text)}</text>`,
    );
    return;
  }
  const cy = r1((yTop + yBottom) / 2);
  const cx = r1(Math.max(x0 - 46, leftEdge + 12));
  out.push(
    `<text x="${cx}" y="${cy}" font-size="12" text-anchor="middle" fill="#222" ` +
      `transform="rotate(-90 ${cx} ${cy})">${escapeHtml(text)}</text>`,
  );
}
