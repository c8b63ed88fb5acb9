import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { fitStandardizer } from "../../lib/data/standardize.ts";

Deno.test("fitStandardizer() gives zero-mean unit-std training columns and inverts exactly", async () => {
  const train = tf.tensor2d([[1, 100], [2, 300], [3, 500], [4, 700]]);
  const scaler = await fitStandardizer(train);
  assert.deepEqual(scaler.meanValues, [2.5, 400]);
  const z = scaler.transform(train);
  const { mean, variance } = tf.moments(z, 0);
  for (const m of mean.dataSync()) assert.ok(Math.abs(m) < 1e-6);
  for (const v of variance.dataSync()) assert.ok(Math.abs(v - 1) < 1e-5);
  const back = scaler.inverse(z).arraySync();
  back.forEach((r, i) =>
    r.forEach((v, j) => assert.ok(Math.abs(v - train.arraySync()[i][j]) < 1e-3))
  );
  tf.dispose([train, z, mean, variance]);
  scaler.dispose();
});

Deno.test("Standardizer.transform() applies the training statistics to new data", async () => {
  const scaler = await fitStandardizer(tf.tensor2d([[0], [2]])); // mean 1, std 1
  const test = scaler.transform(tf.tensor2d([[5]]));
  assert.deepEqual(test.arraySync(), [[4]]);
  scaler.dispose();
});

Deno.test("fitStandardizer() keeps constant columns finite and explains bad input", async () => {
  const scaler = await fitStandardizer(tf.tensor2d([[3, 1], [3, 2]]));
  assert.deepEqual(scaler.stdValues, [1, 0.5]);
  assert.throws(
    () => scaler.transform(tf.zeros([2, 3]) as tf.Tensor2D),
    /\[rows, 2\].*got \[2,3\]/,
  );
  scaler.dispose();
  await assert.rejects(() => fitStandardizer(tf.tensor2d([[1], [NaN]])), /column 0 contains NaN/);
  await assert.rejects(
    () => fitStandardizer(tf.tensor1d([1, 2]) as unknown as tf.Tensor2D),
    /2-D tensor.*reshape\(\[-1, 1\]\)/,
  );
});
