/**
 * The four benchmark workloads of issue #3. Each runs on whatever tfjs backend is
 * active and returns one number (higher is better except W4).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { rng } from "../lib/data/rng.ts";

/** One workload: name, unit, and a function that runs it once and returns its metric. */
export interface Workload {
  id: "W1" | "W2" | "W3" | "W4";
  title: string;
  unit: "GFLOP/s" | "samples/s" | "µs/step";
  /** Whether a larger value is better. */
  higherIsBetter: boolean;
  /** Build inputs once; returns the timed run and a cleanup. */
  prepare(options: { quick: boolean; backend: string }): Promise<PreparedWorkload>;
}

/** A workload ready to run. */
export interface PreparedWorkload {
  /** One timed run; returns the metric. */
  run(): Promise<number>;
  /** What one run does (e.g. "10000 samples"). */
  size: string;
  /** Too slow for a warm-up plus several runs: time one cold run only. */
  slow?: boolean;
  dispose(): void;
}

/** `n` seeded standard normal values (the library's {@linkcode rng}). */
function seededNormal(n: number, seed: number): Float32Array {
  const random = rng(seed);
  return Float32Array.from({ length: n }, () => random.normal());
}

/** `n` seeded integers in [0, max). */
function seededInts(n: number, max: number, seed: number): Int32Array {
  const random = rng(seed);
  return Int32Array.from({ length: n }, () => random.int(max));
}

/**
 * A workload that times one `model.fit(x, y, args)` per run, the metric computed from its
 * milliseconds; disposing it disposes the model and the data.
 */
function timedFit(
  model: tf.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
  args: { epochs: number; batchSize: number },
  described: { size: string; slow?: boolean; metric: (ms: number) => number },
): Promise<PreparedWorkload> {
  const { size, slow, metric } = described;
  return Promise.resolve({
    size,
    slow,
    async run() {
      const start = performance.now();
      await model.fit(x, y, { ...args, verbose: 0 });
      return metric(performance.now() - start);
    },
    dispose: () => {
      tf.dispose([x, y]);
      model.dispose();
    },
  });
}

/** W1: one 1024×1024 float32 matrix product, read back; GFLOP/s = 2·n³ / seconds. */
export const W1: Workload = {
  id: "W1",
  title: "matmul 1024×1024 f32",
  unit: "GFLOP/s",
  higherIsBetter: true,
  prepare({ quick }) {
    const n = 1024;
    const reps = quick ? 2 : 5;
    const a = tf.tensor2d(seededNormal(n * n, 1), [n, n]);
    const b = tf.tensor2d(seededNormal(n * n, 2), [n, n]);
    return Promise.resolve({
      size: `${reps} products`,
      async run() {
        const start = performance.now();
        for (let i = 0; i < reps; i++) {
          const c = tf.matMul(a, b);
          await c.data();
          c.dispose();
        }
        const seconds = (performance.now() - start) / 1000;
        return (2 * n ** 3 * reps) / seconds / 1e9;
      },
      dispose: () => tf.dispose([a, b]),
    });
  },
};

/** W2: the lesson MLP 784→128 relu→10 softmax, Adam, batch 64, one epoch. */
export const W2: Workload = {
  id: "W2",
  title: "MLP 784-128-10, Adam, batch 64",
  unit: "samples/s",
  higherIsBetter: true,
  prepare({ quick, backend }) {
    const samples = quick || backend === "cpu" ? 2000 : 10000;
    const x = tf.tensor2d(seededNormal(samples * 784, 3), [samples, 784]);
    const y = tf.oneHot(tf.tensor1d(seededInts(samples, 10, 4), "int32"), 10);
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          units: 128,
          activation: "relu",
          inputShape: [784],
          kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }),
        }),
        tf.layers.dense({
          units: 10,
          activation: "softmax",
          kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }),
        }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: "categoricalCrossentropy" });
    return timedFit(model, x, y, { epochs: 1, batchSize: 64 }, {
      size: `1 epoch of ${samples} samples`,
      metric: (ms) => samples / (ms / 1000),
    });
  },
};

/**
 * W3: the Keras text-CNN of the early-stopping seed: Embedding 5000×50 (length 400) →
 * Dropout 0.2 → Conv1D 250 k3 relu → GlobalMaxPool → Dense 250 → Dropout 0.2 → relu →
 * Dense 1 sigmoid; Adam, binary cross-entropy, batch 32.
 */
export const W3: Workload = {
  id: "W3",
  title: "text-CNN (Embedding+Conv1D), batch 32",
  unit: "samples/s",
  higherIsBetter: true,
  prepare({ quick, backend }) {
    const samples = backend === "cpu" ? (quick ? 8 : 32) : quick ? 64 : 320;
    const x = tf.tensor2d(seededInts(samples * 400, 5000, 7), [samples, 400], "int32");
    const y = tf.tensor2d(Float32Array.from(seededInts(samples, 2, 8)), [samples, 1]);
    const model = tf.sequential({
      layers: [
        tf.layers.embedding({
          inputDim: 5000,
          outputDim: 50,
          inputLength: 400,
          embeddingsInitializer: tf.initializers.randomUniform({
            minval: -0.05,
            maxval: 0.05,
            seed: 9,
          }),
        }),
        tf.layers.dropout({ rate: 0.2, seed: 10 }),
        tf.layers.conv1d({
          filters: 250,
          kernelSize: 3,
          padding: "valid",
          activation: "relu",
          strides: 1,
          kernelInitializer: tf.initializers.glorotUniform({ seed: 11 }),
        }),
        tf.layers.globalMaxPooling1d(),
        tf.layers.dense({
          units: 250,
          kernelInitializer: tf.initializers.glorotUniform({ seed: 12 }),
        }),
        tf.layers.dropout({ rate: 0.2, seed: 13 }),
        tf.layers.activation({ activation: "relu" }),
        tf.layers.dense({
          units: 1,
          activation: "sigmoid",
          kernelInitializer: tf.initializers.glorotUniform({ seed: 14 }),
        }),
      ],
    });
    model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
    return timedFit(model, x, y, { epochs: 1, batchSize: 32 }, {
      size: `1 epoch of ${samples} samples`,
      slow: backend === "cpu",
      metric: (ms) => samples / (ms / 1000),
    });
  },
};

/**
 * W4's data and model: Dense(1) on 100 seeded samples of y = 2x + 1, SGD(0.01), MSE.
 * Shared with bench/step_profile.ts, which takes one W4 step apart.
 */
export function w4Setup(): { x: tf.Tensor2D; y: tf.Tensor2D; model: tf.Sequential } {
  const x = tf.tensor2d(seededNormal(100, 15), [100, 1]);
  const y = x.mul(2).add(1) as tf.Tensor2D;
  const model = tf.sequential({
    layers: [tf.layers.dense({
      units: 1,
      inputShape: [1],
      kernelInitializer: tf.initializers.glorotUniform({ seed: 16 }),
    })],
  });
  model.compile({ optimizer: tf.train.sgd(0.01), loss: "meanSquaredError" });
  return { x, y, model };
}

/** W4: per-step overhead — Dense(1) on 100 samples, SGD, batch 32, 200 epochs. */
export const W4: Workload = {
  id: "W4",
  title: "Dense(1), 100 samples, SGD, 200 epochs",
  unit: "µs/step",
  higherIsBetter: false,
  prepare({ quick }) {
    const epochs = quick ? 50 : 200;
    const steps = epochs * Math.ceil(100 / 32);
    const { x, y, model } = w4Setup();
    return timedFit(model, x, y, { epochs, batchSize: 32 }, {
      size: `${epochs} epochs = ${steps} steps`,
      metric: (ms) => (ms * 1000) / steps,
    });
  },
};

/** All workloads, in order. */
export const WORKLOADS: readonly Workload[] = [W1, W2, W3, W4];
