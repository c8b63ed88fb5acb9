/**
 * Subplot layout shared by the figure builders (private).
 *
 * @module
 */
import type { Axis, Layout } from "./figure.ts";

/** Axis ids of the i-th subplot: ("x", "y"), ("x2", "y2"), …. */
export function subplotAxes(i: number): { x: string; y: string } {
  return i === 0 ? { x: "x", y: "y" } : { x: `x${i + 1}`, y: `y${i + 1}` };
}

/** Layout with `count` subplots side by side (wrapping after three). */
export function subplotGrid(
  count: number,
  axes: (i: number) => { x: Axis; y: Axis },
): Partial<Layout> {
  const columns = Math.min(3, Math.max(1, count));
  const rows = Math.ceil(Math.max(1, count) / columns);
  const gapX = 0.1;
  const gapY = 0.18;
  const w = (1 - gapX * (columns - 1)) / columns;
  const h = (1 - gapY * (rows - 1)) / rows;
  const layout: Partial<Layout> = {};
  for (let i = 0; i < Math.max(1, count); i++) {
    const c = i % columns;
    const r = Math.floor(i / columns);
    const ids = subplotAxes(i);
    const { x, y } = axes(i);
    const top = 1 - r * (h + gapY);
    layout[`xaxis${i === 0 ? "" : i + 1}` as "xaxis"] = {
      ...x,
      domain: [c * (w + gapX), c * (w + gapX) + w],
      anchor: ids.y,
    };
    layout[`yaxis${i === 0 ? "" : i + 1}` as "yaxis"] = {
      ...y,
      domain: [top - h, top],
      anchor: ids.x,
    };
  }
  return layout;
}
