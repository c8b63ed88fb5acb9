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
import type { Annotation, Figure, Layout, Shape, Trace } from "./figure.ts";
import { type Area, buildAxes, r1, refPx } from "./_svg_axes.ts";
import { drawFrames } from "./_svg_frames.ts";
import { DASH, drawTraces, inLegend } from "./_svg_traces.ts";
import { colorbarSvg, legendSvg, legendWidth } from "./_svg_legend.ts";
import { checkFigure } from "./_check.ts";
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

const FONT = 'font-family="Helvetica,Arial,sans-serif"';

/**
 * Draw a Plotly figure as a standalone SVG document, without a browser.
 *
 * The steps, each in its own private module: the plot area and axes (`_svg_axes.ts`),
 * subplot frames with grids, ticks and axis titles (`_svg_frames.ts`), the traces
 * (`_svg_traces.ts`), shapes and annotations (here), and the legend or colour bar
 * (`_svg_legend.ts`).
 *
 * @param figure A figure from one of the builders (or any figure in the supported subset).
 * @param options Size overrides and label limits.
 * @returns SVG markup (`<svg xmlns=…>…</svg>`), a few kilobytes for typical figures.
 * @throws When `figure` is not a figure (no `data` array of traces).
 * @example
 * ```ts
 * import { figureToSvg, lineFigure } from "@lib/display/mod.ts";
 * const svg = figureToSvg(lineFigure([0, 1, 2], [0, 1, 4]));
 * console.log(svg.startsWith("<svg")); // true
 * ```
 */
export function figureToSvg(figure: Figure, options: SvgOptions = {}): string {
  checkFigure(figure, "figureToSvg");
  const layout = figure.layout ?? {};
  const {
    width = layout.width ?? 640,
    height = layout.height ?? 400,
    maxCellLabels = 900,
  } = options;
  const traces = figure.data ?? [];
  const showLegend = layout.showlegend ?? traces.filter(inLegend).length > 1;
  const area = plotArea(layout, traces, width, height, showLegend);
  const axes = buildAxes(layout, traces, area);
  const out = [svgHead(width, height, layout.title?.text)];
  const clipIds = drawFrames(out, axes, traces);
  const { legend, colorbar } = drawTraces(out, traces, axes, clipIds, layout, maxCellLabels);
  const toPx = (ref: string | undefined, letter: "x" | "y", v: number) =>
    refPx(area, axes, ref, letter, v);
  for (const s of layout.shapes ?? []) out.push(shapeSvg(s, toPx));
  for (const a of layout.annotations ?? []) out.push(annotationSvg(a, toPx));
  const sideX = width - area.r + 12;
  const legendShown = showLegend && legend.length > 0;
  if (legendShown) out.push(...legendSvg(legend, sideX, area.t));
  // A colour bar that was asked for next to a legend goes below it.
  const below = legendShown ? 18 * legend.length + 16 : 0;
  const askedFor = colorbar && (!legendShown || colorbar.trace.showscale === true);
  if (askedFor) out.push(...colorbarSvg(colorbar!, sideX, area.t + below, area.plotH - below));
  out.push("</svg>");
  return out.join("");
}

/** Margins (room on the right for a legend or colour bar) and the plot area inside. */
function plotArea(
  layout: Layout,
  traces: Trace[],
  width: number,
  height: number,
  showLegend: boolean,
): Area {
  const legend = showLegend ? legendWidth(traces) : 0;
  const scaled = traces.some((t) =>
    (t.type === "heatmap" || t.type === "contour") && t.showscale !== false
  );
  const colorbar = scaled ? 60 : 0;
  const l = layout.margin?.l ?? 64;
  const r = (layout.margin?.r ?? 16) + Math.max(legend, colorbar);
  const t = layout.margin?.t ?? (layout.title?.text ? 44 : 16);
  const b = layout.margin?.b ?? 48;
  return {
    width,
    height,
    l,
    r,
    t,
    b,
    plotW: Math.max(20, width - l - r),
    plotH: Math.max(20, height - t - b),
  };
}

/** The opening tag, a white background, and the title. */
function svgHead(width: number, height: number, title: string | undefined): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ` +
    `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>` +
    (title
      ? `<text x="${r1(width / 2)}" y="26" font-size="16" text-anchor="middle" fill="#222">` +
        `${escapeHtml(title)}</text>`
      : "");
}

/** Pixel position of a shape's or annotation's coordinate (see `refPx`). */
type ToPx = (ref: string | undefined, letter: "x" | "y", v: number) => number;

function shapeSvg(s: Shape, toPx: ToPx): string {
  const x0 = toPx(s.xref, "x", s.x0);
  const x1 = toPx(s.xref, "x", s.x1);
  const y0 = toPx(s.yref, "y", s.y0);
  const y1 = toPx(s.yref, "y", s.y1);
  if (![x0, x1, y0, y1].every(Number.isFinite)) return "";
  const dash = DASH[s.line?.dash ?? "solid"];
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

function annotationSvg(a: Annotation, toPx: ToPx): string {
  const x = toPx(a.xref, "x", a.x);
  const y = toPx(a.yref, "y", a.y);
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
