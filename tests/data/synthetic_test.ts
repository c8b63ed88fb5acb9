import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { highDimLinear, noisyLinear, quadratic } from "../../lib/data/synthetic.ts";

Deno.test("quadratic() is x = 1…100, y = x²", () => {
  const { x, y } = quadratic();
  assert.deepEqual(x.shape, [100, 1]);
  const xs = x.dataSync(), ys = y.dataSync();
  assert.equal(xs[0], 1);
  assert.equal(xs[99], 100);
  assert.equal(ys[99], 10_000);
  assert.throws(() => quadratic({ from: 5, to: 1 }), /from ≤ to/);
  tf.dispose([x, y]);
});

Deno.test("noisyLinear() is seeded and least squares recovers its truth", () => {
  const a = noisyLinear({ n: 2000, seed: 3 });
  const b = noisyLinear({ n: 2000, seed: 3 });
  assert.deepEqual(a.x.dataSync(), b.x.dataSync());
  // Solve the normal equations [X 1]ᵀ[X 1] w = [X 1]ᵀ y for the weights and bias.
  const w = tf.tidy(() => {
    const X = tf.concat([a.x, tf.ones([2000, 1])], 1);
    const xtx = X.transpose().matMul(X).arraySync() as number[][];
    const xty = (X.transpose().matMul(a.y).arraySync() as number[][]).map((r) => r[0]);
    return solve3(xtx, xty);
  });
  assert.ok(Math.abs(w[0] - 2) < 0.05 && Math.abs(w[1] + 3.4) < 0.05, `${w}`);
  assert.ok(Math.abs(w[2] - 4.2) < 0.05, `${w}`);
  tf.dispose([a.x, a.y, b.x, b.y]);
});

Deno.test("highDimLinear() has many features, few rows, and y = 0.05 + Σ 0.01·x", () => {
  const d = highDimLinear({ n: 20, noise: 0, seed: 1 });
  assert.deepEqual(d.x.shape, [20, 200]);
  const expected = tf.tidy(() => d.x.sum(1).mul(0.01).add(0.05).dataSync());
  d.y.dataSync().forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-4));
  assert.throws(() => highDimLinear({ n: 0 }), /n must be a positive integer, got 0/);
  tf.dispose([d.x, d.y]);
});

/** Gaussian elimination for a 3×3 system. */
function solve3(a: number[][], b: number[]): number[] {
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < 3; c++) {
    for (let r = c + 1; r < 3; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k < 4; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = [0, 0, 0];
  for (let r = 2; r >= 0; r--) {
    x[r] = (m[r][3] - m[r].slice(r + 1, 3).reduce((s, v, k) => s + v * x[r + 1 + k], 0)) / m[r][r];
  }
  return x;
}
