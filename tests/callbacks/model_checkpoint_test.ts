import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { modelCheckpoint } from "../../lib/callbacks/model_checkpoint.ts";
import { loadModel, loadWeights } from "../../lib/io/model_files.ts";
import { fixture, linearModel, weightsOf } from "./_fit_fixture.ts";
import { killChild } from "../_kill.ts";

await tf.setBackend("cpu");

async function listDir(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

const fitArgs = (data: ReturnType<typeof fixture>, epochs: number) => ({
  epochs,
  batchSize: 4,
  shuffle: false,
  validationData: [data.valXs, data.valYs] as [tf.Tensor, tf.Tensor],
  verbose: 0 as const,
});

Deno.test("modelCheckpoint() every epoch: templated folders, 1-based epochs, exact reload", async () => {
  const dir = await Deno.makeTempDir();
  const data = fixture();
  const model = linearModel();
  const ckpt = modelCheckpoint({ filepath: `${dir}/epoch-{epoch:02d}-{val_loss:.3f}` });
  const before = tf.memory().numTensors;
  const history = await model.fit(data.xs, data.ys, { ...fitArgs(data, 3), callbacks: [ckpt] });
  assert.equal(tf.memory().numTensors, before);
  const valLoss = history.history.val_loss as number[];
  const expected = valLoss.map((v, i) => `epoch-0${i + 1}-${v.toFixed(3)}`);
  assert.deepEqual(await listDir(dir), expected);
  assert.deepEqual(ckpt.savedPaths, expected.map((n) => `${dir}/${n}`));
  const reloaded = await loadModel(ckpt.lastSavedPath!);
  const p1 = (reloaded.predict(data.valXs) as tf.Tensor).dataSync();
  const p2 = (model.predict(data.valXs) as tf.Tensor).dataSync();
  assert.deepEqual(Array.from(p1), Array.from(p2));
  model.dispose();
  data.dispose();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("modelCheckpoint() saveBestOnly keeps the best epoch; its reload has the best val_loss", async () => {
  const dir = await Deno.makeTempDir();
  const data = fixture();
  const model = linearModel();
  const ckpt = modelCheckpoint({ filepath: `${dir}/best`, saveBestOnly: true });
  const history = await model.fit(data.xs, data.ys, { ...fitArgs(data, 25), callbacks: [ckpt] });
  const valLoss = history.history.val_loss as number[];
  const bestEpoch = valLoss.indexOf(Math.min(...valLoss));
  assert.ok(bestEpoch < 24, "fixture overfits, so the best is not the last epoch");
  assert.equal(ckpt.bestEpoch, bestEpoch);
  // One save per improvement, all to the same folder.
  let improvements = 0;
  valLoss.reduce((best, v) => (v < best ? (improvements++, v) : best), Infinity);
  assert.equal(ckpt.savedPaths.length, improvements);
  const best = await loadModel(`${dir}/best`);
  best.compile({ optimizer: "sgd", loss: "meanSquaredError" });
  const loss = best.evaluate(data.valXs, data.valYs, { batchSize: 4 }) as tf.Scalar;
  assert.ok(Math.abs(loss.dataSync()[0] - valLoss[bestEpoch]) < 1e-6);
  model.dispose();
  data.dispose();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("modelCheckpoint() initialValueThreshold: nothing saved until it is beaten", async () => {
  const dir = await Deno.makeTempDir();
  const data = fixture();
  const model = linearModel();
  const ckpt = modelCheckpoint({
    filepath: `${dir}/best`,
    saveBestOnly: true,
    initialValueThreshold: 1e-9,
  });
  await model.fit(data.xs, data.ys, { ...fitArgs(data, 3), callbacks: [ckpt] });
  assert.deepEqual(ckpt.savedPaths, []);
  assert.deepEqual(await listDir(dir), []);
  model.dispose();
  data.dispose();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("modelCheckpoint() saveFreq N saves every N batches across epochs", async () => {
  const dir = await Deno.makeTempDir();
  const data = fixture();
  const model = linearModel();
  const ckpt = modelCheckpoint({ filepath: `${dir}/e{epoch}-b{batch}`, saveFreq: 3 });
  // 16 samples / batch 4 = 4 batches per epoch; 12 batches -> saves after 3, 6, 9, 12.
  await model.fit(data.xs, data.ys, { ...fitArgs(data, 3), callbacks: [ckpt] });
  assert.deepEqual(ckpt.savedPaths.map((p) => p.slice(dir.length + 1)), [
    "e1-b3",
    "e2-b2",
    "e3-b1",
    "e3-b4",
  ]);
  model.dispose();
  data.dispose();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("modelCheckpoint() saveWeightsOnly writes weights loadable into the same model", async () => {
  const dir = await Deno.makeTempDir();
  const data = fixture();
  const model = linearModel();
  const ckpt = modelCheckpoint({ filepath: `${dir}/w`, saveWeightsOnly: true });
  await model.fit(data.xs, data.ys, { ...fitArgs(data, 2), callbacks: [ckpt] });
  const fresh = linearModel();
  await loadWeights(fresh, `${dir}/w`);
  assert.deepEqual(weightsOf(fresh), weightsOf(model));
  await assert.rejects(() => loadModel(`${dir}/w`), /weights only/);
  model.dispose();
  fresh.dispose();
  data.dispose();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("modelCheckpoint() a template key fit() will not log fails before training", async () => {
  const dir = await Deno.makeTempDir();
  const data = fixture();
  const model = linearModel();
  const w0 = weightsOf(model);
  const ckpt = modelCheckpoint({ filepath: `${dir}/{val_acc:.2f}` });
  await assert.rejects(
    () => model.fit(data.xs, data.ys, { ...fitArgs(data, 2), callbacks: [ckpt] }),
    /modelCheckpoint: `filepath` ".*\{val_acc:\.2f\}" uses \{val_acc\}, which fit\(\) will not log; it logs: loss, val_loss/,
  );
  assert.deepEqual(weightsOf(model), w0);
  // The model is usable again afterwards.
  await model.fit(data.xs, data.ys, { epochs: 1, verbose: 0 });
  model.dispose();
  data.dispose();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("modelCheckpoint() an unwritable path names the path; trained weights stay in memory", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/a-file`, "");
  const data = fixture();
  const model = linearModel();
  const w0 = weightsOf(model);
  const ckpt = modelCheckpoint({ filepath: `${dir}/a-file/ckpt-{epoch}` });
  await assert.rejects(
    () => model.fit(data.xs, data.ys, { ...fitArgs(data, 3), callbacks: [ckpt] }),
    /modelCheckpoint: saving epoch 1 to ".*a-file\/ckpt-1" failed.*cannot create checkpoint folder/,
  );
  assert.notDeepEqual(weightsOf(model), w0, "epoch 1's training is kept");
  model.dispose();
  data.dispose();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("modelCheckpoint() rejects bad options by name", () => {
  assert.throws(() => modelCheckpoint({ filepath: "" }), /invalid `filepath`/);
  assert.throws(
    () => modelCheckpoint(undefined as unknown as { filepath: string }),
    /`filepath` is required/,
  );
  assert.throws(() => modelCheckpoint({ filepath: "c", saveFreq: 0 }), /`saveFreq` must be/);
  assert.throws(() => modelCheckpoint({ filepath: "c/{epoch" }), /unclosed/);
  assert.throws(
    () => modelCheckpoint({ filepath: "c", mode: "best" as "min" }),
    /unknown mode "best"/,
  );
});

Deno.test("modelCheckpoint() a training process killed (SIGKILL) while saving leaves a loadable checkpoint", async () => {
  for (const delayMs of [0, 5, 13]) {
    const dir = await Deno.makeTempDir();
    await killChild(new URL("./_checkpoint_child.ts", import.meta.url), [dir], {
      when: { stdout: "saved 3\n" },
      delayMs,
    });
    const model = await loadModel(`${dir}/last`);
    const y = model.predict(tf.ones([1, 600])) as tf.Tensor;
    assert.ok(Number.isFinite(y.dataSync()[0]));
    tf.dispose([y]);
    model.dispose();
    await Deno.remove(dir, { recursive: true });
  }
});
