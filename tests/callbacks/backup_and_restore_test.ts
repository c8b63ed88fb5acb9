import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { backupAndRestore } from "../../lib/callbacks/backup_and_restore.ts";
import { stopOn } from "../../lib/callbacks/stop_on.ts";
import { callbackList } from "../../lib/callbacks/callback_list.ts";
import { fixture, linearModel, weightsOf } from "./_fit_fixture.ts";
import { killChild, runChild } from "../_kill.ts";

await tf.setBackend("cpu");

const fitArgs = (data: ReturnType<typeof fixture>, epochs: number) => ({
  epochs,
  batchSize: 4,
  shuffle: false,
  verbose: 0 as const,
  validationData: [data.valXs, data.valYs] as [tf.Tensor, tf.Tensor],
});

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("backupAndRestore() stopped mid-run then resumed ends with the uninterrupted weights (Adam)", async () => {
  const data = fixture();
  const reference = linearModel(0.05, "adam");
  await reference.fit(data.xs, data.ys, fitArgs(data, 8));

  const dir = `${await Deno.makeTempDir()}/backup`;
  const first = linearModel(0.05, "adam");
  const controller = new AbortController();
  let batches = 0;
  const backup = backupAndRestore({ dir });
  await backup.fit(first, data.xs, data.ys, {
    ...fitArgs(data, 8),
    // Stop in the middle of epoch 4 (index 3): epochs 0-2 are backed up.
    callbacks: callbackList(stopOn(controller.signal, { verbose: 0 }), {
      onBatchEnd: () => void (++batches === 14 && controller.abort()),
    }),
  });
  assert.equal(backup.lastBackedUpEpoch, 2);
  assert.ok(await exists(`${dir}/model.json`), "a mid-epoch stop keeps the backup");

  // A new process would build a fresh model: same architecture, fresh optimizer.
  const resumed = linearModel(0.05, "adam");
  const again = backupAndRestore({ dir });
  const history = await again.fit(resumed, data.xs, data.ys, fitArgs(data, 8));
  assert.deepEqual(history.epoch, [3, 4, 5, 6, 7]);
  assert.deepEqual(weightsOf(resumed), weightsOf(reference));
  assert.equal(await exists(dir), false, "the backup is deleted once training completes");
  data.dispose();
});

Deno.test("backupAndRestore() a process killed with SIGKILL resumes to the same weights", async () => {
  const child = new URL("./_backup_child.ts", import.meta.url);
  const root = await Deno.makeTempDir();
  // Uninterrupted run.
  const full = (await runChild(child, [`${root}/full`, "10", "0"])).stdout;
  const expected = full.match(/weights (.*)/)![1];
  // Interrupted run: kill while epoch 4's hook pauses (before or during its backup,
  // which runs after the user's hooks), then resume.
  const killed = await killChild(child, [`${root}/killed`, "10", "30"], {
    when: { stdout: "epoch 4\n" },
  });
  assert.ok(!killed.stdout.includes("weights"), "killed before finishing");
  const resumed = (await runChild(child, [`${root}/killed`, "10", "0"])).stdout;
  const epochs = [...resumed.matchAll(/epoch (\d+)/g)].map((m) => Number(m[1]));
  assert.ok(epochs[0] >= 4 && epochs[0] <= 5 && epochs.at(-1) === 9, `resumed: ${epochs}`);
  assert.equal(resumed.match(/weights (.*)/)![1], expected);
  await Deno.remove(root, { recursive: true });
});

Deno.test("backupAndRestore() refuses to overwrite a backup that was not restored", async () => {
  const data = fixture();
  const dir = `${await Deno.makeTempDir()}/b`;
  const model = linearModel();
  const controller = new AbortController();
  const backup = backupAndRestore({ dir });
  await backup.fit(model, data.xs, data.ys, {
    ...fitArgs(data, 5),
    callbacks: callbackList(stopOn(controller.signal, { verbose: 0 }), {
      onEpochEnd: (e: number) => void (e === 1 && controller.abort()),
    }),
  });
  // The abort at the end of epoch 1 stops there; a requested stop keeps the backup.
  assert.ok(await exists(`${dir}/model.json`));
  const w = weightsOf(model);
  await assert.rejects(
    () =>
      model.fit(data.xs, data.ys, { ...fitArgs(data, 5), callbacks: [backupAndRestore({ dir })] }),
    /holds a backup of an earlier run that was not restored.*backup\.restore\(model\)/,
  );
  assert.deepEqual(weightsOf(model), w, "nothing trained, nothing lost");
  const b2 = backupAndRestore({ dir });
  const initialEpoch = await b2.restore(model);
  assert.equal(initialEpoch, 2);
  await assert.rejects(
    () => model.fit(data.xs, data.ys, { ...fitArgs(data, 5), callbacks: [b2] }),
    /starts at initialEpoch 0 but the backup resumes at 2/,
  );
  model.dispose();
  data.dispose();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("backupAndRestore() with no backup starts at 0; bad options are named", async () => {
  const data = fixture();
  const dir = `${await Deno.makeTempDir()}/none`;
  const model = linearModel();
  const backup = backupAndRestore({ dir });
  assert.equal(await backup.restore(model), 0);
  const before = tf.memory().numTensors;
  await model.fit(data.xs, data.ys, { ...fitArgs(data, 2), callbacks: [backup] });
  assert.equal(tf.memory().numTensors, before);
  assert.equal(await exists(dir), false);
  assert.throws(() => backupAndRestore({ dir: "" }), /`dir` is required/);
  model.dispose();
  data.dispose();
});
