/**
 * Reading and setting a tfjs optimizer's learning rate: what `reduceLROnPlateau`,
 * `learningRateScheduler` and the learning-rate finder share (moved here from
 * `callbacks/reduce_lr_on_plateau.ts` so that `optim/` can use it too; the public
 * names are still exported from `callbacks/`).
 *
 * Only types are imported from tfjs: this module runs nothing at import time.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";

/**
 * An optimizer's learning rate, or a clear error when it has none.
 *
 * @param optimizer E.g. `model.optimizer`.
 * @param who Name used in the error message.
 * @returns The current rate.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { getLearningRate } from "@lib";
 * getLearningRate(tf.train.adam(0.01), "lesson"); // 0.01
 * ```
 */
export function getLearningRate(optimizer: tf.Optimizer | undefined, who: string): number {
  const lr = (optimizer as unknown as { learningRate?: unknown } | undefined)?.learningRate;
  if (typeof lr !== "number") {
    throw new Error(
      `${who}: the model's optimizer (${optimizer?.getClassName?.() ?? "none"}) has no numeric ` +
        "learningRate. Compile the model with a tf.train optimizer (sgd, adam, rmsprop…).",
    );
  }
  return lr;
}

/**
 * Set an optimizer's learning rate (SGD and momentum cache it, so their setter is used).
 *
 * @param optimizer E.g. `model.optimizer`.
 * @param lr The new rate.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { getLearningRate, setLearningRate } from "@lib";
 * const sgd = tf.train.sgd(0.1);
 * setLearningRate(sgd, 0.01);
 * getLearningRate(sgd, "lesson"); // 0.01
 * ```
 */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const target = optimizer as unknown as {
    learningRate: number;
    setLearningRate?: (lr: number) => void;
  };
  if (typeof target.setLearningRate === "function") target.setLearningRate(lr);
  else target.learningRate = lr;
}
