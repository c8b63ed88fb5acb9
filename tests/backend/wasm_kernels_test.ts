/**
 * Gradient parity, op by op: every gradient that Conv1D/Conv2D, pooling, Embedding and
 * Dense training needs, computed on `wasm` (with lib/backend's kernels) and on `cpu`
 * from the same seeded inputs, must agree to float32 rounding.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { rng } from "../../lib/data/rng.ts";
import {
  registerWasmTrainingKernels,
  releaseWasm,
  useWasm,
  WASM_TRAINING_KERNELS,
} from "../../lib/backend/mod.ts";

/** Seeded uniform values in [-1, 1) (the library's mulberry32 `rng`). */
function seeded(n: number, seed: number): Float32Array {
  const random = rng(seed);
  return Float32Array.from({ length: n }, () => random.uniform(-1, 1));
}

function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(seeded(shape.reduce((a, b) => a * b, 1), seed), shape);
}

/** Run `f` on a backend and read every result asynchronously. */
async function on(
  backend: "cpu" | "wasm",
  f: () => tf.Tensor[],
): Promise<{ shape: number[]; values: Float32Array }[]> {
  await tf.setBackend(backend);
  const outputs = tf.tidy(f);
  const read = await Promise.all(outputs.map(async (t) => ({
    shape: t.shape,
    values: new Float32Array(await t.data()),
  })));
  tf.dispose(outputs);
  return read;
}

/** Largest |a − b| relative to the largest |b| (at least 1). */
function maxRelativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

async function assertParity(f: () => tf.Tensor[], tolerance = 1e-5): Promise<void> {
  const expected = await on("cpu", f);
  const actual = await on("wasm", f);
  assert.deepEqual(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.deepEqual(actual[i].shape, expected[i].shape, `output ${i} shape`);
    const error = maxRelativeError(actual[i].values, expected[i].values);
    assert(error <= tolerance, `output ${i}: wasm differs from cpu by ${error} (> ${tolerance})`);
  }
}

const gradientCases: [string, () => tf.Tensor[]][] = [
  ["conv2d valid, stride 1", () => {
    const x = randomTensor([2, 7, 6, 3], 1) as tf.Tensor4D;
    const w = randomTensor([3, 2, 3, 4], 2) as tf.Tensor4D;
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, "valid").square().sum()
    );
    return g([x, w]);
  }],
  ["conv2d same, stride 2", () => {
    const x = randomTensor([2, 9, 8, 2], 3) as tf.Tensor4D;
    const w = randomTensor([3, 3, 2, 5], 4) as tf.Tensor4D;
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, [2, 2], "same").mul(tf.scalar(0.5)).sum()
    );
    return g([x, w]);
  }],
  ["conv2d explicit padding, stride [1, 2]", () => {
    const x = randomTensor([1, 6, 9, 2], 5) as tf.Tensor4D;
    const w = randomTensor([2, 3, 2, 3], 6) as tf.Tensor4D;
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [
      [0, 0],
      [1, 0],
      [2, 1],
      [0, 0],
    ];
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, [1, 2], pad).square().sum()
    );
    return g([x, w]);
  }],
  ["conv1d same (Conv1D layers)", () => {
    const x = randomTensor([3, 20, 5], 7) as tf.Tensor3D;
    const w = randomTensor([3, 5, 6], 8) as tf.Tensor3D;
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.conv1d(a as tf.Tensor3D, b as tf.Tensor3D, 1, "same").relu().sum()
    );
    return g([x, w]);
  }],
  ["conv1d valid, stride 2", () => {
    const x = randomTensor([2, 17, 4], 9) as tf.Tensor3D;
    const w = randomTensor([5, 4, 3], 10) as tf.Tensor3D;
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.conv1d(a as tf.Tensor3D, b as tf.Tensor3D, 2, "valid").square().sum()
    );
    return g([x, w]);
  }],
  ["gather (Embedding), repeated ids", () => {
    const table = randomTensor([50, 8], 11);
    const ids = tf.tensor2d([[1, 4, 4, 49], [0, 1, 1, 1], [7, 7, 7, 7]], [3, 4], "int32");
    const g = tf.grad((t: tf.Tensor) => tf.gather(t, ids).square().sum());
    return [g(table)];
  }],
  ["equal with broadcasting (GlobalMaxPooling gradient mask)", () => {
    const x = randomTensor([3, 5, 4], 26).round();
    const m = x.max(1, true);
    return [
      tf.equal(x, m).cast("float32"),
      tf.equal(m, x).cast("float32"),
      tf.equal(x, randomTensor([4], 27).round()).cast("float32"),
    ];
  }],
  ["gather along axis 0 and 1, float and int tables", () => {
    const table = randomTensor([6, 3, 2], 28);
    const ints = tf.tensor2d([[1, 2], [3, 4], [5, 6]], [3, 2], "int32");
    const ids = tf.tensor2d([[5, 0], [2, 2]], [2, 2], "int32");
    return [
      tf.gather(table, ids),
      tf.gather(ints, tf.tensor1d([2, 0, 2], "int32")).cast("float32"),
      tf.gather(table, tf.tensor1d([1, 0], "int32"), 1),
    ];
  }],
  ["unsortedSegmentSum", () => {
    const x = randomTensor([6, 3, 2], 12);
    const ids = tf.tensor1d([2, 0, 2, 4, 0, 2], "int32");
    return [tf.unsortedSegmentSum(x, ids, 5)];
  }],
  ["matMul, all four transpose combinations", () => {
    const out: tf.Tensor[] = [];
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      const a = randomTensor(ta ? [7, 5] : [5, 7], 13) as tf.Tensor2D;
      const b = randomTensor(tb ? [4, 7] : [7, 4], 14) as tf.Tensor2D;
      out.push(tf.matMul(a, b, ta, tb));
    }
    return out;
  }],
  ["batched matMul with transposes", () => {
    const a = randomTensor([3, 6, 5], 15) as tf.Tensor3D;
    const b = randomTensor([3, 4, 6], 16) as tf.Tensor3D;
    return [tf.matMul(a, b, true, true)];
  }],
  ["dense layer gradients (fused matMul + bias + relu)", () => {
    const x = randomTensor([8, 6], 17) as tf.Tensor2D;
    const w = randomTensor([6, 4], 18) as tf.Tensor2D;
    const bias = randomTensor([4], 19);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c, activation: "relu" })
        .square().sum()
    );
    return g([x, w, bias]);
  }],
  ["maxPool, windows with negative maxima (tfjs-wasm's own kernel drops them)", () => {
    const x = randomTensor([2, 6, 6, 3], 20).sub(0.5) as tf.Tensor4D;
    const g = tf.grad((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, 2, 2, "valid").square().sum());
    return [g(x)];
  }],
  ["maxPool same padding, stride 1 (MaxPooling2D)", () => {
    const x = randomTensor([1, 5, 5, 2], 23) as tf.Tensor4D;
    const g = tf.grad((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, 3, 1, "same").sum());
    return [g(x)];
  }],
  ["maxPool1d via maxPooling1d layer", () => {
    const x = randomTensor([2, 11, 3], 24);
    const layer = tf.layers.maxPooling1d({ poolSize: 3, strides: 2 });
    return [tf.grad((a: tf.Tensor) => (layer.apply(a) as tf.Tensor).square().sum())(x)];
  }],
  ["avgPool", () => {
    const x = randomTensor([2, 6, 6, 3], 25) as tf.Tensor4D;
    const g = tf.grad((a: tf.Tensor) => tf.avgPool(a as tf.Tensor4D, 3, 1, "same").square().sum());
    return [g(x)];
  }],
  ["global max pooling over time (max reduction)", () => {
    const x = randomTensor([2, 9, 4], 21);
    return [tf.grad((a: tf.Tensor) => a.max(1).sum())(x)];
  }],
  ["L1 / L2 regularizer terms", () => {
    const w = randomTensor([5, 3], 22);
    const g = tf.grad((a: tf.Tensor) => a.abs().sum().mul(0.01).add(a.square().sum().mul(0.02)));
    return [g(w)];
  }],
];

for (const [name, f] of gradientCases) {
  Deno.test(`wasm training kernels: ${name} matches cpu`, async () => {
    await useWasm({ threads: 1 });
    await assertParity(f);
  });
}

Deno.test("gather on wasm names an out-of-range index", async () => {
  await useWasm({ threads: 1 });
  const table = tf.ones([4, 2]);
  assert.throws(
    () => tf.gather(table, tf.tensor1d([1, 4], "int32")),
    /GatherV2: the index value 4 is not in \[0, 3\]/,
  );
  table.dispose();
});

Deno.test("registerWasmTrainingKernels() is idempotent and names its kernels", () => {
  const first = registerWasmTrainingKernels();
  const second = registerWasmTrainingKernels();
  assert.deepEqual(first, [...WASM_TRAINING_KERNELS]);
  assert.deepEqual(second, first);
  for (const name of first) assert(tf.getKernel(name, "wasm"), `${name} registered`);
});

Deno.test("conv1d and embedding models train on wasm, with finite, decreasing loss", async () => {
  await useWasm({ threads: 1 });
  const model = tf.sequential();
  model.add(tf.layers.embedding({
    inputDim: 40,
    outputDim: 6,
    inputLength: 12,
    embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: 1 }),
  }));
  model.add(tf.layers.conv1d({
    filters: 5,
    kernelSize: 3,
    activation: "relu",
    kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
  }));
  model.add(tf.layers.maxPooling1d({ poolSize: 2 }));
  model.add(tf.layers.globalMaxPooling1d());
  model.add(tf.layers.dense({
    units: 1,
    activation: "sigmoid",
    kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
  }));
  model.compile({ optimizer: tf.train.adam(0.05), loss: "binaryCrossentropy" });
  const ids = Int32Array.from(seeded(32 * 12, 30), (v) => Math.floor((v + 1) * 20));
  const x = tf.tensor2d(ids, [32, 12], "int32");
  // A learnable target: whether token 0..19 dominates the sequence.
  const labels = Array.from({ length: 32 }, (_, i) => {
    const row = ids.subarray(i * 12, i * 12 + 12);
    return row.filter((t) => t < 20).length > 6 ? 1 : 0;
  });
  const y = tf.tensor2d(labels, [32, 1]);
  const history = await model.fit(x, y, { epochs: 8, batchSize: 8, shuffle: false, verbose: 0 });
  const losses = history.history.loss as number[];
  assert(losses.every(Number.isFinite), `finite losses: ${losses}`);
  assert(losses.at(-1)! < losses[0], `loss decreases: ${losses}`);
  tf.dispose([x, y]);
  model.dispose();
  await releaseWasm();
});
