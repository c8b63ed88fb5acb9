import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { loadMnist } from "../../lib/data/mnist.ts";

Deno.test("loadMnist() gives seeded subsets of flattened [0, 1] digits with one-hot labels", async () => {
  const a = await loadMnist({ count: 300, seed: 1 });
  assert.deepEqual(a.x.shape, [300, 784]);
  assert.deepEqual(a.y.shape, [300, 10]);
  const [min, max] = [a.x.min().dataSync()[0], a.x.max().dataSync()[0]];
  assert.ok(min >= 0 && max <= 1 && max > 0.9, `${min} ${max}`);
  assert.deepEqual(Array.from(a.y.argMax(1).dataSync()), a.labels);
  assert.equal(new Set(a.labels).size, 10, "all ten digits appear");
  const b = await loadMnist({ count: 300, seed: 1 });
  assert.deepEqual(b.labels, a.labels);
  assert.deepEqual(b.x.dataSync(), a.x.dataSync());
  const c = await loadMnist({ count: 300, seed: 2 });
  assert.notDeepEqual(c.labels, a.labels);
  tf.dispose([a.x, a.y, b.x, b.y, c.x, c.y]);
});

Deno.test("loadMnist() holds 10,000 digits and explains a bad count", async () => {
  const all = await loadMnist();
  assert.deepEqual(all.x.shape, [10_000, 784]);
  const counts = new Array(10).fill(0);
  for (const l of all.labels) counts[l]++;
  assert.deepEqual(counts, [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  tf.dispose([all.x, all.y]);
  await assert.rejects(() => loadMnist({ count: 20_000 }), /from 1 to 10000.*got 20000/);
});
