/**
 * Standardization (z-scores) fitted on the training data and applied unchanged to
 * validation and test data, with the inverse to read predictions in original units.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/**
 * Column means and standard deviations of a training set, and the maps
 * `z = (x − mean) / std` and back. Holds two small tensors: call `dispose()` when done.
 */
export class Standardizer {
  /** Column means, shape `[1, columns]`. */
  readonly mean: tf.Tensor2D;
  /** Column standard deviations (population), shape `[1, columns]`; 0 is replaced by 1. */
  readonly std: tf.Tensor2D;
  /** The means as plain numbers, for printing. */
  readonly meanValues: number[];
  /** The standard deviations as plain numbers, for printing. */
  readonly stdValues: number[];

  constructor(mean: number[], std: number[]) {
    if (mean.length !== std.length || mean.length === 0) {
      throw new Error(
        `Standardizer: need one mean and one std per column, got ${mean.length} means and ` +
          `${std.length} stds.`,
      );
    }
    this.meanValues = mean;
    this.stdValues = std.map((s) => (s > 0 && Number.isFinite(s) ? s : 1));
    this.mean = tf.tensor2d([this.meanValues]);
    this.std = tf.tensor2d([this.stdValues]);
    tf.keep(this.mean);
    tf.keep(this.std);
  }

  /**
   * Standardize with the training statistics: `(x − mean) / std`.
   * @param x Shape `[rows, columns]` with the fitted number of columns.
   * @returns A new tensor of the same shape.
   */
  transform(x: tf.Tensor2D): tf.Tensor2D {
    this.#checkColumns(x, "transform");
    return tf.tidy(() => x.sub(this.mean).div(this.std));
  }

  /**
   * Back to original units: `z · std + mean`.
   * @param z Standardized values, shape `[rows, columns]`.
   * @returns A new tensor of the same shape.
   */
  inverse(z: tf.Tensor2D): tf.Tensor2D {
    this.#checkColumns(z, "inverse");
    return tf.tidy(() => z.mul(this.std).add(this.mean));
  }

  /** Free the two statistics tensors. */
  dispose(): void {
    this.mean.dispose();
    this.std.dispose();
  }

  #checkColumns(x: tf.Tensor, what: string): void {
    const columns = this.meanValues.length;
    if (x.rank !== 2 || x.shape[1] !== columns) {
      throw new Error(
        `Standardizer.${what}(): expected shape [rows, ${columns}] (the columns it was fitted ` +
          `on), got [${x.shape}]. Reshape 1-D data with x.reshape([-1, 1]).`,
      );
    }
  }
}

/**
 * Fit a {@linkcode Standardizer} on training data: per-column mean and standard
 * deviation. Fit on the training part only, then `transform` validation and test data
 * with the same statistics — fitting on all data leaks the test set into training.
 *
 * Async because it reads the statistics back from the backend: WebGPU in Deno can only
 * read tensors asynchronously.
 *
 * Introduced in lesson 01 (why `sgd` diverges on x = 1…100, y = x²).
 *
 * @param train Training data, shape `[rows, columns]`; must be finite.
 * @returns The fitted standardizer.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { fitStandardizer } from "@lib";
 * const train = tf.tensor2d([[1], [2], [3]]);
 * const scaler = await fitStandardizer(train);
 * scaler.transform(train).print(); // [[-1.22], [0], [1.22]]
 * scaler.inverse(scaler.transform(train)).print(); // [[1], [2], [3]]
 * ```
 */
export async function fitStandardizer(train: tf.Tensor2D): Promise<Standardizer> {
  if (train.rank !== 2 || train.shape[0] < 1) {
    throw new Error(
      `fitStandardizer(): expected a 2-D tensor [rows, columns] with at least one row, got ` +
        `[${train.shape}]. Reshape 1-D data with x.reshape([-1, 1]).`,
    );
  }
  const moments = tf.tidy(() => tf.moments(train, 0));
  const [mean, variance] = (await Promise.all([moments.mean.data(), moments.variance.data()]))
    .map((values) => Array.from(values));
  tf.dispose([moments.mean, moments.variance]);
  const bad = mean.findIndex((m, i) => !Number.isFinite(m) || !Number.isFinite(variance[i]));
  if (bad >= 0) {
    throw new Error(
      `fitStandardizer(): column ${bad} contains NaN or Infinity (mean ${mean[bad]}). ` +
        `Drop or fill missing values before standardizing.`,
    );
  }
  return new Standardizer(mean, variance.map(Math.sqrt));
}
