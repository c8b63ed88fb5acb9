import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { setLearningRate } from "../../lib/core/learning_rate.ts";
import { adamw, AdamWOptimizer } from "../../lib/optim/adamw.ts";

await tf.setBackend("cpu");

/** f(w) = ½ Σ a_i w_i², gradient a ⊙ w: different curvature per coordinate. */
const A = [1, 10, 0.1];
const loss = (w: tf.Variable) => () => tf.mul(0.5, tf.sum(tf.mul(A, tf.square(w)))) as tf.Scalar;

Deno.test("adamw() follows w ← w − lr·λ·w, then Adam's step, in float64 by hand, for 20 steps", () => {
  const [lr, wd, b1, b2, eps] = [0.05, 0.3, 0.9, 0.999, 1e-7];
  const opt = adamw({ learningRate: lr, weightDecay: wd, beta1: b1, beta2: b2, epsilon: eps });
  const v = tf.variable(tf.tensor1d([1, -2, 3]));
  let w = [1, -2, 3];
  let m = [0, 0, 0], s = [0, 0, 0];
  for (let t = 1; t <= 20; t++) {
    opt.minimize(loss(v), false, [v]);
    const g = w.map((wi, i) => A[i] * wi); // gradient at the pre-step weights
    m = m.map((mi, i) => b1 * mi + (1 - b1) * g[i]);
    s = s.map((si, i) => b2 * si + (1 - b2) * g[i] ** 2);
    w = w.map((wi, i) => {
      const decayed = wi - lr * wd * wi; // decoupled: not in g, m or s
      const mHat = m[i] / (1 - b1 ** t), sHat = s[i] / (1 - b2 ** t);
      return decayed - lr * mHat / (Math.sqrt(sHat) + eps);
    });
  }
  const got = Array.from(v.dataSync());
  got.forEach((gi, i) => assert.ok(Math.abs(gi - w[i]) < 1e-5, `w[${i}] ${gi} vs ${w[i]}`));
  v.dispose();
  opt.dispose();
});

Deno.test("adamw({ weightDecay: 0 }) is exactly tf.train.adam", () => {
  const [v1, v2] = [tf.variable(tf.tensor1d([1, -2, 3])), tf.variable(tf.tensor1d([1, -2, 3]))];
  const [o1, o2] = [
    adamw({ learningRate: 0.1, weightDecay: 0 }),
    tf.train.adam(0.1, 0.9, 0.999, 1e-7),
  ];
  for (let i = 0; i < 10; i++) {
    o1.minimize(loss(v1), false, [v1]);
    o2.minimize(loss(v2), false, [v2]);
  }
  assert.deepEqual(Array.from(v1.dataSync()), Array.from(v2.dataSync()));
  tf.dispose([v1, v2]);
  o1.dispose();
  o2.dispose();
});

Deno.test("adamw() differs from Adam + L2 penalty: a weight with no data gradient", () => {
  // Data gradient 0: L2's gradient 2λw alone goes through Adam's normalisation, so the
  // weight moves by about lr per step whatever λ is; AdamW shrinks it by (1 − lr·λ) per step.
  const [lr, steps] = [0.01, 50];
  const l2After = (lambda: number) => {
    const v = tf.variable(tf.scalar(1));
    const adam = tf.train.adam(lr);
    for (let i = 0; i < steps; i++) {
      adam.minimize(() => tf.mul(lambda, tf.square(v)) as tf.Scalar, false, [v]);
    }
    const value = v.dataSync()[0];
    v.dispose();
    adam.dispose();
    return value;
  };
  const [strong, weak] = [l2After(0.01), l2After(0.0001)];
  assert.ok(strong < 1 - 0.8 * steps * lr, `Adam+L2 moved about lr per step: ${strong}`);
  assert.ok(Math.abs(strong - weak) < 1e-3, `…for λ = 0.01 and 0.0001 alike: ${strong}, ${weak}`);
  const vW = tf.variable(tf.scalar(1));
  const decoupled = adamw({ learningRate: lr, weightDecay: 0.01 });
  for (let i = 0; i < steps; i++) decoupled.minimize(() => tf.mul(0, vW) as tf.Scalar, false, [vW]);
  assert.ok(
    Math.abs(vW.dataSync()[0] - (1 - lr * 0.01) ** steps) < 1e-5,
    `AdamW: ${vW.dataSync()}`,
  );
  vW.dispose();
  decoupled.dispose();
});

Deno.test("adamw({ exclude }) leaves variables whose name matches undecayed", () => {
  const kernel = tf.variable(tf.scalar(1), true, "net/kernel");
  const bias = tf.variable(tf.scalar(1), true, "net/bias");
  const opt = adamw({ learningRate: 0.1, weightDecay: 1, exclude: ["bias"] });
  opt.minimize(() => tf.add(tf.mul(0, kernel), tf.mul(0, bias)) as tf.Scalar, false, [
    kernel,
    bias,
  ]);
  assert.ok(Math.abs(kernel.dataSync()[0] - 0.9) < 1e-6);
  assert.equal(bias.dataSync()[0], 1);
  tf.dispose([kernel, bias]);
  opt.dispose();
});

Deno.test("adamw() trains a model with fit, leaks no tensors per step, and follows setLearningRate", async () => {
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: "ones" })],
  });
  const opt = adamw({ learningRate: 0.01, weightDecay: 0.1 });
  model.compile({ optimizer: opt, loss: "meanSquaredError" });
  const xs = tf.tensor2d([[1, 0], [0, 1], [1, 1]]), ys = tf.tensor2d([[1], [2], [3]]);
  await model.fit(xs, ys, { epochs: 2, verbose: 0 });
  const before = tf.memory().numTensors;
  const h = await model.fit(xs, ys, { epochs: 5, verbose: 0 });
  assert.equal(tf.memory().numTensors, before);
  const l = h.history.loss as number[];
  assert.ok(l.at(-1)! < l[0]);
  // At rate 0 neither the decay nor Adam's step moves a weight.
  setLearningRate(opt, 0);
  const frozen = model.getWeights().map((w) => Array.from(w.dataSync()));
  await model.fit(xs, ys, { epochs: 2, verbose: 0 });
  assert.deepEqual(model.getWeights().map((w) => Array.from(w.dataSync())), frozen);
  model.dispose();
  tf.dispose([xs, ys]);
});

Deno.test("adamw() is saved and loaded back as AdamW with its weight decay (includeOptimizer)", async () => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
  model.compile({
    optimizer: adamw({ learningRate: 0.02, weightDecay: 0.05, exclude: ["bias"] }),
    loss: "meanSquaredError",
  });
  const xs = tf.tensor2d([[1], [2]]), ys = tf.tensor2d([[1], [2]]);
  await model.fit(xs, ys, { epochs: 3, verbose: 0 });
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler((a) => {
      saved = a;
      return Promise.resolve({
        modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" },
      });
    }),
    { includeOptimizer: true },
  );
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
  const opt = loaded.optimizer as AdamWOptimizer;
  assert.ok(opt instanceof AdamWOptimizer, `loaded optimizer is ${opt?.getClassName()}`);
  assert.equal(opt.getClassName(), "AdamW");
  assert.equal(opt.weightDecay, 0.05);
  assert.deepEqual(opt.exclude, ["bias"]);
  assert.equal(opt.iterations, 3);
  model.dispose();
  loaded.dispose();
  tf.dispose([xs, ys]);
});

Deno.test("adamw() rejects out-of-range options, naming them", () => {
  assert.throws(() => adamw({ weightDecay: -1 }), /`weightDecay` must be >= 0, got -1/);
  assert.throws(() => adamw({ learningRate: 0 }), /`learningRate` must be > 0, got 0/);
  assert.throws(() => adamw({ beta1: 1 }), /`beta1` must be in \[0, 1\), got 1/);
  assert.throws(() => adamw({ epsilon: 0 }), /`epsilon`/);
});
