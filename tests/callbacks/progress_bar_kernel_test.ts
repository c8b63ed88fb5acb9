/**
 * progressBar() in Deno's real Jupyter kernel: one display output created, then
 * updated in place (update_display_data with the same display_id), throttled.
 * Needs /usr/bin/python3 with jupyter_client; skipped without it.
 */
import assert from "node:assert/strict";

import { jupyterPython, skipWithoutJupyter } from "../_gate.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

interface Output {
  type: string;
  display_id: string | null;
  text: string | null;
}

Deno.test({
  name: "progressBar() in a Jupyter kernel updates one output in place",
  ignore: skipWithoutJupyter,
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const jupyterPath = await Deno.makeTempDir();
  const name = "lib-progress-test";
  await Deno.mkdir(`${jupyterPath}/kernels/${name}`, { recursive: true });
  await Deno.writeTextFile(
    `${jupyterPath}/kernels/${name}/kernel.json`,
    JSON.stringify({
      argv: [Deno.execPath(), "jupyter", "--kernel", "--conn", "{connection_file}"],
      display_name: "lib progress test",
      language: "typescript",
      env: { NO_COLOR: "1" },
    }),
  );
  const setup = `
import * as tf from "@tensorflow/tfjs";
import { progressBar } from "${ROOT}lib/callbacks/progress_bar.ts";
await tf.setBackend("cpu");
const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
const xs = tf.randomNormal([4000, 1], 0, 1, "float32", 1), ys = xs.mul(2);`;
  const fit =
    `await model.fit(xs, ys, { epochs: 3, batchSize: 4, callbacks: [progressBar({ throttleMs: 100 })] });`;
  const { stdout, stderr, success } = await new Deno.Command(jupyterPython, {
    args: [new URL("./_kernel_run.py", import.meta.url).pathname, name, setup, fit],
    cwd: ROOT,
    env: { JUPYTER_PATH: jupyterPath },
  }).output();
  await Deno.remove(jupyterPath, { recursive: true });
  assert.ok(success, new TextDecoder().decode(stderr));
  const [, outputs] = JSON.parse(
    new TextDecoder().decode(stdout).trim().split("\n").at(-1)!,
  ) as Output[][];
  const displays = outputs.filter((o) => o.type === "display_data");
  const updates = outputs.filter((o) => o.type === "update_display_data");
  assert.equal(displays.length, 1, JSON.stringify(outputs.map((o) => o.type)));
  assert.ok(updates.length >= 2, `updates: ${updates.length}`);
  // 3000 batches; throttled to far fewer messages.
  assert.ok(updates.length < 200, `updates: ${updates.length}`);
  assert.ok(updates.every((u) => u.display_id === displays[0].display_id));
  const final = updates.at(-1)!.text!.split("\n");
  assert.equal(final.length, 3);
  assert.match(final[2], /^Epoch 3\/3 {2}1000\/1000 \[=+\] \d+s {2}loss: /);
});
