/**
 * A small deterministic regression problem for integration tests with real
 * `model.fit` on the cpu backend: zero-initialised dense model, no shuffling, and a
 * validation set whose optimum lies *between* the start and the training optimum, so
 * validation loss first falls and then rises (a real early-stopping scenario).
 */
import * as tf from "@tensorflow/tfjs";

export interface Fixture {
  xs: tf.Tensor2D;
  ys: tf.Tensor2D;
  valXs: tf.Tensor2D;
  valYs: tf.Tensor2D;
  dispose(): void;
}

/** Build the data (16 training points, 8 validation points). */
export function fixture(): Fixture {
  const x = Array.from({ length: 16 }, (_, i) => i / 15);
  const vx = Array.from({ length: 8 }, (_, i) => (i + 0.5) / 8);
  const xs = tf.tensor2d(x, [16, 1]);
  const ys = tf.tensor2d(x.map((v) => 2 * v + 1), [16, 1]);
  const valXs = tf.tensor2d(vx, [8, 1]);
  const valYs = tf.tensor2d(vx.map((v) => 2 * v + 0.3), [8, 1]);
  return {
    xs,
    ys,
    valXs,
    valYs,
    dispose: () => tf.dispose([xs, ys, valXs, valYs]),
  };
}

/** A zero-initialised `dense(1)` model compiled with SGD and MSE (deterministic). */
export function linearModel(learningRate = 0.1, optimizer: "sgd" | "adam" = "sgd"): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        units: 1,
        inputShape: [1],
        kernelInitializer: "zeros",
        biasInitializer: "zeros",
      }),
    ],
  });
  model.compile({
    optimizer: optimizer === "sgd" ? tf.train.sgd(learningRate) : tf.train.adam(learningRate),
    loss: "meanSquaredError",
  });
  return model;
}

/** Flatten a model's weights into one array of numbers. */
export function weightsOf(model: tf.LayersModel): number[] {
  return model.getWeights().flatMap((w) => Array.from(w.dataSync()));
}
