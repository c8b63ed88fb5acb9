/**
 * The floor of the library: what every other folder of `lib` may use, and which itself
 * uses none of them.
 *
 * - `output.ts`      the Jupyter output channel (`display`, `show`, `flush`, `inKernel`).
 * - `html.ts`        the one HTML/XML escaper.
 * - `format.ts`      the one number formatter.
 * - `text_table.ts`  aligned plain-text tables.
 * - `csv.ts`         the one CSV writer and reader.
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
