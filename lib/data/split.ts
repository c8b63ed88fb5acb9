/**
 * Seeded train/test splits of tensors (rows along the first axis).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { permutation } from "./shuffle.ts";

/** Options of {@linkcode trainTestSplit}. */
export interface SplitOptions {
  /** Fraction of the rows that go to the test part, in (0, 1). @default {0.2} */
  testFraction?: number;
  /** Seed of the shuffle before splitting. @default {0} */
  seed?: number;
  /**
   * Shuffle the rows before splitting. With `false` the test part is the *last* rows,
   * which is what `model.fit({ validationSplit })` does — wrong for sorted data.
   * @default {true}
   */
  shuffle?: boolean;
}

/** The two parts of a split, plus which original rows went where. */
export interface Split<X extends tf.Tensor, Y extends tf.Tensor> {
  xTrain: X;
  yTrain: Y;
  xTest: X;
  yTest: Y;
  /** Original row index of each training row, in order. */
  trainIndices: number[];
  /** Original row index of each test row, in order. */
  testIndices: number[];
}

/**
 * Split features and targets into a training and a test part, after a seeded shuffle
 * of the rows. The inputs are left as they are (dispose them yourself when done); the
 * four outputs are new tensors.
 *
 * Introduced in lesson 01; call it twice for train/validation/test (as lesson 03 does).
 *
 * @param x Features, rows along the first axis.
 * @param y Targets, the same number of rows.
 * @param options `testFraction`, `seed`, `shuffle`.
 * @returns `{ xTrain, yTrain, xTest, yTest, trainIndices, testIndices }`.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { trainTestSplit } from "@lib";
 * const x = tf.range(0, 10).reshape([10, 1]);
 * const { xTrain, xTest } = trainTestSplit(x, x, { testFraction: 0.3, seed: 1 });
 * console.log(xTrain.shape, xTest.shape); // [7, 1] [3, 1]
 * ```
 */
export function trainTestSplit<X extends tf.Tensor, Y extends tf.Tensor>(
  x: X,
  y: Y,
  options: SplitOptions = {},
): Split<X, Y> {
  const { testFraction = 0.2, seed = 0, shuffle = true } = options;
  const n = x.shape[0];
  if (x.rank === 0 || y.rank === 0 || y.shape[0] !== n) {
    throw new Error(
      `trainTestSplit(): x and y must have the same number of rows (first axis), got x ` +
        `[${x.shape}] and y [${y.shape}]. Pass one target row per example.`,
    );
  }
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new Error(
      `trainTestSplit(): testFraction must be between 0 and 1 (exclusive), got ` +
        `${testFraction}. For a 20% test part pass 0.2.`,
    );
  }
  const nTest = Math.round(n * testFraction);
  if (nTest < 1 || nTest >= n) {
    throw new Error(
      `trainTestSplit(): ${n} rows with testFraction ${testFraction} leaves ${nTest} test ` +
        `and ${
          n - nTest
        } training rows; both need at least one. Use more rows or another fraction.`,
    );
  }
  const order = shuffle ? permutation(n, seed) : Array.from({ length: n }, (_, i) => i);
  const trainIndices = order.slice(0, n - nTest);
  const testIndices = order.slice(n - nTest);
  return tf.tidy(() => {
    const take = <T extends tf.Tensor>(t: T, idx: number[]): T =>
      tf.gather(t, tf.tensor1d(idx, "int32")) as T;
    return {
      xTrain: take(x, trainIndices),
      yTrain: take(y, trainIndices),
      xTest: take(x, testIndices),
      yTest: take(y, testIndices),
      trainIndices,
      testIndices,
    };
  });
}
