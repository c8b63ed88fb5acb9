/**
 * From figure to output: {@linkcode figureBundle} turns a Plotly figure into a MIME
 * bundle that every front end can show, and {@linkcode plot} sends it.
 *
 * | MIME type                         | who shows it                                       |
 * | --------------------------------- | -------------------------------------------------- |
 * | `application/vnd.plotly.v1+json`  | JupyterLab with the Plotly extension, VS Code      |
 * | `text/html`                       | Notebook, Lab, nbconvert HTML (plotly.js inlined once) |
 * | `image/svg+xml`                   | GitHub, untrusted notebooks, PDF                   |
 * | `text/plain`                      | terminals, tests                                   |
 *
 * The HTML starts with the static SVG inside the plot's `<div>`, and the script replaces
 * it with the interactive plot; where scripts do not run (GitHub, untrusted), the SVG
 * stays.
 *
 * @module
 */
import type { Axis, Figure, Layout } from "./figure.ts";
import { figureToSvg } from "./svg.ts";
import { markPlotlySent, PLOTLY_READY_EVENT, plotlyScriptTag, plotlySent } from "./plotly_js.ts";
import { display, type DisplayOptions, inKernel, type MimeBundle } from "../core/output.ts";
import { formatNumber } from "../core/format.ts";
import { checkFigure } from "./_check.ts";
import { finiteExtent } from "./_extent.ts";
import { type Area, type Axes, axisIdOfKey, type AxisState, buildAxes } from "./_svg_axes.ts";
import { logTicks } from "./_log_ticks.ts";

/** MIME type of a Plotly figure (JupyterLab's Plotly extension, VS Code). */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** Options of {@linkcode figureBundle}. */
export interface FigureBundleOptions {
  /** Inline plotly.js (about 4.8 MB) in the HTML. @default {false} */
  includePlotlyJs?: boolean;
  /** Add `text/html` (the interactive plot). @default {true} */
  html?: boolean;
  /** Add `image/svg+xml` (the static frame). @default {true} */
  svg?: boolean;
  /** Add `application/vnd.plotly.v1+json`. @default {true} */
  plotlyJson?: boolean;
  /** Plotly config for the interactive plot. @default {{ displaylogo: false, responsive: true }} */
  config?: Record<string, unknown>;
}

let divCounter = 0;
const sessionTag = crypto.randomUUID().slice(0, 8);

/**
 * One short line per trace: what tests and terminals read instead of the picture.
 *
 * @param figure A Plotly figure.
 * @returns E.g. `Figure "Learning curves": loss (train) 10 points, last 0.1235; …`.
 * @throws When `figure` is not a figure (no `data` array of traces).
 * @example
 * ```ts
 * import { figureSummary, lineFigure } from "@lib/display/mod.ts";
 * console.log(figureSummary(lineFigure([1, 2, 3], [3, 2, 1], { title: "down" })));
 * ```
 */
export function figureSummary(figure: Figure): string {
  checkFigure(figure, "figureSummary");
  const title = figure.layout?.title?.text;
  const lines = [`Figure${title ? ` "${title}"` : ""}`];
  const traces = figure.data ?? [];
  for (const t of traces.slice(0, 12)) {
    const name = t.name ?? t.type;
    if (t.type === "scatter" || t.type === "bar") {
      const ys = (t.y ?? []).filter((v): v is number => typeof v === "number");
      const last = ys.length ? ys[ys.length - 1] : undefined;
      const unit = t.type === "bar" ? "bars" : "points";
      lines.push(
        `  ${name}: ${t.y?.length ?? 0} ${unit}` +
          (last !== undefined && t.type === "scatter" ? `, last ${formatNumber(last)}` : "") +
          (t.type === "bar" ? `, total ${formatNumber(ys.reduce((a, b) => a + b, 0))}` : ""),
      );
    } else if (t.type === "heatmap" || t.type === "contour") {
      const z = t.z ?? [];
      const range = finiteExtent(...z);
      lines.push(
        `  ${name}: ${z.length}×${z[0]?.length ?? 0} ${t.type}` +
          (range ? `, values ${formatNumber(range[0])}..${formatNumber(range[1])}` : ""),
      );
    } else if (t.type === "image") {
      const meta = figure.layout?.meta;
      lines.push(
        `  image grid` +
          (meta && typeof meta.shown === "number" ? `: ${meta.shown} of ${meta.total} images` : ""),
      );
    }
  }
  if (traces.length > 12) lines.push(`  … and ${traces.length - 12} more traces`);
  const notes = figure.layout?.meta ?? {};
  if (typeof notes.nonFinite === "number" && notes.nonFinite > 0) {
    lines.push(`  ${notes.nonFinite} non-finite values (NaN/Infinity) shown as gaps`);
  }
  return lines.join("\n");
}

/** JSON that is safe inside a `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(
    /\u2028|\u2029/g,
    (c) => c === "\u2028" ? "\\u2028" : "\\u2029",
  );
}

/**
 * The layout Plotly gets: a copy of the figure's in which every log axis is labelled as
 * the static SVG labels it (one rule, `logTicks`, for both), never with Plotly's bare
 * minor digits "2" and "5", which a learner reads as the values 2 and 5:
 *
 * - `exponentformat: "power"` unless the figure chooses one, so ticks read 10⁻¹², 10⁻⁶, 1
 *   instead of Plotly's SI prefixes 1p, 1µ, 1;
 * - three or more decades in view: `dtick: n`, a label every n-th decade and nothing
 *   between (Plotly: an integer `dtick` on a log axis means every 10ⁿ);
 * - fewer: `tickvals` and `ticktext`, the values written in full (`0.3`, `0.5`, `1`).
 *
 * The range is the one the SVG shows, which lies inside Plotly's (Plotly pads 5 % of the
 * axis, the SVG 4 % of the data), so Plotly draws every listed value, as the SVG does.
 * An axis whose figure sets `dtick` or `tickvals` keeps them. One place for every
 * builder; the figure itself is not changed.
 */
function plotlyLayout(figure: Figure): Layout {
  const layout = figure.layout ?? {};
  const out: Layout = { ...layout };
  let axes: Axes | undefined;
  for (const [key, axis] of Object.entries(out)) {
    const id = axisIdOfKey(key);
    if (id === undefined || typeof axis !== "object" || axis === null) continue;
    const spec = axis as Axis;
    if (spec.type !== "log") continue;
    const labelled: Axis = { ...spec, exponentformat: spec.exponentformat ?? "power" };
    if (spec.dtick === undefined && spec.tickvals === undefined) {
      axes ??= buildAxes(layout, figure.data ?? [], RANGE_ONLY);
      const state = axes.get(id) as AxisState;
      const plan = logTicks(Math.min(state.lo, state.hi), Math.max(state.lo, state.hi));
      if (plan.kind === "decades") labelled.dtick = plan.every;
      else {
        labelled.tickvals = plan.ticks.map((t) => t.value);
        labelled.ticktext = plan.ticks.map((t) => t.label);
      }
    }
    out[key as `${"x" | "y"}axis${number}`] = labelled;
  }
  return out;
}

/** A plot area for `buildAxes` when only the data ranges are wanted, not pixels. */
const RANGE_ONLY: Area = {
  width: 640,
  height: 400,
  l: 0,
  r: 0,
  t: 0,
  b: 0,
  plotW: 640,
  plotH: 400,
};

/**
 * Build the MIME bundle of a figure (no kernel needed). Log axes are labelled at the
 * decades (`10⁻³`, `10⁻²`, …) or, spanning fewer than three, at values written in full
 * (`0.3`, `0.5`, `1`), as the static SVG labels them, unless the figure sets `dtick` or
 * `tickvals`.
 *
 * @param figure A Plotly figure from one of the builders.
 * @param options Which parts to include and whether to inline plotly.js.
 * @returns `{ "application/vnd.plotly.v1+json", "text/html", "image/svg+xml", "text/plain" }`.
 * @throws When `figure` is not a figure (no `data` array of traces).
 * @example
 * ```ts
 * import { figureBundle, lineFigure } from "@lib/display/mod.ts";
 * const bundle = figureBundle(lineFigure([0, 1], [1, 0]));
 * console.log(Object.keys(bundle));
 * ```
 */
export function figureBundle(figure: Figure, options: FigureBundleOptions = {}): MimeBundle {
  checkFigure(figure, "figureBundle");
  const {
    includePlotlyJs = false,
    html = true,
    svg = true,
    plotlyJson = true,
    config = { displaylogo: false, responsive: true },
  } = options;
  const bundle: MimeBundle = {};
  const layout = plotlyLayout(figure);
  if (plotlyJson) bundle[PLOTLY_MIME] = { data: figure.data, layout, config };
  const frame = svg || html ? figureToSvg(figure) : "";
  if (html) {
    const id = `tfjs-plot-${sessionTag}-${++divCounter}`;
    const width = figure.layout?.width ?? 640;
    const height = figure.layout?.height ?? 400;
    const draw = `(function () {
  var figure = ${scriptJson({ data: figure.data, layout, config })};
  var tries = 0;
  function draw() {
    var el = document.getElementById("${id}");
    if (!el) { if (++tries < 200) setTimeout(draw, 50); return; }
    el.innerHTML = "";
    window.Plotly.newPlot(el, figure.data, figure.layout, figure.config).then(function () {
      el.setAttribute("data-drawn", "1");
    });
  }
  if (window.Plotly) draw();
  else window.addEventListener("${PLOTLY_READY_EVENT}", draw, { once: true });
})();`;
    bundle["text/html"] = (includePlotlyJs ? plotlyScriptTag() : "") +
      `<div class="tfjs-plot" id="${id}" style="width:${width}px;max-width:100%;height:${height}px">` +
      `${frame}</div>\n<script type="text/javascript">${draw}</script>`;
  }
  if (svg) bundle["image/svg+xml"] = frame;
  bundle["text/plain"] = figureSummary(figure);
  return bundle;
}

/** Options of {@linkcode plot}. */
export interface PlotOptions extends DisplayOptions {
  /**
   * Inline plotly.js in this output.
   * @default {true for the first figure of a kernel session that is not an updatable output}
   */
  includePlotlyJs?: boolean;
}

/**
 * Show a figure in the notebook (interactive where scripts run, a static SVG elsewhere)
 * and wait until it is delivered. Outside a kernel, prints its text summary.
 *
 * @param figure A Plotly figure, e.g. from {@linkcode historyFigure}.
 * @param options `displayId` / `update` to replace an earlier output; plotly.js inlining.
 * @throws When `figure` is not a figure (no `data` array of traces).
 * @example
 * ```ts
 * import { lineFigure, plot } from "@lib/display/mod.ts";
 * await plot(lineFigure([0, 1, 2], [0, 1, 4], { title: "x²" }));
 * ```
 */
export async function plot(figure: Figure, options: PlotOptions = {}): Promise<void> {
  checkFigure(figure, "plot");
  const { displayId, update = false } = options;
  if (!inKernel()) {
    await display({ "text/plain": figureSummary(figure) }, { displayId, update });
    return;
  }
  const include = options.includePlotlyJs ?? (!plotlySent() && displayId === undefined);
  await display(figureBundle(figure, { includePlotlyJs: include }), { displayId, update });
  if (include) markPlotlySent();
}
