/**
 * Synthetic data sets with a known truth, drawn from the seeded {@linkcode rng} in
 * plain JavaScript (so they are identical on every backend), returned as tensors.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { rng } from "./rng.ts";

/** Features and targets as tensors of shape `[n, features]` and `[n, 1]`. */
export interface XY {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
}

/** Options of {@linkcode quadratic}. */
export interface QuadraticOptions {
  /** First x. @default {1} */
  from?: number;
  /** Last x (inclusive). @default {100} */
  to?: number;
}

/**
 * The classic tutorial data: x = 1, 2, …, 100 and y = x² (no noise).
 *
 * Introduced in lesson 01, where `Dense(1)` with `sgd` diverges on it.
 *
 * @param options `from`, `to` (integers).
 * @returns `{ x, y }`, each `[n, 1]`.
 * @example
 * ```ts
 * import { quadratic } from "@lib";
 * const { x, y } = quadratic();
 * console.log(x.shape, y.max().dataSync()[0]); // [100, 1] 10000
 * ```
 */
export function quadratic(options: QuadraticOptions = {}): XY {
  const { from = 1, to = 100 } = options;
  if (!Number.isInteger(from) || !Number.isInteger(to) || to < from) {
    throw new Error(
      `quadratic(): from and to must be integers with from ≤ to, got from=${from}, to=${to}.`,
    );
  }
  const xs = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  return {
    x: tf.tensor2d(xs, [xs.length, 1]),
    y: tf.tensor2d(xs.map((v) => v * v), [xs.length, 1]),
  };
}

/** The true parameters a synthetic linear data set was drawn from. */
export interface LinearTruth {
  /** One weight per feature. */
  weights: number[];
  bias: number;
  /** Standard deviation of the Gaussian noise added to y. */
  noise: number;
}

/** Features, targets and the truth behind them. */
export interface LinearData extends XY {
  truth: LinearTruth;
}

/** Options of {@linkcode noisyLinear}. */
export interface NoisyLinearOptions {
  /** Number of examples. @default {200} */
  n?: number;
  /** True weights (one per feature). @default {[2, -3.4]} */
  weights?: number[];
  /** True bias. @default {4.2} */
  bias?: number;
  /** Standard deviation of the noise on y. @default {0.5} */
  noise?: number;
  /** Seed of the features and the noise. @default {0} */
  seed?: number;
}

/**
 * Linear data with known truth, as in d2l's "linear regression from scratch":
 * x ~ N(0, 1) per feature, y = x·w + b + ε with ε ~ N(0, noise²).
 *
 * Introduced in lesson 04 (what NaN data and a learning rate of 10 do to training).
 *
 * @param options `n`, `weights`, `bias`, `noise`, `seed`.
 * @returns `{ x: [n, features], y: [n, 1], truth }`.
 * @example
 * ```ts
 * import { noisyLinear } from "@lib";
 * const { x, y, truth } = noisyLinear({ n: 100, seed: 1 });
 * console.log(x.shape, y.shape, truth.weights); // [100, 2] [100, 1] [2, -3.4]
 * ```
 */
export function noisyLinear(options: NoisyLinearOptions = {}): LinearData {
  const { n = 200, weights = [2, -3.4], bias = 4.2, noise = 0.5, seed = 0 } = options;
  return linearData("noisyLinear", n, weights, bias, noise, seed, 1);
}

/** Options of {@linkcode highDimLinear}. */
export interface HighDimLinearOptions {
  /** Number of features. @default {200} */
  features?: number;
  /** Number of examples. @default {20} */
  n?: number;
  /** Standard deviation of the noise on y. @default {0.01} */
  noise?: number;
  /** Seed. @default {0} */
  seed?: number;
}

/**
 * d2l's weight-decay set-up: many features, few examples, so a linear model can
 * memorise the training set. y = 0.05 + Σᵢ 0.01·xᵢ + ε, x ~ N(0, 1), ε ~ N(0, noise²).
 * Draw the training and the test part with different seeds.
 *
 * Introduced in lesson 02 (overfitting and L2).
 *
 * @param options `features`, `n`, `noise`, `seed`.
 * @returns `{ x: [n, features], y: [n, 1], truth }`.
 * @example
 * ```ts
 * import { highDimLinear } from "@lib";
 * const train = highDimLinear({ n: 20, seed: 1 });
 * const test = highDimLinear({ n: 100, seed: 2 });
 * console.log(train.x.shape, test.x.shape); // [20, 200] [100, 200]
 * ```
 */
export function highDimLinear(options: HighDimLinearOptions = {}): LinearData {
  const { features = 200, n = 20, noise = 0.01, seed = 0 } = options;
  if (!Number.isInteger(features) || features < 1) {
    throw new Error(`highDimLinear(): features must be a positive integer, got ${features}.`);
  }
  const weights = new Array<number>(features).fill(0.01);
  return linearData("highDimLinear", n, weights, 0.05, noise, seed, 1);
}

function linearData(
  name: string,
  n: number,
  weights: number[],
  bias: number,
  noise: number,
  seed: number,
  xStd: number,
): LinearData {
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`${name}(): n must be a positive integer, got ${n}.`);
  }
  if (weights.length === 0 || !weights.every(Number.isFinite) || !Number.isFinite(bias)) {
    throw new Error(
      `${name}(): weights must be a non-empty array of finite numbers and bias finite, got ` +
        `weights [${weights}] and bias ${bias}.`,
    );
  }
  if (!(noise >= 0)) throw new Error(`${name}(): noise must be ≥ 0, got ${noise}.`);
  const random = rng(seed);
  const d = weights.length;
  const xs = new Float32Array(n * d);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let yi = bias;
    for (let j = 0; j < d; j++) {
      const v = random.normal(0, xStd);
      xs[i * d + j] = v;
      yi += v * weights[j];
    }
    ys[i] = yi + random.normal(0, noise);
  }
  return {
    x: tf.tensor2d(xs, [n, d]),
    y: tf.tensor2d(ys, [n, 1]),
    truth: { weights: [...weights], bias, noise },
  };
}
