/**
 * WebGPU in Deno. CI has no GPU: these run on Mesa's software Vulkan (lavapipe) when it
 * is installed, and on a real GPU when there is one; without any adapter they are
 * skipped, saying why (in CI, where Mesa is installed, they are required).
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { probeWebGpu, selectBackend, SYNC_READ_MESSAGE, useWebGpu } from "../../lib/backend/mod.ts";

// Mesa's WSI wants a runtime dir; without one it only prints noise.
if (!Deno.env.get("XDG_RUNTIME_DIR")) {
  Deno.env.set("XDG_RUNTIME_DIR", await Deno.makeTempDir({ prefix: "xdg-" }));
}
const probe = await probeWebGpu({ allowSoftwareAdapter: true });
// Required in CI (which installs Mesa's lavapipe): a missing adapter there fails instead of skipping.
const ignore = probe.adapter === null && !Deno.env.get("CI");
/** Test names carry the reason they are skipped. */
const skip = ignore ? ` [skipped: ${probe.reason}]` : "";

Deno.test({
  name: "useWebGpu() starts tfjs's webgpu backend on the adapter it found" + skip,
  ignore,
  async fn() {
    const info = await useWebGpu({ allowSoftwareAdapter: true });
    assert.equal(tf.getBackend(), "webgpu");
    assert.equal(info.description, probe.description);
    const y = tf.matMul(tf.ones([4, 3]), tf.ones([3, 2]));
    assert.deepEqual(await y.array(), [[3, 3], [3, 3], [3, 3], [3, 3]]);
    y.dispose();
  },
});

Deno.test({
  name: "dataSync() on a GPU-resident tensor throws the actionable error, not clearRect" + skip,
  ignore,
  async fn() {
    await useWebGpu({ allowSoftwareAdapter: true });
    const y = tf.square(tf.tensor([1, 2, 3]));
    assert.throws(() => y.dataSync(), (error: Error) => {
      assert.equal(error.message, SYNC_READ_MESSAGE);
      assert.match(error.message, /await tensor\.data\(\)/);
      return true;
    });
    assert.throws(() => y.arraySync(), /Cannot read a WebGPU tensor synchronously/);
    // Once read asynchronously, the values are cached and sync reads work.
    assert.deepEqual(Array.from(await y.data()), [1, 4, 9]);
    assert.deepEqual(Array.from(y.dataSync()), [1, 4, 9]);
    y.dispose();
  },
});

Deno.test({
  name: "selectBackend() auto uses a software adapter only with allowSoftwareAdapter" + skip,
  ignore,
  async fn() {
    const report = await selectBackend({ allowSoftwareAdapter: true });
    assert.equal(report.backend, "webgpu");
    assert.equal(report.adapter, probe.description);
    assert.match(report.toString(), /webgpu\s+chosen\s+(software|hardware) adapter/);
  },
});

Deno.test({
  name: "model.fit() trains on webgpu with async reads (loss decreases)" + skip,
  ignore,
  async fn() {
    await useWebGpu({ allowSoftwareAdapter: true });
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          units: 8,
          inputShape: [2],
          activation: "relu",
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
        tf.layers.dropout({ rate: 0.1, seed: 2 }),
        tf.layers.dense({
          units: 1,
          kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
        }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.05), loss: "meanSquaredError" });
    const x = tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5], [0.2, 0.8]]);
    const y = tf.tensor2d([[0], [1], [1], [2], [1], [1]]);
    const history = await model.fit(x, y, { epochs: 20, batchSize: 3, shuffle: false, verbose: 0 });
    const losses = history.history.loss as number[];
    assert.ok(losses.at(-1)! < losses[0] / 2, `loss fell: ${losses[0]} -> ${losses.at(-1)}`);
    const prediction = model.predict(x) as tf.Tensor;
    assert.equal((await prediction.data()).length, 6);
    tf.dispose([x, y, prediction]);
    model.dispose();
  },
});
