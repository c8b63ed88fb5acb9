import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { tensorBundle, tensorStats } from "@lib/display/tensor_view.ts";

tf.setBackend("cpu");

Deno.test("tensorStats() skips non-finite values and samples huge inputs", () => {
  const s = tensorStats([1, 2, NaN, Infinity], [4], "float32");
  assert.deepEqual([s.min, s.max, s.mean, s.nonFinite, s.sampled], [1, 2, 1.5, 2, false]);
  assert.equal(tensorStats(new Float32Array(10), [10], "float32", 3).sampled, true);
  assert.deepEqual(tensorStats([], [0], "float32").mean, null);
});

Deno.test("tensorBundle() shows a small tensor as a table, not tfjs internals", async () => {
  const t = tf.tensor2d([[1, 2.5], [3, 4]]);
  const b = await tensorBundle(t, { name: "w" });
  t.dispose();
  const text = b["text/plain"] as string;
  assert.match(text, /^w: Tensor float32 \[2, 2\] \(4 values\) min 1, max 4, mean 2\.625\n/);
  assert.ok(!/dataId|scopeId/.test(text));
  assert.equal((b["text/html"] as string).match(/<td/g)?.length, 4);
  assert.equal(b["image/svg+xml"], undefined);
});

Deno.test("tensorBundle() draws a large matrix as a pooled heatmap and stays small", async () => {
  const t = tf.randomNormal([1000, 1000], 0, 1, "float32", 7);
  const b = await tensorBundle(t);
  t.dispose();
  assert.match(b["image/svg+xml"] as string, /<image [^>]*data:image\/png/);
  const bytes = JSON.stringify(b).length;
  assert.ok(bytes < 100_000, `${bytes} bytes`);
  assert.match(b["text/plain"] as string, /Tensor float32 \[1000, 1000\] \(1,000,000 values\)/);
});

Deno.test("tensorBundle() shows a large 1-D or 4-D tensor as a histogram", async () => {
  const t = tf.randomUniform([4, 28, 28, 1], 0, 1, "float32", 3);
  const b = await tensorBundle(t);
  t.dispose();
  assert.equal((b["image/svg+xml"] as string).match(/<rect [^>]*fill="#1f77b4"/g)?.length, 40);
});

Deno.test("tensorBundle() reports NaN/Infinity and handles int and bool tensors", async () => {
  const f = tf.tensor1d([1, NaN, Infinity]);
  assert.match((await tensorBundle(f))["text/plain"] as string, /2 NaN\/Infinity/);
  const i = tf.tensor1d([1, 2, 3], "int32");
  assert.match((await tensorBundle(i))["text/plain"] as string, /Tensor int32 \[3\]/);
  const bool = tf.tensor1d([true, false], "bool");
  assert.match((await tensorBundle(bool))["text/plain"] as string, /Tensor bool \[2\].*mean 0\.5/);
  tf.dispose([f, i, bool]);
});

Deno.test("tensorBundle() of a disposed tensor says what to do", async () => {
  const t = tf.scalar(1);
  t.dispose();
  await assert.rejects(tensorBundle(t), /was disposed, so its values are gone/);
});
