/**
 * The scatter-add behind both of the library's `UnsortedSegmentSum` kernels
 * (`cpu_kernels.ts` and `wasm_kernels.ts`). Private to `lib/backend`.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";

/**
 * out[s, k] += x[i, k] for every row i whose id is s, 0 ≤ s < numSegments (ids outside
 * are dropped, as in TensorFlow). One pass over the rows of x, O(rows × width) — tfjs's
 * own kernels loop over every segment for every row, O(numSegments × rows × width).
 *
 * @param out numSegments × width values, zero on entry; the sums on return.
 * @param xs The rows, `ids.length` × width values.
 * @param ids One segment id per row.
 * @param numSegments How many segments `out` holds.
 * @param width Values per row.
 */
export function addRowsToSegments(
  out: tf.TypedArray,
  xs: tf.TypedArray,
  ids: tf.TypedArray,
  numSegments: number,
  width: number,
): void {
  for (let row = 0; row < ids.length; row++) {
    const segment = ids[row];
    if (segment < 0 || segment >= numSegments) continue;
    const from = row * width;
    const to = segment * width;
    for (let k = 0; k < width; k++) out[to + k] += xs[from + k];
  }
}
