import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { trainTestSplit } from "../../lib/data/split.ts";

const rows = (t: tf.Tensor) => (t.arraySync() as number[][]).map((r) => r[0]);

Deno.test("trainTestSplit() keeps x and y rows together, covers every row once, is seeded", () => {
  const x = tf.range(0, 50).reshape([50, 1]) as tf.Tensor2D;
  const y = x.mul(10) as tf.Tensor2D;
  const s = trainTestSplit(x, y, { testFraction: 0.2, seed: 5 });
  assert.deepEqual(s.xTrain.shape, [40, 1]);
  assert.deepEqual(s.xTest.shape, [10, 1]);
  assert.deepEqual(rows(s.yTrain), rows(s.xTrain).map((v) => v * 10));
  assert.deepEqual(rows(s.xTest), s.testIndices);
  const all = [...rows(s.xTrain), ...rows(s.xTest)].sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual(trainTestSplit(x, y, { seed: 5, testFraction: 0.2 }).testIndices, s.testIndices);
  assert.notDeepEqual(rows(s.xTest), [40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
  tf.dispose([x, y, s.xTrain, s.yTrain, s.xTest, s.yTest]);
});

Deno.test("trainTestSplit({ shuffle: false }) takes the last rows, like validationSplit", () => {
  const x = tf.range(0, 10).reshape([10, 1]) as tf.Tensor2D;
  const s = trainTestSplit(x, x, { testFraction: 0.3, shuffle: false });
  assert.deepEqual(rows(s.xTest), [7, 8, 9]);
  tf.dispose([x, s.xTrain, s.yTrain, s.xTest, s.yTest]);
});

Deno.test("trainTestSplit() explains mismatched rows and bad fractions", () => {
  const x = tf.zeros([10, 2]);
  const y = tf.zeros([9, 1]);
  assert.throws(() => trainTestSplit(x, y), /same number of rows.*\[10,2\].*\[9,1\]/);
  assert.throws(() => trainTestSplit(x, x, { testFraction: 20 }), /between 0 and 1.*got 20/);
  assert.throws(() => trainTestSplit(x, x, { testFraction: 0.01 }), /leaves 0 test/);
  tf.dispose([x, y]);
});

Deno.test("trainTestSplit() leaks no tensors beyond the four it returns", () => {
  const x = tf.zeros([20, 3]);
  const before = tf.memory().numTensors;
  const s = trainTestSplit(x, x);
  assert.equal(tf.memory().numTensors, before + 4);
  tf.dispose([x, s.xTrain, s.yTrain, s.xTest, s.yTest]);
});
