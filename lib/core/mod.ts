/**
 * The floor of the library: what every other folder of `lib` may use, and which itself
 * uses none of them.
 *
 * - `output.ts`      the Jupyter output channel (`display`, `show`, `flush`, `inKernel`).
 * - `html.ts`        the one HTML/XML escaper.
 * - `format.ts`      the one number formatter.
 * - `text_table.ts`  aligned plain-text tables.
 * - `csv.ts`         the one CSV writer and reader.
 * - `stats.ts`       mean ± sd and the t interval over runs (seeds): the spread every
 *                    comparison is read against.
 * - `history.ts`     the History model: reading a History or logs into numbers, metric
 *                    names in one order, `monitorDirection`, `bestEpoch`, CSV/JSON in and
 *                    out. Epochs are 0-based in the whole API.
 *
 * @module
 */
export {
  bundleOf,
  display,
  type Displayable,
  type DisplayOptions,
  flush,
  inKernel,
  JUPYTER_DISPLAY,
  type MimeBundle,
  settleMs,
  show,
} from "./output.ts";
export { escapeHtml } from "./html.ts";
export { formatNumber, type FormatNumberOptions } from "./format.ts";
export { type Align, textTable, type TextTableOptions } from "./text_table.ts";
export { csvField, csvLine, type CsvValue, parseCsv } from "./csv.ts";
export {
  formatMeanSd,
  type FormatMeanSdOptions,
  type MeanInterval,
  meanInterval,
  type MeanSd,
  meanSd,
} from "./stats.ts";
export {
  asData,
  baseName,
  type BestEpoch,
  bestEpoch,
  bestIndex,
  type HistoryData,
  historyData,
  historyFromCsv,
  historyRows,
  historyToCsv,
  historyToJson,
  loadHistory,
  type Logs,
  type LogValue,
  metricNames,
  monitorDirection,
  type MonitorMode,
  orderedKeys,
  readHistory,
  resolveLogs,
  saveHistory,
  type ScalarLike,
  type TrainingHistory,
  type UnresolvedLogs,
} from "./history.ts";
