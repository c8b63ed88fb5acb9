/**
 * Rich display: figures, tables and views for Jupyter front ends.
 *
 * - figure builders (pure, return plain Plotly figures): `historyFigure`, `lineFigure`,
 *   `scatterFigure`, `compareRunsFigure`, `histogramFigure`, `weightHistogramFigure`,
 *   `lossContourFigure`, `imageGridFigure`, `heatmapFigure`, `confusionMatrixFigure`.
 * - `figureBundle` / `plot`: figure → Plotly JSON + HTML (plotly.js inlined once per
 *   session, no CDN) + static SVG + text summary.
 * - `historyTable(history)`, `showModel(model)`, `showTensor(t)`: tables and bounded views.
 *
 * Outputs go through the one channel in `lib/core/output.ts` (`display`, `show`). The
 * live dashboard `liveCurves` is a training callback, in `lib/callbacks/`.
 *
 * @module
 */
export type {
  Annotation,
  Axis,
  ColorScale,
  Datum,
  Figure,
  Layout,
  LineStyle,
  MarkerStyle,
  Shape,
  Trace,
} from "./figure.ts";
export { COLORWAY } from "./figure.ts";
export { figureToSvg, type SvgOptions } from "./svg.ts";
export {
  figureBundle,
  type FigureBundleOptions,
  figureSummary,
  plot,
  PLOTLY_MIME,
  type PlotOptions,
} from "./plot.ts";
export { historyFigure, type HistoryFigureOptions, type StopperLike } from "./history_figure.ts";
export { HistoryTable, historyTable, type HistoryTableOptions } from "./history_table.ts";
export {
  lineFigure,
  scatterFigure,
  type ScatterFigureOptions,
  type Series,
  type XYFigureOptions,
} from "./line_figure.ts";
export { compareRunsFigure, type CompareRunsOptions } from "./runs_figure.ts";
export {
  type Histogram,
  histogram,
  histogramFigure,
  type HistogramFigureOptions,
  type LayerValues,
  layerWeights,
  type LayerWeightsOptions,
  weightHistogramFigure,
  type WeightHistogramOptions,
} from "./histogram_figure.ts";
export {
  confusionMatrix,
  confusionMatrixFigure,
  type ConfusionMatrixOptions,
  heatmapFigure,
  type HeatmapFigureOptions,
} from "./heatmap_figure.ts";
export { type ContourPath, lossContourFigure, type LossContourOptions } from "./contour_figure.ts";
export { imageGridFigure, type ImageGridOptions } from "./image_grid_figure.ts";
export {
  type LayerRow,
  modelBundle,
  type ModelSummary,
  modelSummary,
  type ModelViewOptions,
  showModel,
} from "./model_view.ts";
export {
  showTensor,
  tensorBundle,
  type TensorStats,
  tensorStats,
  type TensorViewOptions,
} from "./tensor_view.ts";
