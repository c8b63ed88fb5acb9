/**
 * A static SVG frame of a Plotly figure, drawn here without a browser: what GitHub's
 * notebook viewer, untrusted notebooks and PDF exports show instead of the interactive
 * plot. It renders the subset of Plotly the figure builders in `lib/display` produce
 * (scatter lines/markers/text, bars, heatmaps and contours as rasters, image traces,
 * linear/log/category axes, subplots via axis domains, shapes, annotations, legend,
 * colour bar). Rasters are embedded as PNG, so a 300×300 image costs kilobytes, not
 * 90,000 `<rect>`s.
 *
 * Plotly itself cannot do this: `Plotly.toImage` needs a DOM and a browser.
 *
 * @module
 */
import type { Annotation, Axis, Datum, Figure, Layout, Shape, Trace } from "./figure.ts";
import { COLORWAY } from "./figure.ts";
import { colorAt, scaleStops, textColorOn } from "./_color.ts";
import { pngDataUri, pngSize } from "./png.ts";
import { escapeHtml } from "../core/html.ts";

/** Options of {@linkcode figureToSvg}. */
export interface SvgOptions {
  /** Width in px, overriding `layout.width`. @default {layout.width ?? 640} */
  width?: number;
  /** Height in px, overriding `layout.height`. @default {layout.height ?? 400} */
  height?: number;
  /** Most heatmap cells that get their text drawn. @default {900} */
  maxCellLabels?: number;
}

interface AxisState {
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

const FONT = 'font-family="Helvetica,Arial,sans-serif"';

const r1 = (v: number) => Math.round(v * 10) / 10;

function layoutAxis(layout: Layout, id: string): Axis {
  const letter = id[0] as "x" | "y";
  const key = `${letter}axis${id.slice(1)}` as `${"x" | "y"}axis${number}`;
  return (id.length === 1 ? layout[`${letter}axis`] : layout[key]) ?? {};
}

function axisIdOfKey(key: string): string | undefined {
  const m = /^([xy])axis(\d*)$/.exec(key);
  return m ? m[1] + (m[2] === "1" ? "" : m[2]) : undefined;
}

/** Width and height in data units of an image trace. */
function imageExtent(t: Trace): { w: number; h: number } {
  const size = t.source ? pngSize(t.source) : undefined;
  const rows = t.z?.length ?? 0;
  return { w: size?.width ?? t.z?.[0]?.length ?? 0, h: size?.height ?? rows };
}

/** Cell edges of heatmap/contour trace coordinates along one axis. */
function cellEdges(centres: Datum[] | undefined, n: number, axis: AxisState): [number, number] {
  if (!centres || centres.length === 0 || axis.kind === "category") return [-0.5, n - 0.5];
  const nums = centres.map(Number);
  const step = nums.length > 1 ? (nums[nums.length - 1] - nums[0]) / (nums.length - 1) : 1;
  return [nums[0] - step / 2, nums[nums.length - 1] + step / 2];
}

function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}

function formatTick(v: number, step: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) {
    const s = v.toExponential(1);
    return s.replace(/\.0e/, "e").replace("e+", "e");
  }
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return v.toFixed(decimals);
}

/** Tick positions (in axis units) and labels. */
function ticks(axis: AxisState, pixels: number): Array<[number, string]> {
  const lo = Math.min(axis.lo, axis.hi);
  const hi = Math.max(axis.lo, axis.hi);
  if (axis.kind === "category") {
    const every = Math.max(1, Math.ceil(axis.categories.length / Math.max(1, pixels / 40)));
    return axis.categories.flatMap((c, i) => i % every === 0 ? [[i, c] as [number, string]] : []);
  }
  if (axis.kind === "log" && hi - lo >= 1) {
    const every = Math.max(1, Math.ceil((hi - lo) / 8));
    const out: Array<[number, string]> = [];
    const minor = hi - lo < 3 ? [2, 5] : [];
    for (let e = Math.floor(lo); e <= hi; e += every) {
      if (e >= lo) out.push([e, formatTick(10 ** e, 10 ** e)]);
      for (const k of minor) {
        const v = e + Math.log10(k);
        if (v >= lo && v <= hi) out.push([v, formatTick(k * 10 ** e, 10 ** e)]);
      }
    }
    return out;
  }
  if (axis.kind === "log") {
    const vlo = 10 ** lo;
    const vhi = 10 ** hi;
    const step = niceStep(vhi - vlo, 4);
    const out: Array<[number, string]> = [];
    for (let v = Math.ceil(vlo / step) * step; v <= vhi; v += step) {
      out.push([Math.log10(v), formatTick(v, step)]);
    }
    return out;
  }
  const target = Math.max(2, Math.floor(pixels / (axis.letter === "x" ? 80 : 50)));
  const step = axis.spec.dtick ?? niceStep(hi - lo, target);
  const out: Array<[number, string]> = [];
  const first = Math.ceil(lo / step - 1e-9) * step;
  for (let v = first; v <= hi + step * 1e-9 && out.length < 50; v += step) {
    const clean = Math.abs(v) < step * 1e-9 ? 0 : v;
    out.push([clean, formatTick(clean, step)]);
  }
  return out;
}

/**
 * Draw a Plotly figure as a standalone SVG document, without a browser.
 *
 * @param figure A figure from one of the builders (or any figure in the supported subset).
 * @param options Size overrides and label limits.
 * @returns SVG markup (`<svg xmlns=…>…</svg>`), a few kilobytes for typical figures.
 * @example
 * ```ts
 * import { figureToSvg, lineFigure } from "@lib/display/mod.ts";
 * const svg = figureToSvg(lineFigure([0, 1, 2], [0, 1, 4]));
 * console.log(svg.startsWith("<svg")); // true
 * ```
 */
export function figureToSvg(figure: Figure, options: SvgOptions = {}): string {
  const layout = figure.layout ?? {};
  const {
    width = layout.width ?? 640,
    height = layout.height ?? 400,
    maxCellLabels = 900,
  } = options;
  const traces = figure.data ?? [];
  const named = traces.filter((t) => t.name && t.showlegend !== false);
  const showLegend = layout.showlegend ?? named.length > 1;
  const legendWidth = showLegend && named.length > 0
    ? Math.min(200, 34 + 6.5 * Math.max(...named.map((t) => (t.name ?? "").length)))
    : 0;
  const scaled = traces.filter((t) =>
    (t.type === "heatmap" || t.type === "contour") && t.showscale !== false
  );
  const colorbarWidth = scaled.length > 0 ? 60 : 0;
  const title = layout.title?.text;
  const m = {
    l: layout.margin?.l ?? 64,
    r: (layout.margin?.r ?? 16) + Math.max(legendWidth, colorbarWidth),
    t: layout.margin?.t ?? (title ? 44 : 16),
    b: layout.margin?.b ?? 48,
  };
  const plotW = Math.max(20, width - m.l - m.r);
  const plotH = Math.max(20, height - m.t - m.b);

  // 1. Axes: every axis a trace uses or the layout names.
  const ids = new Set<string>(["x", "y"]);
  for (const t of traces) {
    ids.add(t.xaxis ?? "x");
    ids.add(t.yaxis ?? "y");
  }
  for (const key of Object.keys(layout)) {
    const id = axisIdOfKey(key);
    if (id) ids.add(id);
  }
  const axes = new Map<string, AxisState>();
  for (const id of ids) {
    const spec = layoutAxis(layout, id);
    const letter = id[0] as "x" | "y";
    const [d0, d1] = spec.domain ?? [0, 1];
    const p0 = letter === "x" ? m.l + d0 * plotW : m.t + (1 - d0) * plotH;
    const p1 = letter === "x" ? m.l + d1 * plotW : m.t + (1 - d1) * plotH;
    axes.set(id, {
      id,
      letter,
      spec,
      kind: spec.type ?? "linear",
      categories: [],
      lo: Infinity,
      hi: -Infinity,
      p0,
      p1,
      reversed: spec.autorange === "reversed",
    });
  }
  const axisOf = (t: Trace, letter: "x" | "y") =>
    axes.get(letter === "x" ? t.xaxis ?? "x" : t.yaxis ?? "y") as AxisState;

  // 2. Categories: axes that receive strings.
  for (const t of traces) {
    for (const letter of ["x", "y"] as const) {
      const values = t[letter];
      const axis = axisOf(t, letter);
      if (values?.some((v) => typeof v === "string") && axis.spec.type !== "log") {
        axis.kind = "category";
        for (const v of values) {
          if (v !== null && !axis.categories.includes(String(v))) axis.categories.push(String(v));
        }
      }
    }
  }
  const pos = (axis: AxisState, v: Datum): number | null => {
    if (v === null) return null;
    if (axis.kind === "category") {
      const i = typeof v === "string" ? axis.categories.indexOf(v) : v;
      return i < 0 ? null : i;
    }
    if (typeof v !== "number" || !Number.isFinite(v)) return null;
    if (axis.kind === "log") return v > 0 ? Math.log10(v) : null;
    return v;
  };

  // 3. Data ranges.
  const padded = new Set<AxisState>();
  const extend = (axis: AxisState, v: number | null, pad = true) => {
    if (v === null || !Number.isFinite(v)) return;
    axis.lo = Math.min(axis.lo, v);
    axis.hi = Math.max(axis.hi, v);
    if (pad) padded.add(axis);
  };
  for (const t of traces) {
    const ax = axisOf(t, "x");
    const ay = axisOf(t, "y");
    if (t.type === "scatter") {
      t.x?.forEach((v) => extend(ax, pos(ax, v), ax.kind !== "category"));
      t.y?.forEach((v) => extend(ay, pos(ay, v)));
      if (!t.x) t.y?.forEach((_, i) => extend(ax, i, false));
    } else if (t.type === "bar") {
      const xs = (t.x ?? (t.y ?? []).map((_, i) => i)).map((v) => pos(ax, v));
      const finite = xs.filter((v): v is number => v !== null).sort((a, b) => a - b);
      let gap = Infinity;
      for (let i = 1; i < finite.length; i++) gap = Math.min(gap, finite[i] - finite[i - 1]);
      const w = t.width ?? (Number.isFinite(gap) ? gap : 1);
      finite.forEach((v) => {
        extend(ax, v - w / 2, false);
        extend(ax, v + w / 2, false);
      });
      t.y?.forEach((v) => extend(ay, pos(ay, v)));
      if (ay.kind === "linear") extend(ay, 0);
    } else if (t.type === "heatmap" || t.type === "contour") {
      const rows = t.z?.length ?? 0;
      const cols = t.z?.[0]?.length ?? 0;
      if (ax.kind === "category" || ay.kind === "category") {
        if (ax.kind === "category") ax.categories.forEach((_, i) => extend(ax, i, false));
        if (ay.kind === "category") ay.categories.forEach((_, i) => extend(ay, i, false));
      }
      cellEdges(t.x, cols, ax).forEach((v) => extend(ax, v, false));
      cellEdges(t.y, rows, ay).forEach((v) => extend(ay, v, false));
    } else if (t.type === "image") {
      const { w, h } = imageExtent(t);
      const dx = t.dx ?? 1;
      const dy = t.dy ?? 1;
      extend(ax, (t.x0 ?? 0) - dx / 2, false);
      extend(ax, (t.x0 ?? 0) + (w - 0.5) * dx, false);
      extend(ay, (t.y0 ?? 0) - dy / 2, false);
      extend(ay, (t.y0 ?? 0) + (h - 0.5) * dy, false);
      if (ay.spec.autorange === undefined) ay.reversed = true;
    }
  }
  for (const axis of axes.values()) {
    if (axis.kind === "category") {
      axis.lo = -0.5;
      axis.hi = Math.max(0, axis.categories.length - 1) + 0.5;
    }
    if (axis.spec.range) {
      [axis.lo, axis.hi] = axis.spec.range; // a descending range draws the axis reversed
      axis.reversed = false;
      continue;
    }
    if (!Number.isFinite(axis.lo)) {
      axis.lo = axis.kind === "log" ? 0 : 0;
      axis.hi = 1;
    }
    if (axis.hi === axis.lo) {
      const d = axis.kind === "log" ? 0.5 : Math.abs(axis.lo) * 0.1 || 1;
      axis.lo -= d;
      axis.hi += d;
    } else if (padded.has(axis)) {
      const d = (axis.hi - axis.lo) * 0.04;
      axis.lo -= d;
      axis.hi += d;
    }
  }
  const px = (axis: AxisState, v: number): number => {
    const [a, b] = axis.reversed ? [axis.hi, axis.lo] : [axis.lo, axis.hi];
    return axis.p0 + ((v - a) / (b - a)) * (axis.p1 - axis.p0);
  };
  // Shapes and annotations may point into axis units, the axis domain, or the paper.
  const refPx = (ref: string | undefined, letter: "x" | "y", v: number): number => {
    const r = ref ?? letter;
    if (r === "paper") return letter === "x" ? m.l + v * plotW : m.t + (1 - v) * plotH;
    const domain = / domain$/.test(r);
    const axis = axes.get(r.replace(/ domain$/, ""));
    if (!axis) return letter === "x" ? m.l + v * plotW : m.t + (1 - v) * plotH;
    if (domain) return axis.p0 + v * (axis.p1 - axis.p0);
    const p = pos(axis, v);
    return p === null ? NaN : px(axis, p);
  };

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ` +
      `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  );
  if (title) {
    out.push(
      `<text x="${r1(width / 2)}" y="26" font-size="16" text-anchor="middle" fill="#222">` +
        `${escapeHtml(title)}</text>`,
    );
  }

  // 4. Subplot frames, grids, ticks, axis titles; one clip path per x/y pair.
  const pairs = new Map<string, [AxisState, AxisState]>();
  for (const t of traces) {
    pairs.set(`${t.xaxis ?? "x"}${t.yaxis ?? "y"}`, [axisOf(t, "x"), axisOf(t, "y")]);
  }
  for (const axis of axes.values()) {
    if (axis.letter !== "x") continue;
    const anchor = axes.get(axis.spec.anchor ?? "y");
    if (anchor && ![...pairs.values()].some(([a]) => a === axis)) {
      pairs.set(`${axis.id}${anchor.id}`, [axis, anchor]);
    }
  }
  const clipIds = new Map<string, string>();
  let clipCount = 0;
  for (const [key, [ax, ay]] of pairs) {
    if (ax.spec.visible === false && ay.spec.visible === false) {
      const id = `c${clipCount++}`;
      clipIds.set(key, id);
      out.push(
        `<clipPath id="${id}"><rect x="${r1(ax.p0)}" y="${r1(ay.p1)}" ` +
          `width="${r1(ax.p1 - ax.p0)}" height="${r1(ay.p0 - ay.p1)}"/></clipPath>`,
      );
      continue;
    }
    const x0 = Math.min(ax.p0, ax.p1);
    const x1 = Math.max(ax.p0, ax.p1);
    const yTop = Math.min(ay.p0, ay.p1);
    const yBottom = Math.max(ay.p0, ay.p1);
    const id = `c${clipCount++}`;
    clipIds.set(key, id);
    out.push(
      `<clipPath id="${id}"><rect x="${r1(x0)}" y="${r1(yTop)}" width="${r1(x1 - x0)}" ` +
        `height="${r1(yBottom - yTop)}"/></clipPath>`,
      `<rect x="${r1(x0)}" y="${r1(yTop)}" width="${r1(x1 - x0)}" height="${
        r1(yBottom - yTop)
      }" fill="#ffffff" stroke="#bbbbbb"/>`,
    );
    for (const axis of [ax, ay]) {
      if (axis.spec.visible === false) continue;
      const grid = axis.spec.showgrid !== false && axis.kind !== "category";
      for (const [v, label] of ticks(axis, Math.abs(axis.p1 - axis.p0))) {
        const p = r1(px(axis, v));
        if (axis.letter === "x") {
          if (grid) {
            out.push(
              `<line x1="${p}" y1="${r1(yTop)}" x2="${p}" y2="${r1(yBottom)}" stroke="#eeeeee"/>`,
            );
          }
          if (axis.spec.showticklabels !== false) {
            out.push(
              `<text x="${p}" y="${r1(yBottom + 15)}" font-size="11" text-anchor="middle" ` +
                `fill="#444">${escapeHtml(label)}</text>`,
            );
          }
        } else {
          if (grid) {
            out.push(`<line x1="${r1(x0)}" y1="${p}" x2="${r1(x1)}" y2="${p}" stroke="#eeeeee"/>`);
          }
          if (axis.spec.showticklabels !== false) {
            out.push(
              `<text x="${r1(x0 - 5)}" y="${r1(p + 4)}" font-size="11" text-anchor="end" ` +
                `fill="#444">${escapeHtml(label)}</text>`,
            );
          }
        }
      }
      const text = axis.spec.title?.text;
      if (text) {
        if (axis.letter === "x") {
          out.push(
            `<text x="${r1((x0 + x1) / 2)}" y="${r1(yBottom + 34)}" font-size="12" ` +
              `text-anchor="middle" fill="#222">${escapeHtml(text)}</text>`,
          );
        } else {
          const cy = r1((yTop + yBottom) / 2);
          const cx = r1(x0 - 46);
          out.push(
            `<text x="${cx}" y="${cy}" font-size="12" text-anchor="middle" fill="#222" ` +
              `transform="rotate(-90 ${cx} ${cy})">${escapeHtml(text)}</text>`,
          );
        }
      }
    }
  }

  // 5. Traces.
  const stroke = { solid: "", dash: "6,4", dot: "2,3", dashdot: "6,3,2,3" } as const;
  let colorIndex = 0;
  const legend: Array<{
    name: string;
    color: string;
    dash: string;
    box: boolean;
    marker?: Trace["marker"];
  }> = [];
  let colorbar: { trace: Trace; lo: number; hi: number } | undefined;
  for (const t of traces) {
    const ax = axisOf(t, "x");
    const ay = axisOf(t, "y");
    const clip = clipIds.get(`${ax.id}${ay.id}`);
    const g = clip
      ? `<g clip-path="url(#${clip})"${t.opacity !== undefined ? ` opacity="${t.opacity}"` : ""}>`
      : "<g>";
    out.push(g);
    const autoColor = COLORWAY[colorIndex % COLORWAY.length];
    if (t.type === "scatter" || t.type === "bar") colorIndex++;
    if (t.type === "scatter") {
      const color = t.line?.color ??
        (typeof t.marker?.color === "string" ? t.marker.color : autoColor);
      const mode = t.mode ?? "lines";
      const xs = t.x ?? (t.y ?? []).map((_, i) => i);
      const ys = t.y ?? [];
      const points = ys.map((yv, i) => {
        const a = pos(ax, xs[i] ?? null);
        const b = pos(ay, yv);
        return a === null || b === null ? null : [px(ax, a), px(ay, b)] as [number, number];
      });
      const dash = stroke[t.line?.dash ?? "solid"];
      if (mode.includes("lines")) {
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
        if (d) {
          out.push(
            `<path d="${d}" fill="none" stroke="${escapeHtml(color)}" stroke-width="${
              t.line?.width ?? 2
            }"${dash ? ` stroke-dasharray="${dash}"` : ""} stroke-linejoin="round"/>`,
          );
        }
      }
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
      if (t.name && t.showlegend !== false) {
        const markerOnly = !mode.includes("lines");
        legend.push({
          name: t.name,
          color: typeof t.marker?.color === "string" ? t.marker.color : color,
          dash,
          box: markerOnly,
          ...(markerOnly ? { marker: t.marker } : {}),
        });
      }
    } else if (t.type === "bar") {
      const color = typeof t.marker?.color === "string" ? t.marker.color : autoColor;
      const xs = (t.x ?? (t.y ?? []).map((_, i) => i)).map((v) => pos(ax, v));
      const finite = xs.filter((v): v is number => v !== null).sort((a, b) => a - b);
      let gap = Infinity;
      for (let i = 1; i < finite.length; i++) gap = Math.min(gap, finite[i] - finite[i - 1]);
      const w = t.width ?? (Number.isFinite(gap) ? gap : 1) * (1 - (layout.bargap ?? 0.2));
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
      if (t.name && t.showlegend !== false) {
        legend.push({ name: t.name, color, dash: "", box: true });
      }
    } else if ((t.type === "heatmap" || t.type === "contour") && t.z && t.z.length > 0) {
      const z = t.z;
      const rows = z.length;
      const cols = Math.max(...z.map((r) => r.length));
      let lo = t.zmin ?? Infinity;
      let hi = t.zmax ?? -Infinity;
      if (t.zmin === undefined || t.zmax === undefined) {
        for (const row of z) {
          for (const v of row) {
            if (v === null || !Number.isFinite(v)) continue;
            if (t.zmin === undefined) lo = Math.min(lo, v);
            if (t.zmax === undefined) hi = Math.max(hi, v);
          }
        }
      }
      if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
      const stops = scaleStops(t.colorscale);
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
          const o = (dst * cols + c) * 4;
          if (v === null || v === undefined || !Number.isFinite(v)) continue;
          const rgb = colorAt(stops, hi === lo ? 0.5 : (v - lo) / (hi - lo));
          pixels.set([rgb[0], rgb[1], rgb[2], 255], o);
        }
      }
      const uri = pngDataUri(pixels, cols, rows, 4);
      const smooth = t.type === "contour";
      out.push(
        `<image x="${r1(Math.min(left, right))}" y="${r1(Math.min(firstRowPx, lastRowPx))}" ` +
          `width="${r1(Math.abs(right - left))}" height="${
            r1(Math.abs(lastRowPx - firstRowPx))
          }" ` +
          `preserveAspectRatio="none"${smooth ? "" : ' style="image-rendering:pixelated"'} ` +
          `xlink:href="${uri}"/>`,
      );
      const labels = t.texttemplate !== undefined || Array.isArray(t.text);
      if (labels && rows * cols <= maxCellLabels) {
        const cw = (right - left) / cols;
        const ch = (lastRowPx - firstRowPx) / rows;
        const fontSize = Math.max(7, Math.min(13, Math.abs(cw) / 3.2, Math.abs(ch) / 1.6));
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < cols; c++) {
            const v = z[r][c];
            const given = Array.isArray(t.text) ? (t.text as string[][])[r]?.[c] : undefined;
            const label = given ?? (v === null || v === undefined ? "" : formatCell(v));
            if (!label) continue;
            const rgb = v === null || v === undefined
              ? [255, 255, 255]
              : colorAt(stops, hi === lo ? 0.5 : (v - lo) / (hi - lo));
            out.push(
              `<text x="${r1(left + (c + 0.5) * cw)}" y="${
                r1(firstRowPx + (r + 0.5) * ch + fontSize / 3)
              }" ` +
                `font-size="${r1(fontSize)}" text-anchor="middle" fill="${textColorOn(rgb)}">${
                  escapeHtml(String(label))
                }</text>`,
            );
          }
        }
      }
      if (t.showscale !== false && !colorbar) colorbar = { trace: t, lo, hi };
    } else if (t.type === "image" && t.source) {
      const { w, h } = imageExtent(t);
      const dx = t.dx ?? 1;
      const dy = t.dy ?? 1;
      const xa = px(ax, (t.x0 ?? 0) - dx / 2);
      const xb = px(ax, (t.x0 ?? 0) + (w - 0.5) * dx);
      const ya = px(ay, (t.y0 ?? 0) - dy / 2);
      const yb = px(ay, (t.y0 ?? 0) + (h - 0.5) * dy);
      out.push(
        `<image x="${r1(Math.min(xa, xb))}" y="${r1(Math.min(ya, yb))}" width="${
          r1(Math.abs(xb - xa))
        }" height="${r1(Math.abs(yb - ya))}" preserveAspectRatio="none" ` +
          `style="image-rendering:pixelated" xlink:href="${escapeHtml(t.source)}"/>`,
      );
    }
    out.push("</g>");
  }

  // 6. Shapes and annotations.
  for (const s of layout.shapes ?? []) out.push(shapeSvg(s, refPx, stroke));
  for (const a of layout.annotations ?? []) out.push(annotationSvg(a, refPx));

  // 7. Legend, or a colour bar.
  const sideX = width - m.r + 12;
  if (showLegend && legend.length > 0) {
    legend.forEach((e, i) => {
      const y = m.t + 8 + i * 18;
      out.push(
        e.marker
          ? markerSvg(
            e.marker.symbol ?? "circle",
            sideX + 11,
            y,
            Math.min(12, e.marker.size ?? 6),
            e.color,
            e.marker.line,
          )
          : e.box
          ? `<rect x="${sideX}" y="${y - 5}" width="18" height="10" fill="${escapeHtml(e.color)}"/>`
          : `<line x1="${sideX}" y1="${y}" x2="${sideX + 22}" y2="${y}" stroke="${
            escapeHtml(e.color)
          }" stroke-width="2"${e.dash ? ` stroke-dasharray="${e.dash}"` : ""}/>`,
        `<text x="${sideX + 28}" y="${y + 4}" font-size="11" fill="#222">${
          escapeHtml(e.name)
        }</text>`,
      );
    });
  } else if (colorbar) {
    const stops = scaleStops(colorbar.trace.colorscale);
    const top = m.t;
    const barH = Math.min(plotH, 240);
    out.push(
      `<linearGradient id="cb" x1="0" y1="1" x2="0" y2="0">${
        stops.map(([t, c]) => `<stop offset="${t}" stop-color="rgb(${c.join(",")})"/>`).join("")
      }</linearGradient>`,
      `<rect x="${sideX}" y="${top}" width="14" height="${barH}" fill="url(#cb)" stroke="#bbb"/>`,
      `<text x="${sideX + 18}" y="${top + 9}" font-size="11" fill="#444">${
        escapeHtml(formatCell(colorbar.hi))
      }</text>`,
      `<text x="${sideX + 18}" y="${top + barH}" font-size="11" fill="#444">${
        escapeHtml(formatCell(colorbar.lo))
      }</text>`,
    );
  }
  out.push("</svg>");
  return out.join("");
}

function formatCell(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}

function markerSvg(
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

function shapeSvg(
  s: Shape,
  refPx: (ref: string | undefined, letter: "x" | "y", v: number) => number,
  stroke: Record<string, string>,
): string {
  const x0 = refPx(s.xref, "x", s.x0);
  const x1 = refPx(s.xref, "x", s.x1);
  const y0 = refPx(s.yref, "y", s.y0);
  const y1 = refPx(s.yref, "y", s.y1);
  if (![x0, x1, y0, y1].every(Number.isFinite)) return "";
  const dash = stroke[s.line?.dash ?? "solid"];
  const line = `stroke="${escapeHtml(s.line?.color ?? "#444")}" stroke-width="${
    s.line?.width ?? 1.5
  }"${dash ? ` stroke-dasharray="${dash}"` : ""}${
    s.opacity !== undefined ? ` opacity="${s.opacity}"` : ""
  }`;
  if (s.type === "rect") {
    return `<rect x="${r1(Math.min(x0, x1))}" y="${r1(Math.min(y0, y1))}" width="${
      r1(Math.abs(x1 - x0))
    }" height="${r1(Math.abs(y1 - y0))}" fill="${escapeHtml(s.fillcolor ?? "none")}" ${line}/>`;
  }
  return `<line x1="${r1(x0)}" y1="${r1(y0)}" x2="${r1(x1)}" y2="${r1(y1)}" ${line}/>`;
}

function annotationSvg(
  a: Annotation,
  refPx: (ref: string | undefined, letter: "x" | "y", v: number) => number,
): string {
  const x = refPx(a.xref, "x", a.x);
  const y = refPx(a.yref, "y", a.y);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return "";
  const anchor = a.xanchor === "left" ? "start" : a.xanchor === "right" ? "end" : "middle";
  const size = a.font?.size ?? 11;
  const arrow = a.showarrow !== false;
  const ty = arrow
    ? y - 22
    : a.yanchor === "top"
    ? y + size
    : a.yanchor === "bottom"
    ? y
    : y + size / 3;
  return (arrow
    ? `<line x1="${r1(x)}" y1="${r1(y - 4)}" x2="${r1(x)}" y2="${r1(y - 18)}" stroke="#444"/>`
    : "") +
    `<text x="${r1(x)}" y="${r1(ty)}" font-size="${size}" text-anchor="${anchor}" fill="${
      escapeHtml(a.font?.color ?? "#222")
    }">${escapeHtml(a.text)}</text>`;
}
