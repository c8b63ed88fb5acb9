import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { registerCpuTrainingKernels, silenceNodeBanner } from "../../lib/backend/mod.ts";

Deno.test("registerCpuTrainingKernels() UnsortedSegmentSum gives the values of tfjs's own cpu kernel", async () => {
  await tf.setBackend("cpu");
  silenceNodeBanner();
  const stock = tf.getKernel("UnsortedSegmentSum", "cpu")!;
  const x = tf.tensor3d(Float32Array.from({ length: 7 * 3 * 2 }, (_, i) => Math.sin(i)), [7, 3, 2]);
  const ids = tf.tensor1d([3, 0, 3, 5, 0, 3, 1], "int32");
  const ints = tf.tensor2d([[1, 2], [3, 4], [5, 6]], [3, 2], "int32");
  const intIds = tf.tensor1d([1, 1, 0], "int32");
  const cpu = tf.backend() as tf.KernelBackend;
  const viaStock = (a: tf.Tensor, s: tf.Tensor, n: number) => {
    const info = stock.kernelFunc({
      inputs: { x: a, segmentIds: s },
      backend: cpu,
      attrs: { numSegments: n },
    }) as tf.TensorInfo;
    return tf.engine().makeTensorFromTensorInfo(info);
  };
  const expected = [viaStock(x, ids, 6), viaStock(ints, intIds, 2)];
  assert.deepEqual(registerCpuTrainingKernels(), ["UnsortedSegmentSum"]);
  registerCpuTrainingKernels(); // idempotent
  const actual = [tf.unsortedSegmentSum(x, ids, 6), tf.unsortedSegmentSum(ints, intIds, 2)];
  for (let i = 0; i < 2; i++) {
    assert.deepEqual(actual[i].shape, expected[i].shape);
    // Like TensorFlow, the sum keeps the input's dtype (tfjs's own kernel returns float32).
    assert.equal(actual[i].dtype, i === 0 ? "float32" : "int32");
    const [a, e] = [await actual[i].data(), await expected[i].data()];
    for (let k = 0; k < e.length; k++) assert.ok(Math.abs(a[k] - e[k]) < 1e-6, `element ${k}`);
  }
  tf.dispose([x, ids, ints, intIds, ...expected, ...actual]);
});

Deno.test("Embedding gradient on cpu is fast with a 5,000-word vocabulary", async () => {
  registerCpuTrainingKernels();
  await tf.setBackend("cpu");
  const table = tf.randomNormal([5000, 50], 0, 1, "float32", 1);
  const ids = tf.randomUniform([32, 400], 0, 5000, "int32", 2);
  // With tfjs's own kernel this one gradient takes minutes; here it is one pass.
  const grad = tf.grad((t: tf.Tensor) => tf.gather(t, ids).sum())(table);
  const values = await grad.data();
  let total = 0;
  for (const v of values) total += v;
  assert.equal(Math.round(total), 32 * 400 * 50); // every looked-up row gets dy = 1
  tf.dispose([table, ids, grad]);
});
