/**
 * Rich display: MIME bundles for Jupyter front ends, delivered without loss.
 *
 * - `output.ts`  the one way to send an output (`display`, `show`, `flush`, `inKernel`).
 * - figure builders (pure, return plain Plotly figures): `historyFigure`, `lineFigure`,
 *   `scatterFigure`, `compareRunsFigure`, `histogramFigure`, `weightHistogramFigure`,
 *   `lossContourFigure`, `imageGridFigure`, `heatmapFigure`, `confusionMatrixFigure`.
 * - `figureBundle` / `plot`: figure → Plotly JSON + HTML (plotly.js inlined once per
 *   session, no CDN) + static SVG + text summary.
 * - `liveCurves()`: a tfjs callback that redraws learning curves in place while `fit` runs.
 * - `showModel(model)`, `showTensor(t)`: model summary table and bounded tensor views.
 *
 * @module
 */

export * from "./figure.ts";
export * from "./png.ts";
export * from "./svg.ts";
export * from "./plotly_js.ts";
export * from "./plot.ts";
export * from "./history_figure.ts";
export * from "./line_figure.ts";
export * from "./runs_figure.ts";
export * from "./histogram_figure.ts";
export * from "./heatmap_figure.ts";
export * from "./contour_figure.ts";
export * from "./image_grid_figure.ts";
export * from "./live_curves.ts";
export * from "./model_view.ts";
export * from "./tensor_view.ts";
