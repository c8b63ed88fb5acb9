/**
 * End-to-end: interrupting a long `await model.fit(...)` cell in Deno's Jupyter kernel
 * (kernelspec with interrupt_mode "signal") with stopOnInterrupt() attached: the cell
 * finishes, the kernel stays alive and keeps its state. Needs Debian's Jupyter
 * client (/usr/bin/python3 with jupyter_client); skipped without it.
 */
import assert from "node:assert/strict";

const PYTHON = Deno.env.get("JUPYTER_PYTHON") ?? "/usr/bin/python3";
const ROOT = new URL("../../", import.meta.url).pathname;

async function hasJupyter(): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(PYTHON, {
      args: ["-c", "import jupyter_client"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}

const available = await hasJupyter();

Deno.test({
  name: "stopOnInterrupt() a Jupyter interrupt (signal mode) stops fit; kernel alive with state",
  ignore: !available || Deno.build.os === "windows",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const jupyterPath = await Deno.makeTempDir();
  const name = "lib-stop-on-test";
  await Deno.mkdir(`${jupyterPath}/kernels/${name}`, { recursive: true });
  await Deno.writeTextFile(
    `${jupyterPath}/kernels/${name}/kernel.json`,
    JSON.stringify({
      argv: [Deno.execPath(), "jupyter", "--kernel", "--conn", "{connection_file}"],
      display_name: "lib stopOn test",
      language: "typescript",
      interrupt_mode: "signal",
      env: { NO_COLOR: "1" },
    }),
  );
  const setup = `
import * as tf from "@tensorflow/tfjs";
import { stopOnInterrupt } from "${ROOT}lib/callbacks/stop_on.ts";
await tf.setBackend("cpu");
const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
const xs = tf.tensor2d([[0], [1], [2], [3]]), ys = tf.tensor2d([[1], [3], [5], [7]]);
let batches = 0;
const marker = 41;`;
  // Only tf.Callbacks: nothing but stopOnInterrupt lets the event loop (and so the
  // SIGINT listener) run during fit.
  const long = `
class Count extends tf.Callback { async onBatchEnd() { batches++; } }
const h = await model.fit(xs, ys, { epochs: 1e6, batchSize: 1, verbose: 0, callbacks: [
  stopOnInterrupt({ verbose: 0 }),
  new Count(),
] });
console.log("fit returned after", h.epoch.length, "epochs");`;
  const after = `console.log("state", marker + 1, batches > 0, model.predict(xs).shape.join("x"));`;
  const { stdout, stderr, success } = await new Deno.Command(PYTHON, {
    args: [
      new URL("./_kernel_interrupt.py", import.meta.url).pathname,
      name,
      setup,
      long,
      after,
      "4",
    ],
    cwd: ROOT,
    env: { JUPYTER_PATH: jupyterPath },
  }).output();
  await Deno.remove(jupyterPath, { recursive: true });
  const text = new TextDecoder().decode(stdout);
  assert.ok(success, new TextDecoder().decode(stderr));
  const result = JSON.parse(text.trim().split("\n").at(-1)!);
  assert.equal(result.setup.finished, true, JSON.stringify(result.setup));
  assert.equal(result.long.finished, true, "the interrupted fit cell must finish");
  assert.ok(
    result.long.after_interrupt < 5,
    `cell ended ${result.long.after_interrupt}s after interrupt`,
  );
  assert.match(result.long.outputs.join(""), /fit returned after \d+ epochs/);
  assert.equal(result.alive, true);
  assert.equal(result.after.finished, true);
  assert.match(result.after.outputs.join(""), /state 42 true 4x1/);
});
