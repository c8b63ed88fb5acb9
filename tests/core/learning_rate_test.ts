import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { getLearningRate, setLearningRate } from "../../lib/core/learning_rate.ts";

await tf.setBackend("cpu");

Deno.test("setLearningRate() changes the step SGD (cached -lr scalar), momentum, RMSProp and Adam take", () => {
  const optimizers = [
    tf.train.sgd(0.1),
    tf.train.momentum(0.1, 0.9),
    tf.train.rmsprop(0.1),
    tf.train.adam(0.1),
  ];
  for (const opt of optimizers) {
    setLearningRate(opt, 0.01);
    assert.equal(getLearningRate(opt, "t"), 0.01);
    // The first step of each is proportional to the rate: compare with a fresh 0.01 one.
    const [a, b] = [tf.variable(tf.scalar(1)), tf.variable(tf.scalar(1))];
    const fresh = (opt.constructor as unknown as {
      fromConfig: (c: unknown, cfg: tf.serialization.ConfigDict) => tf.Optimizer;
    }).fromConfig(opt.constructor, { ...opt.getConfig(), learningRate: 0.01 });
    opt.minimize(() => a.square() as tf.Scalar, false, [a]);
    fresh.minimize(() => b.square() as tf.Scalar, false, [b]);
    assert.ok(Math.abs(a.dataSync()[0] - b.dataSync()[0]) < 1e-7, opt.getClassName());
    tf.dispose([a, b]);
    opt.dispose();
    fresh.dispose();
  }
});

Deno.test("getLearningRate() names the optimizer and the fix when there is no numeric rate", () => {
  assert.throws(
    () => getLearningRate(undefined, "myCallback"),
    /myCallback: .*\(none\).*tf\.train/,
  );
});
