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

/**
 * Student's t, 97.5 % point, by degrees of freedom 1–30, to two decimals (the lessons
 * print intervals to a few significant digits).
 */
// deno-fmt-ignore
const T975 = [
  NaN, 12.71, 4.30, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23,
  2.20, 2.18, 2.16, 2.14, 2.13, 2.12, 2.11, 2.10, 2.09, 2.09,
  2.08, 2.07, 2.07, 2.06, 2.06, 2.06, 2.05, 2.05, 2.05, 2.04,
];

/** What {@linkcode meanInterval} returns: {@linkcode MeanSd} and the 95 % t interval. */
export interface MeanInterval extends MeanSd {
  /** Student's t 97.5 % point for `n − 1` degrees of freedom (1.96 beyond 30). */
  t: number;
  /** `t · se`: the interval is `mean ± halfWidth`. */
  halfWidth: number;
  /** `mean − halfWidth`. */
  lo: number;
  /** `mean + halfWidth`. */
  hi: number;
}

/**
 * The 95 % confidence interval of the mean of a few runs, by Student's t: for paired
 * differences over seeds, "beyond noise" when it excludes zero (`lo > 0` or `hi < 0`).
 * With three seeds `t` is 4.30, so the interval is `mean ± 4.30·sd/√3`.
 *
 * @param values At least two finite numbers, e.g. one paired difference per seed.
 * @returns `{ n, mean, sd, se, t, halfWidth, lo, hi }`.
 * @example
 * ```ts
 * import { meanInterval } from "@lib";
 * const { halfWidth, lo } = meanInterval([0.07, 0.08, 0.09]);
 * console.log(halfWidth.toFixed(4), lo > 0); // 0.0248 true
 * ```
 */
export function meanInterval(values: readonly number[]): MeanInterval {
  const summary = meanSd(values);
  if (summary.n < 2) {
    throw new Error(
      "meanInterval(): one run has no spread, so no interval; run at least two seeds.",
    );
  }
  const t = T975[summary.n - 1] ?? 1.96;
  const halfWidth = t * summary.se;
  return { ...summary, t, halfWidth, lo: summary.mean - halfWidth, hi: summary.mean + halfWidth };
}
