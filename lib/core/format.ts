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
  /**
   * Spacing of the values this one is shown among, e.g. an axis' tick step: as many
   * decimals as the step needs, so neighbours read apart (`0.25` → `"0.25"` with step
   * 0.05, `2` → `"2.0"` with step 0.5), and in exponent form (below 1e-3 or from 1e5) a
   * mantissa precise to the step (`2.5e+6` with step 5e5). Takes precedence over
   * `fixed` and `precision`.
   * @default {undefined}
   */
  step?: number;
}

/**
 * Format a number for people: `NaN`, `Infinity` and `-Infinity` spelled out; integers as
 * they are; other values to `precision` significant digits, or to `fixed` decimals;
 * magnitudes that would print as a row of zeros or a long string of digits in exponent
 * form (`1.5e-7`, `2.35e+6`): below 1e-3 or from 1e5 with `precision`, below 10^-fixed
 * or from 1e6 with `fixed`. With `step` (axis ticks), the digits follow the step instead.
 *
 * @param value The number.
 * @param options `precision` (significant digits), `fixed` (decimals) or `step` (ticks).
 * @returns Text such as `"0.1235"`, `"42"`, `"1.5e-7"` or `"NaN"`.
 * @example
 * ```ts
 * import { formatNumber } from "@lib";
 * console.log(formatNumber(0.123456), formatNumber(42), formatNumber(1.5e-7)); // 0.1235 42 1.5e-7
 * console.log(formatNumber(0.5, { fixed: 4 })); // 0.5000
 * console.log(formatNumber(2, { step: 0.5 }), formatNumber(2.5e6, { step: 5e5 })); // 2.0 2.5e+6
 * ```
 */
export function formatNumber(value: number, options: FormatNumberOptions = {}): string {
  const { precision = 4, fixed, step } = options;
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (step !== undefined && Number.isFinite(step) && step !== 0) {
    if (value === 0) return "0";
    const last = lastDecade(step);
    if (abs < 1e-3 || abs >= 1e5) {
      const digits = Math.floor(Math.log10(abs) + 1e-9) - last;
      return trimExponent(value.toExponential(Math.max(0, Math.min(20, digits))));
    }
    return value.toFixed(Math.max(0, Math.min(20, -last)));
  }
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

/**
 * The decade of a step's last significant digit: 0.25 → -2, 0.5 → -1, 20 → 1, 5e5 → 5
 * (seven significant digits at most, for steps such as 1/3).
 */
function lastDecade(step: number): number {
  const first = Math.floor(Math.log10(Math.abs(step)) + 1e-9); // + 1e-9: 1e-3 is not 0.000999…
  for (let d = first; d > first - 6; d--) {
    const q = Math.abs(step) / 10 ** d;
    if (Math.abs(q - Math.round(q)) < 1e-6) return d;
  }
  return first - 6;
}

/** `"1.50e-7"` → `"1.5e-7"`, `"2.0e+6"` → `"2e+6"`: no trailing zeros in the mantissa. */
function trimExponent(text: string): string {
  const [mantissa, exp] = text.split("e");
  const trimmed = mantissa.includes(".") ? mantissa.replace(/\.?0+$/, "") : mantissa;
  return `${trimmed}e${exp}`;
}
