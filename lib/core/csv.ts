/**
 * The one CSV writer and reader (RFC 4180 quoting) behind `csvLogger`, `historyToCsv`
 * and `loadHistory`.
 *
 * Conventions, as Keras's `CSVLogger`: a value that is missing is written `NA`; numbers
 * as JavaScript writes them (`NaN`, `Infinity`), so they read back exactly.
 *
 * @module
 */

/** A value in a CSV cell. */
export type CsvValue = string | number | undefined | null;

/**
 * One CSV field: `NA` for a missing value, numbers as JavaScript writes them, text
 * quoted when it holds the separator, a quote, or a line break.
 *
 * @param value The value.
 * @param separator Column separator. @default {","}
 * @returns The field's text.
 * @example
 * ```ts
 * import { csvField } from "@lib";
 * console.log(csvField('say "hi", then go'), csvField(NaN), csvField(undefined)); // "say ""hi"", then go" NaN NA
 * ```
 */
export function csvField(value: CsvValue, separator = ","): string {
  if (value === undefined || value === null) return "NA";
  const text = String(value);
  const special = text.includes(separator) || /["\r\n]/.test(text);
  return special ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One CSV line (without its line break).
 *
 * @param values The fields.
 * @param separator Column separator. @default {","}
 * @returns The line.
 * @example
 * ```ts
 * import { csvLine } from "@lib";
 * console.log(csvLine(["epoch", "loss"]), csvLine([0, 0.5])); // epoch,loss 0,0.5
 * ```
 */
export function csvLine(values: readonly CsvValue[], separator = ","): string {
  return values.map((v) => csvField(v, separator)).join(separator);
}

/**
 * Parse CSV text into rows of fields (quotes removed, `""` unescaped). A trailing line
 * break does not make an empty row.
 *
 * @param text CSV text.
 * @param separator Column separator. @default {","}
 * @returns Rows of fields, the header first.
 * @throws When a quoted field is never closed (naming the line).
 * @example
 * ```ts
 * import { parseCsv } from "@lib";
 * console.log(parseCsv('epoch,note\n0,"a, b"\n')); // [ [ "epoch", "note" ], [ "0", "a, b" ] ]
 * ```
 */
export function parseCsv(text: string, separator = ","): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let quoteLine = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === "\n") line++;
        field += c;
      }
    } else if (c === '"' && field === "") {
      quoted = true;
      quoteLine = line;
    } else if (text.startsWith(separator, i)) {
      row.push(field);
      field = "";
      i += separator.length - 1;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      line++;
    } else {
      field += c;
    }
  }
  if (quoted) {
    throw new Error(
      `parseCsv: the quoted field that starts on line ${quoteLine} is never closed. ` +
        'Close it with a " (write a quote inside a field as "").',
    );
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
