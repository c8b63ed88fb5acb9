/**
 * The right-hand side of the static SVG renderer (private): a legend, or else a colour
 * bar.
 *
 * @module
 */
import type { Trace } from "./figure.ts";
import { type ColorBar, inLegend, type LegendEntry, markerSvg } from "./_svg_traces.ts";
import { scaleStops } from "./_color.ts";
import { escapeHtml } from "../core/html.ts";
import { formatNumber } from "../core/format.ts";

/** Width in px the legend takes: room for the longest name, at most 200. */
export function legendWidth(traces: Trace[]): number {
  const named = traces.filter(inLegend);
  if (named.length === 0) return 0;
  return Math.min(200, 34 + 6.5 * Math.max(...named.map((t) => (t.name ?? "").length)));
}

/** One row per entry from `top`: a line, a box or a marker, then the name. */
export function legendSvg(entries: LegendEntry[], x: number, top: number): string[] {
  return entries.flatMap((e, i) => {
    const y = top + 8 + i * 18;
    const key = e.marker
      ? markerSvg(
        e.marker.symbol ?? "circle",
        x + 11,
        y,
        Math.min(12, e.marker.size ?? 6),
        e.color,
        e.marker.line,
      )
      : e.box
      ? `<rect x="${x}" y="${y - 5}" width="18" height="10" fill="${escapeHtml(e.color)}"/>`
      : `<line x1="${x}" y1="${y}" x2="${x + 22}" y2="${y}" stroke="${
        escapeHtml(e.color)
      }" stroke-width="2"${e.dash ? ` stroke-dasharray="${e.dash}"` : ""}/>`;
    return [
      key,
      `<text x="${x + 28}" y="${y + 4}" font-size="11" fill="#222">${escapeHtml(e.name)}</text>`,
    ];
  });
}

/** A vertical gradient of the colour scale, at most 240 px tall, its ends labelled. */
export function colorbarSvg(bar: ColorBar, x: number, top: number, plotH: number): string[] {
  const stops = scaleStops(bar.trace.colorscale);
  const barH = Math.min(plotH, 240);
  return [
    `<linearGradient id="cb" x1="0" y1="1" x2="0" y2="0">${
      stops.map(([t, c]) => `<stop offset="${t}" stop-color="rgb(${c.join(",")})"/>`).join("")
    }</linearGradient>`,
    `<rect x="${x}" y="${top}" width="14" height="${barH}" fill="url(#cb)" stroke="#bbb"/>`,
    `<text x="${x + 18}" y="${top + 9}" font-size="11" fill="#444">${
      escapeHtml(formatNumber(bar.hi, { precision: 3 }))
    }</text>`,
    `<text x="${x + 18}" y="${top + barH}" font-size="11" fill="#444">${
      escapeHtml(formatNumber(bar.lo, { precision: 3 }))
    }</text>`,
  ];
}
