/**
 * Training parity: the same seeded models, trained a few epochs on `cpu`, `wasm` with 1
 * and 2 threads, and `webgpu` (lavapipe or a real GPU, when an adapter exists), end with
 * the same losses and weights.
 *
 * Tolerance: relative 1e-4 on every epoch's loss and 1e-4 (absolute, on weights of
 * order 0.1–1) on every weight. Backends differ only in float32 summation order (XNNPACK
 * blocks its sums; WebGPU runs in parallel). Measured here: losses within 1e-7 relative;
 * weights within 3e-8 on wasm (1 and 2 threads) and 4e-6 on WebGPU (lavapipe).
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { rng } from "../../lib/data/rng.ts";
import {
  probeWebGpu,
  releaseWasm,
  selectBackend,
  useWasm,
  useWebGpu,
} from "../../lib/backend/mod.ts";

const LOSS_TOLERANCE = 1e-4;
const WEIGHT_TOLERANCE = 1e-4;

if (!Deno.env.get("XDG_RUNTIME_DIR")) {
  Deno.env.set("XDG_RUNTIME_DIR", await Deno.makeTempDir({ prefix: "xdg-" }));
}
const gpu = await probeWebGpu({ allowSoftwareAdapter: true });

interface Trained {
  losses: number[];
  weights: Float32Array[];
}

/** Seeded uniform values in [-1, 1) (the library's mulberry32 `rng`). */
function seeded(n: number, seed: number): Float32Array {
  const random = rng(seed);
  return Float32Array.from({ length: n }, () => random.uniform(-1, 1));
}

/** MLP with Dropout, L1/L2 and SGD + momentum on a regression target. */
async function trainMlp(): Promise<Trained> {
  const x = tf.tensor2d(seeded(64 * 10, 1), [64, 10]);
  const y = tf.tensor2d(seeded(64 * 2, 2), [64, 2]);
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        units: 16,
        inputShape: [10],
        activation: "relu",
        kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
        kernelRegularizer: tf.regularizers.l1l2({ l1: 1e-3, l2: 1e-3 }),
      }),
      tf.layers.dropout({ rate: 0.2, seed: 4 }),
      tf.layers.dense({
        units: 2,
        kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }),
      }),
    ],
  });
  model.compile({ optimizer: tf.train.momentum(0.05, 0.9), loss: "meanSquaredError" });
  const history = await model.fit(x, y, { epochs: 4, batchSize: 16, shuffle: false, verbose: 0 });
  const weights = await Promise.all(
    model.getWeights().map(async (w) => new Float32Array(await w.data())),
  );
  tf.dispose([x, y]);
  model.dispose();
  return { losses: history.history.loss as number[], weights };
}

/** Embedding → Conv1D → MaxPooling1D → GlobalMaxPool → Dense sigmoid, Adam, crossentropy. */
async function trainTextCnn(): Promise<Trained> {
  const ids = Int32Array.from(seeded(24 * 16, 6), (v) => Math.floor((v + 1) * 25));
  const x = tf.tensor2d(ids, [24, 16], "int32");
  const y = tf.tensor2d(Float32Array.from(seeded(24, 7), (v) => (v > 0 ? 1 : 0)), [24, 1]);
  const model = tf.sequential({
    layers: [
      tf.layers.embedding({
        inputDim: 50,
        outputDim: 8,
        inputLength: 16,
        embeddingsInitializer: tf.initializers.randomUniform({
          minval: -0.5,
          maxval: 0.5,
          seed: 8,
        }),
      }),
      tf.layers.conv1d({
        filters: 6,
        kernelSize: 3,
        padding: "same",
        activation: "relu",
        kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }),
      }),
      tf.layers.maxPooling1d({ poolSize: 2 }),
      tf.layers.globalMaxPooling1d(),
      tf.layers.dense({
        units: 1,
        activation: "sigmoid",
        kernelInitializer: tf.initializers.glorotUniform({ seed: 10 }),
      }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: "binaryCrossentropy" });
  const history = await model.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
  const weights = await Promise.all(
    model.getWeights().map(async (w) => new Float32Array(await w.data())),
  );
  tf.dispose([x, y]);
  model.dispose();
  return { losses: history.history.loss as number[], weights };
}

const backends: [string, () => Promise<unknown>][] = [
  ["wasm, 1 thread", () => useWasm({ threads: 1 })],
  ["wasm, 2 threads", () => useWasm({ threads: 2 })],
  ["wasm, 2 threads, every kernel on the pool", () => useWasm({ threads: 2, minParallelFlops: 0 })],
  ["webgpu", () => useWebGpu({ allowSoftwareAdapter: true })],
];

function assertClose(name: string, actual: Trained, expected: Trained): void {
  actual.losses.forEach((loss, i) => {
    const relative = Math.abs(loss - expected.losses[i]) / Math.abs(expected.losses[i]);
    assert.ok(
      relative <= LOSS_TOLERANCE,
      `${name}: epoch ${i} loss ${loss} vs cpu ${expected.losses[i]} (relative ${relative})`,
    );
  });
  actual.weights.forEach((w, i) => {
    let diff = 0;
    for (let k = 0; k < w.length; k++) {
      diff = Math.max(diff, Math.abs(w[k] - expected.weights[i][k]));
    }
    assert.ok(diff <= WEIGHT_TOLERANCE, `${name}: weight ${i} differs from cpu by ${diff}`);
  });
}

for (const [model, train] of [["MLP", trainMlp], ["text CNN", trainTextCnn]] as const) {
  Deno.test(`${model} trained on cpu, wasm (1 and 2 threads) and webgpu agree`, async (t) => {
    await selectBackend({ prefer: "cpu" });
    const expected = await train();
    assert.ok(expected.losses.at(-1)! < expected.losses[0], "the model learns on cpu");
    for (const [name, start] of backends) {
      await t.step({
        name,
        ignore: name === "webgpu" && gpu.adapter === null && !Deno.env.get("CI"),
        fn: async () => {
          await start();
          assertClose(name, await train(), expected);
        },
      });
    }
    await releaseWasm();
  });
}
