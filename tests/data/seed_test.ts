import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { restoreRandom, setRandomSeed } from "../../lib/data/seed.ts";

Deno.test("setRandomSeed() makes Math.random repeatable and restoreRandom() undoes it", () => {
  const original = Math.random;
  try {
    setRandomSeed(3);
    const a = [Math.random(), Math.random()];
    setRandomSeed(3);
    assert.deepEqual([Math.random(), Math.random()], a);
    restoreRandom();
    assert.equal(Math.random, original);
  } finally {
    Math.random = original;
  }
});

Deno.test("setRandomSeed() makes tfjs's unseeded initializers, dropout and fit shuffle repeat", async () => {
  const run = async () => {
    setRandomSeed(11);
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 8, inputShape: [4], activation: "relu" }),
        tf.layers.dropout({ rate: 0.5 }),
        tf.layers.dense({ units: 1 }),
      ],
    });
    model.compile({ optimizer: tf.train.sgd(0.05), loss: "meanSquaredError" });
    const x = tf.randomNormal([32, 4]);
    const y = x.sum(1, true);
    const h = await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
    tf.dispose([x, y]);
    model.dispose();
    return h.history.loss as number[];
  };
  try {
    const first = await run();
    assert.deepEqual(await run(), first);
  } finally {
    restoreRandom();
  }
});
