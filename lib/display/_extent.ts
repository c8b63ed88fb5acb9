/**
 * The finite range of some values (private): what histograms bin over, what a fit
 * function is sampled across, what a colour scale spans and what a summary reports.
 *
 * @module
 */

/**
 * The smallest and largest finite value of one or more series (NaN, ±Infinity and null
 * are skipped).
 *
 * @returns `[min, max]`, or `undefined` when no value is finite.
 */
export function finiteExtent(
  ...series: Array<ArrayLike<number | null>>
): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const values of series) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || !Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : undefined;
}
