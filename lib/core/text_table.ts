/**
 * The one plain-text table helper: aligned columns for terminals and `text/plain` outputs.
 *
 * @module
 */

/** How a column lines up: text left, numbers right. */
export type Align = "left" | "right";

/** Options of {@linkcode textTable}. */
export interface TextTableOptions {
  /** Alignment per column. @default {first column left, the others right} */
  align?: Align[];
  /** Text between columns. @default {"  "} */
  gap?: string;
  /** Characters before every line. @default {""} */
  indent?: string;
  /**
   * A character repeated under each column's header (the gaps stay blank), e.g. `"-"`.
   * @default {no rule}
   */
  rule?: string;
}

/**
 * Lay out rows of cells as aligned plain text, the header first. Column widths fit the
 * widest cell; rows may be ragged.
 *
 * @param header Column names; `[]` for a table without a header line.
 * @param rows Cells, one array per row (missing cells are blank).
 * @param options Alignment, gap between columns, indent, a rule under the header.
 * @returns Lines joined by `\n`, trailing spaces trimmed.
 * @example
 * ```ts
 * import { textTable } from "@lib";
 * console.log(textTable(["epoch", "loss"], [["1", "0.5"], ["2", "0.25"]]));
 * // epoch  loss
 * // 1       0.5
 * // 2      0.25
 * ```
 */
export function textTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  options: TextTableOptions = {},
): string {
  const { gap = "  ", indent = "", rule } = options;
  const all = header.length > 0 ? [header, ...rows] : [...rows];
  if (all.length === 0) return "";
  const columns = Math.max(...all.map((r) => r.length));
  const align = options.align ??
    Array.from({ length: columns }, (_, i) => i === 0 ? "left" : "right");
  const widths = Array.from(
    { length: columns },
    (_, j) => Math.max(...all.map((r) => (r[j] ?? "").length)),
  );
  const line = (row: readonly string[]) =>
    indent + widths.map((w, j) => {
      const cell = row[j] ?? "";
      return (align[j] ?? "right") === "left" ? cell.padEnd(w) : cell.padStart(w);
    }).join(gap).trimEnd();
  const lines = all.map(line);
  if (rule !== undefined && header.length > 0) {
    lines.splice(1, 0, indent + widths.map((w) => rule.repeat(w)).join(gap).trimEnd());
  }
  return lines.join("\n");
}
