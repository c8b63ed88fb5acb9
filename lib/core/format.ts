/**
 * The one number formatter behind every table, summary and tick label in `lib`.
 *
 * @module
 */

/** Options of {@linkcode formatNumber}. */
export interface FormatNumberOptions {
  /**
   * Significant digits of a non-integer (`0.123456` → `"0.1235"` with 4). Ignored when
   * `fixed` is given.
   * @default {4}
   */
  precision?: number;
  /**
   * Digits after the decimal point, for columns that line up (`0.5` → `"0.5000"` with
   * 4; integers get them too).
   * @default {undefined} (significant digits instead)
   */
  fixed?: number;
}

/**
 * Format a number for people: `NaN`, `Infinity` and `-Infinity` spelled out; integers as
 * they are; other values to `precision` significant digits, or to `fixed` decimals;
 * magnitudes that would print as a row of zeros or a long string of digits in exponent
 * form (`1.5e-7`, `2.35e+6`): below 1e-3 or from 1e5 with `precision`, below 10^-fixed
 * or from 1e6 with `fixed`.
 *
 * @param value The number.
 * @param options `precision` (significant digits) or `fixed` (decimals).
 * @returns Text such as `"0.1235"`, `"42"`, `"1.5e-7"` or `"NaN"`.
 * @example
 * ```ts
 * import { formatNumber } from "@lib";
 * console.log(formatNumber(0.123456), formatNumber(42), formatNumber(1.5e-7)); // 0.1235 42 1.5e-7
 * console.log(formatNumber(0.5, { fixed: 4 })); // 0.5000
 * ```
 */
export function formatNumber(value: number, options: FormatNumberOptions = {}): string {
  const { precision = 4, fixed } = options;
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (fixed !== undefined) {
    if (abs !== 0 && (abs < 10 ** -fixed || abs >= 1e6)) {
      return trimExponent(value.toExponential(Math.max(0, fixed - 1)));
    }
    return value.toFixed(fixed);
  }
  if (Number.isInteger(value)) return String(value);
  if (abs < 1e-3 || abs >= 1e5) {
    return trimExponent(value.toExponential(Math.max(0, precision - 1)));
  }
  return String(Number(value.toPrecision(precision)));
}

/** `"1.50e-7"` → `"1.5e-7"`, `"2.0e+6"` → `"2e+6"`: no trailing zeros in the mantissa. */
function trimExponent(text: string): string {
  const [mantissa, exp] = text.split("e");
  const trimmed = mantissa.includes(".") ? mantissa.replace(/\.?0+$/, "") : mantissa;
  return `${trimmed}e${exp}`;
}
