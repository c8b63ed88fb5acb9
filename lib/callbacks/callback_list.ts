/**
 * Mixing `tf.Callback` objects and plain hook objects in one `fit` call.
 *
 * tfjs's `fit` looks only at the first item of `callbacks`: if it is a `tf.Callback`
 * the list is used as it is (a plain `{ onEpochEnd }` later in the list then crashes
 * with "setModel is not a function"); if it is a plain object, every item is wrapped
 * as a plain object (a `tf.Callback` later in the list then loses its model).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Anything `model.fit` accepts as one callback. */
export type AnyCallback = tf.Callback | tf.CustomCallbackArgs;

/**
 * Normalise a mixed list: `tf.Callback`s stay, plain hook objects are wrapped in
 * `tf.CustomCallback`, `undefined`/`false` entries are dropped (for
 * `cond && callback`).
 *
 * @param items Callbacks and plain hook objects.
 * @returns A list `model.fit` handles whatever the order.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { callbackList, earlyStopping } from "@lib";
 * await tf.setBackend("cpu");
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
 * const xs = tf.tensor2d([[0], [1]]), ys = tf.tensor2d([[1], [3]]);
 * await model.fit(xs, ys, {
 *   epochs: 3,
 *   verbose: 0,
 *   callbacks: callbackList({ onEpochEnd: (e, logs) => console.log(e, logs?.loss) }, earlyStopping({ monitor: "loss" })),
 * });
 * ```
 */
export function callbackList(
  ...items: Array<tf.CustomCallbackArgs | undefined | null | false>
): tf.Callback[] {
  return items.flatMap((item) => {
    if (item === undefined || item === null || item === false) return [];
    if (item instanceof tf.Callback) return [item];
    // A BaseCallback that is not a tf.Callback (e.g. tf.CustomCallback): keep it.
    if (typeof (item as { setModel?: unknown }).setModel === "function") {
      return [item as tf.Callback];
    }
    return [new tf.CustomCallback(item as tf.CustomCallbackArgs) as unknown as tf.Callback];
  });
}
