/**
 * Traces of the static SVG renderer (private), one function per kind: scatter (lines,
 * markers, text), bars, heatmaps and contours (as one PNG each), and image traces.
 *
 * @module
 */
import type { Layout, MarkerStyle, Trace } from "./figure.ts";
import { COLORWAY } from "./figure.ts";
import {
  type Axes,
  axisOf,
  type AxisState,
  barSlots,
  cellEdges,
  imageBox,
  pos,
  px,
  r1,
} from "./_svg_axes.ts";
import { colorAt, scaleStops, textColorOn } from "./_color.ts";
import { pngDataUri } from "./png.ts";
import { finiteExtent } from "./_extent.ts";
import { escapeHtml } from "../core/html.ts";
import { formatNumber } from "../core/format.ts";

/** SVG `stroke-dasharray` of each Plotly dash name. */
export const DASH: Readonly<Record<string, string>> = {
  solid: "",
  dash: "6,4",
  dot: "2,3",
  dashdot: "6,3,2,3",
};

/** What the legend shows for one trace. */
export interface LegendEntry {
  name: string;
  color: string;
  dash: string;
  box: boolean;
  marker?: MarkerStyle;
}

/** The trace whose colour scale the colour bar shows, and the values at its ends. */
export interface ColorBar {
  trace: Trace;
  lo: number;
  hi: number;
}

/** Whether a trace has a legend entry. */
export function inLegend(t: Trace): boolean {
  return Boolean(t.name) && t.showlegend !== false;
}

/**
 * Draw every trace inside its subplot's clip path, in order; scatter and bar traces
 * without a colour take the next one of Plotly's colorway.
 *
 * @returns The legend entries, and the first trace with a colour scale.
 */
export function drawTraces(
  out: string[],
  traces: Trace[],
  axes: Axes,
  clipIds: Map<string, string>,
  layout: Layout,
  maxCellLabels: number,
): { legend: LegendEntry[]; colorbar?: ColorBar } {
  let colorIndex = 0;
  const legend: LegendEntry[] = [];
  let colorbar: ColorBar | undefined;
  for (const t of traces) {
    const ax = axisOf(axes, t, "x");
    const ay = axisOf(axes, t, "y");
    const clip = clipIds.get(`${ax.id}${ay.id}`);
    const opacity = t.opacity !== undefined ? ` opacity="${t.opacity}"` : "";
    out.push(clip ? `<g clip-path="url(#${clip})"${opacity}>` : "<g>");
    const autoColor = COLORWAY[colorIndex % COLORWAY.length];
    if (t.type === "scatter" || t.type === "bar") colorIndex++;
    let entry: LegendEntry | undefined;
    if (t.type === "scatter") entry = drawScatter(out, t, ax, ay, autoColor);
    else if (t.type === "bar") entry = drawBar(out, t, ax, ay, autoColor, layout.bargap ?? 0.2);
    else if ((t.type === "heatmap" || t.type === "contour") && t.z && t.z.length > 0) {
      const range = drawRaster(out, t, ax, ay, maxCellLabels);
      if (t.showscale !== false && !colorbar) colorbar = { trace: t, ...range };
    } else if (t.type === "image" && t.source) drawImage(out, t, ax, ay);
    if (entry) legend.push(entry);
    out.push("</g>");
  }
  return { legend, colorbar };
}

function drawScatter(
  out: string[],
  t: Trace,
  ax: AxisState,
  ay: AxisState,
  autoColor: string,
): LegendEntry | undefined {
  const color = t.line?.color ?? (typeof t.marker?.color === "string" ? t.marker.color : autoColor);
  const mode = t.mode ?? "lines";
  const xs = t.x ?? (t.y ?? []).map((_, i) => i);
  const points = (t.y ?? []).map((yv, i) => {
    const a = pos(ax, xs[i] ?? null);
    const b = pos(ay, yv);
    return a === null || b === null ? null : [px(ax, a), px(ay, b)] as [number, number];
  });
  const dash = DASH[t.line?.dash ?? "solid"];
  if (mode.includes("lines")) out.push(linePath(points, color, t.line?.width ?? 2, dash));
  if (mode.includes("markers")) {
    const size = t.marker?.size ?? 6;
    const symbol = t.marker?.symbol ?? "circle";
    points.forEach((p, i) => {
      if (!p) return;
      const c = Array.isArray(t.marker?.color) ? t.marker.color[i] : t.marker?.color ?? color;
      out.push(markerSvg(symbol, p[0], p[1], size, c, t.marker?.line));
    });
  }
  if (mode.includes("text") && Array.isArray(t.text)) {
    points.forEach((p, i) => {
      const label = (t.text as string[])[i];
      if (!p || label === undefined) return;
      out.push(
        `<text x="${r1(p[0])}" y="${r1(p[1] - 8)}" font-size="11" text-anchor="middle" ` +
          `fill="#222">${escapeHtml(String(label))}</text>`,
      );
    });
  }
  if (!inLegend(t)) return undefined;
  const markerOnly = !mode.includes("lines");
  return {
    name: t.name as string,
    color: typeof t.marker?.color === "string" ? t.marker.color : color,
    dash,
    box: markerOnly,
    ...(markerOnly ? { marker: t.marker } : {}),
  };
}

/** One `<path>` through the points, lifting the pen at gaps (null); "" when none. */
function linePath(
  points: Array<[number, number] | null>,
  color: string,
  width: number,
  dash: string | undefined,
): string {
  let d = "";
  let pen = false;
  for (const p of points) {
    if (!p) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${r1(p[0])} ${r1(p[1])}`;
    pen = true;
  }
  if (!d) return "";
  return `<path d="${d}" fill="none" stroke="${escapeHtml(color)}" stroke-width="${width}"${
    dash ? ` stroke-dasharray="${dash}"` : ""
  } stroke-linejoin="round"/>`;
}

function drawBar(
  out: string[],
  t: Trace,
  ax: AxisState,
  ay: AxisState,
  autoColor: string,
  bargap: number,
): LegendEntry | undefined {
  const color = typeof t.marker?.color === "string" ? t.marker.color : autoColor;
  const { xs, slot } = barSlots(t, ax);
  const w = t.width ?? slot * (1 - bargap);
  const base = ay.kind === "log" ? Math.min(ay.lo, ay.hi) : 0;
  (t.y ?? []).forEach((yv, i) => {
    const xv = xs[i];
    const b = pos(ay, yv);
    if (xv === null || b === null) return;
    const left = px(ax, xv - w / 2);
    const right = px(ax, xv + w / 2);
    const top = px(ay, b);
    const bottom = px(ay, base);
    out.push(
      `<rect x="${r1(Math.min(left, right))}" y="${r1(Math.min(top, bottom))}" width="${
        r1(Math.abs(right - left))
      }" height="${r1(Math.abs(bottom - top))}" fill="${escapeHtml(color)}"/>`,
    );
  });
  return inLegend(t) ? { name: t.name as string, color, dash: "", box: true } : undefined;
}

/** The colour scale's bounds: `zmin`/`zmax`, else the finite values' range, else 0..1. */
function zRange(t: Trace, z: Array<Array<number | null>>): { lo: number; hi: number } {
  const data = t.zmin === undefined || t.zmax === undefined ? finiteExtent(...z) : undefined;
  let lo = t.zmin ?? data?.[0] ?? NaN;
  let hi = t.zmax ?? data?.[1] ?? NaN;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  return { lo, hi };
}

/**
 * A heatmap or contour as one PNG stretched over its cells (contours smoothed, heatmaps
 * pixelated), with cell labels when there are few enough cells.
 *
 * @returns The colour scale's bounds, for the colour bar.
 */
function drawRaster(
  out: string[],
  t: Trace,
  ax: AxisState,
  ay: AxisState,
  maxCellLabels: number,
): { lo: number; hi: number } {
  const z = t.z as Array<Array<number | null>>;
  const rows = z.length;
  const cols = Math.max(...z.map((r) => r.length));
  const { lo, hi } = zRange(t, z);
  const stops = scaleStops(t.colorscale);
  const colorOf = (v: number) => colorAt(stops, hi === lo ? 0.5 : (v - lo) / (hi - lo));
  const [ex0, ex1] = cellEdges(t.x, cols, ax);
  const [ey0, ey1] = cellEdges(t.y, rows, ay);
  const left = px(ax, ex0);
  const right = px(ax, ex1);
  const firstRowPx = px(ay, ey0);
  const lastRowPx = px(ay, ey1);
  const flip = firstRowPx > lastRowPx; // row 0 drawn at the bottom
  const pixels = new Uint8Array(rows * cols * 4);
  for (let r = 0; r < rows; r++) {
    const dst = flip ? rows - 1 - r : r;
    for (let c = 0; c < cols; c++) {
      const v = z[r][c];
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      const rgb = colorOf(v);
      pixels.set([rgb[0], rgb[1], rgb[2], 255], (dst * cols + c) * 4);
    }
  }
  const smooth = t.type === "contour";
  out.push(
    `<image x="${r1(Math.min(left, right))}" y="${r1(Math.min(firstRowPx, lastRowPx))}" ` +
      `width="${r1(Math.abs(right - left))}" height="${r1(Math.abs(lastRowPx - firstRowPx))}" ` +
      `preserveAspectRatio="none"${smooth ? "" : ' style="image-rendering:pixelated"'} ` +
      `xlink:href="${pngDataUri(pixels, cols, rows, 4)}"/>`,
  );
  const labels = t.texttemplate !== undefined || Array.isArray(t.text);
  if (labels && rows * cols <= maxCellLabels) {
    const cell = {
      left,
      top: firstRowPx,
      w: (right - left) / cols,
      h: (lastRowPx - firstRowPx) / rows,
    };
    drawCellLabels(out, t, z, cols, cell, colorOf);
  }
  return { lo, hi };
}

/** Each cell's text (given, or its value), dark or light to read on the cell's colour. */
function drawCellLabels(
  out: string[],
  t: Trace,
  z: Array<Array<number | null>>,
  cols: number,
  cell: { left: number; top: number; w: number; h: number },
  colorOf: (v: number) => number[],
): void {
  const fontSize = Math.max(7, Math.min(13, Math.abs(cell.w) / 3.2, Math.abs(cell.h) / 1.6));
  for (let r = 0; r < z.length; r++) {
    for (let c = 0; c < cols; c++) {
      const v = z[r][c];
      const given = Array.isArray(t.text) ? (t.text as string[][])[r]?.[c] : undefined;
      const label = given ??
        (v === null || v === undefined ? "" : formatNumber(v, { precision: 3 }));
      if (!label) continue;
      const rgb = v === null || v === undefined ? [255, 255, 255] : colorOf(v);
      out.push(
        `<text x="${r1(cell.left + (c + 0.5) * cell.w)}" y="${
          r1(cell.top + (r + 0.5) * cell.h + fontSize / 3)
        }" font-size="${r1(fontSize)}" text-anchor="middle" fill="${textColorOn(rgb)}">${
          escapeHtml(String(label))
        }</text>`,
      );
    }
  }
}

/** An image trace: its PNG stretched over its pixels' extent. */
function drawImage(out: string[], t: Trace, ax: AxisState, ay: AxisState): void {
  const box = imageBox(t);
  const xa = px(ax, box.x[0]);
  const xb = px(ax, box.x[1]);
  const ya = px(ay, box.y[0]);
  const yb = px(ay, box.y[1]);
  out.push(
    `<image x="${r1(Math.min(xa, xb))}" y="${r1(Math.min(ya, yb))}" width="${
      r1(Math.abs(xb - xa))
    }" height="${r1(Math.abs(yb - ya))}" preserveAspectRatio="none" ` +
      `style="image-rendering:pixelated" xlink:href="${escapeHtml(t.source as string)}"/>`,
  );
}

/** A marker in one of the Plotly symbols the builders use; a circle for any other. */
export function markerSvg(
  symbol: string,
  x: number,
  y: number,
  size: number,
  color: string,
  line?: { color?: string; width?: number },
): string {
  const r = size / 2;
  const outline = line?.color
    ? ` stroke="${escapeHtml(line.color)}" stroke-width="${line.width ?? 1}"`
    : "";
  const fill = `fill="${escapeHtml(color)}"${outline}`;
  const base = symbol.replace(/-open$/, "");
  const open = symbol.endsWith("-open");
  const paint = open ? `fill="none" stroke="${escapeHtml(color)}" stroke-width="2"` : fill;
  if (base === "star") {
    const pts: string[] = [];
    for (let i = 0; i < 10; i++) {
      const rad = i % 2 === 0 ? r * 1.3 : r * 0.55;
      const a = -Math.PI / 2 + (i * Math.PI) / 5;
      pts.push(`${r1(x + rad * Math.cos(a))},${r1(y + rad * Math.sin(a))}`);
    }
    return `<polygon points="${pts.join(" ")}" ${paint}/>`;
  }
  if (base === "diamond") {
    return `<polygon points="${r1(x)},${r1(y - r * 1.3)} ${r1(x + r)},${r1(y)} ${r1(x)},${
      r1(y + r * 1.3)
    } ${r1(x - r)},${r1(y)}" ${paint}/>`;
  }
  if (base === "square") {
    return `<rect x="${r1(x - r)}" y="${r1(y - r)}" width="${r1(2 * r)}" height="${
      r1(2 * r)
    }" ${paint}/>`;
  }
  if (base === "x") {
    return `<path d="M${r1(x - r)} ${r1(y - r)}L${r1(x + r)} ${r1(y + r)}M${r1(x - r)} ${
      r1(y + r)
    }L${r1(x + r)} ${r1(y - r)}" stroke="${escapeHtml(color)}" stroke-width="2"/>`;
  }
  if (base === "triangle-up") {
    return `<polygon points="${r1(x)},${r1(y - r * 1.2)} ${r1(x + r)},${r1(y + r * 0.8)} ${
      r1(x - r)
    },${r1(y + r * 0.8)}" ${paint}/>`;
  }
  return `<circle cx="${r1(x)}" cy="${r1(y)}" r="${r1(r)}" ${paint}/>`;
}
