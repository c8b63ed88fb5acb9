/**
 * Colour scales shared by the figure builders and the static SVG renderer (private).
 *
 * @module
 */
import type { ColorScale } from "./figure.ts";

/** Named scales, as Plotly defines them (so the SVG frame matches the live plot). */
const NAMED: Record<string, Array<[number, string]>> = {
  viridis: [
    [0, "#440154"],
    [0.06274509803921569, "#48186a"],
    [0.12549019607843137, "#472d7b"],
    [0.18823529411764706, "#424086"],
    [0.25098039215686274, "#3b528b"],
    [0.3137254901960784, "#33638d"],
    [0.3764705882352941, "#2c728e"],
    [0.4392156862745098, "#26828e"],
    [0.5019607843137255, "#21918c"],
    [0.5647058823529412, "#1fa088"],
    [0.6274509803921569, "#28ae80"],
    [0.6901960784313725, "#3fbc73"],
    [0.7529411764705882, "#5ec962"],
    [0.8156862745098039, "#84d44b"],
    [0.8784313725490196, "#addc30"],
    [0.9411764705882353, "#d8e219"],
    [1, "#fde725"],
  ],
  greys: [[0, "#000000"], [1, "#ffffff"]],
  blues: [
    [0, "#08306b"],
    [0.35, "#3c5ba8"],
    [0.5, "#6a89c7"],
    [0.6, "#8fb1d9"],
    [0.7, "#b4cde4"],
    [1, "#dceaf6"],
  ],
  rdbu: [
    [0, "#053061"],
    [0.25, "#4393c3"],
    [0.5, "#f7f7f7"],
    [0.75, "#d6604d"],
    [1, "#67001f"],
  ],
};

/** Ink-on-paper grey: 0 → white, 1 → black (digits drawn dark on white). */
export const GREY_INK: Array<[number, string]> = [[0, "#ffffff"], [1, "#000000"]];

/** White → blue, for counts (confusion matrices). */
export const WHITE_BLUE: Array<[number, string]> = [[0, "#f7fbff"], [0.5, "#6baed6"], [
  1,
  "#08306b",
]];

function parseColor(css: string): [number, number, number] {
  const hex = /^#([0-9a-f]{6})$/i.exec(css);
  if (hex) {
    const n = parseInt(hex[1], 16);
    return [n >> 16, (n >> 8) & 255, n & 255];
  }
  const rgb = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)/i.exec(css);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  return [128, 128, 128];
}

/** Resolve a scale given by name or stops into parsed stops. */
export function scaleStops(scale: ColorScale | undefined): Array<[number, number[]]> {
  const stops = typeof scale === "string"
    ? NAMED[scale.toLowerCase()] ?? NAMED.viridis
    : scale ?? NAMED.viridis;
  return stops.map(([t, c]) => [t, parseColor(c)]);
}

/** Colour at `t` in [0, 1] of parsed stops, as RGB bytes. */
export function colorAt(stops: Array<[number, number[]]>, t: number): [number, number, number] {
  const u = Math.min(1, Math.max(0, t));
  let i = 1;
  while (i < stops.length - 1 && stops[i][0] < u) i++;
  const [t0, c0] = stops[i - 1];
  const [t1, c1] = stops[i];
  const f = t1 === t0 ? 0 : (u - t0) / (t1 - t0);
  return [0, 1, 2].map((k) => Math.round(c0[k] + (c1[k] - c0[k]) * f)) as [
    number,
    number,
    number,
  ];
}

/** Whether black or white text reads better on an RGB colour. */
export function textColorOn([r, g, b]: number[]): string {
  return 0.299 * r + 0.587 * g + 0.114 * b > 140 ? "#000000" : "#ffffff";
}
