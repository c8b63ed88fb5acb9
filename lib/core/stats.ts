/**
 * Summaries of repeated runs: the mean, the sample standard deviation and the standard
 * error of a few numbers (one per seed), and the `mean ± sd` text the lessons print.
 * Lessons compare a cure with a baseline only against this spread.
 *
 * @module
 */
import { formatNumber } from "./format.ts";

/** What {@linkcode meanSd} returns. */
export interface MeanSd {
  /** Number of values. */
  n: number;
  /** Their mean, `Σv / n`. */
  mean: number;
  /** Sample standard deviation, `√(Σ(v − mean)² / (n − 1))`; `NaN` for one value. */
  sd: number;
  /** Standard error of the mean, `sd / √n`. */
  se: number;
}

/**
 * Mean, sample standard deviation (divisor `n − 1`, the seed-to-seed spread) and
 * standard error of the mean.
 *
 * @param values At least one finite number, e.g. one score per seed.
 * @returns `{ n, mean, sd, se }`; with one value `sd` and `se` are `NaN` (no spread can
 * be estimated from one run).
 * @example
 * ```ts
 * import { meanSd } from "@lib";
 * console.log(meanSd([1, 2, 3])); // { n: 3, mean: 2, sd: 1, se: 0.5773502691896258 }
 * ```
 */
export function meanSd(values: readonly number[]): MeanSd {
  if (!Array.isArray(values) || values.length === 0) {
    throw new Error(
      `meanSd(): expected a non-empty array of numbers (one per run), got ${
        Array.isArray(values) ? "[]" : typeof values
      }.`,
    );
  }
  const bad = values.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
  if (bad >= 0) {
    throw new Error(
      `meanSd(): value ${bad} is ${String(values[bad])}, not a finite number; ` +
        "drop diverged runs, or report them separately.",
    );
  }
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : NaN;
  return { n, mean, sd, se: sd / Math.sqrt(n) };
}

/** Options of {@linkcode formatMeanSd}. */
export interface FormatMeanSdOptions {
  /**
   * Multiply every value first (e.g. `100` for an accuracy in percent).
   * @default {1}
   */
  scale?: number;
  /**
   * Decimals of both the mean and the sd.
   * @default {3}
   */
  fixed?: number;
}

/**
 * `mean ± sd` of a few runs, both to the same decimals, so a difference can be read
 * against the spread.
 *
 * @param values One number per run.
 * @param options `scale` (default 1) and `fixed` decimals (default 3).
 * @returns Text such as `"0.579 ± 0.014"`, or just the value for a single run.
 * @example
 * ```ts
 * import { formatMeanSd } from "@lib";
 * console.log(formatMeanSd([0.81, 0.84, 0.83], { scale: 100, fixed: 1 })); // 82.7 ± 1.5
 * ```
 */
export function formatMeanSd(values: readonly number[], options: FormatMeanSdOptions = {}): string {
  const { scale = 1, fixed = 3 } = options;
  const { mean, sd } = meanSd(values.map((v) => v * scale));
  const m = formatNumber(mean, { fixed });
  return Number.isNaN(sd) ? m : `${m} ± ${formatNumber(sd, { fixed })}`;
}
