/**
 * Where one training step of W4 (Dense(1), batch 32, SGD) spends its time: peel the
 * layers of `model.fit` off one by one, on each backend.
 *
 *   deno run -A bench/step_profile.ts [--backends=cpu,wasm-1]
 *
 * Rows (µs per step, median of 3 runs of 800 steps after a warm-up):
 * - `fit` — what lessons call (`yieldEvery: "auto"`, the default);
 * - `fit, yieldEvery: "never"` — no per-batch `await` of the loss and no yielding;
 * - `trainOnBatch` — no epoch/batch bookkeeping, but one `await loss.data()` per step;
 * - `minimize + await loss` — the bare optimizer step plus one read;
 * - `minimize` — the bare optimizer step (forward, tape, backward, update) in tfjs ops;
 * - `kernels` — time inside backend kernels per step (`tf.profile`), and their count;
 *   `kernels, no op scopes` leaves out op scopes such as `fusedMatMul__op`, which the
 *   first row counts on top of the kernels they contain. Both include tf.profile's own
 *   per-kernel cost and the engine's output bookkeeping, so neither is "arithmetic".
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { selectBackend, silenceNodeBanner, useWasm } from "../lib/backend/mod.ts";
import { w4Setup } from "./workloads.ts";
import { commandLine } from "../tools/_args.ts";
import { textTable } from "../lib/core/text_table.ts";

const EPOCHS = 200;
const STEPS = EPOCHS * 4;

function print(line = ""): void {
  Deno.stdout.writeSync(new TextEncoder().encode(line + "\n"));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function perStep(f: () => Promise<void>): Promise<number> {
  await f(); // warm-up
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    await f();
    runs.push(((performance.now() - start) * 1000) / STEPS);
  }
  return median(runs);
}

async function profileBackend(label: string): Promise<Record<string, number>> {
  if (label === "cpu") await selectBackend({ prefer: "cpu" });
  else await useWasm({ threads: Number(label.split("-")[1]) });
  const { x, y, model } = w4Setup();
  const batches = [0, 32, 64, 96].map((s) => {
    const n = Math.min(32, 100 - s);
    return [x.slice(s, n), y.slice(s, n)] as const;
  });
  const w = tf.variable(tf.tensor2d([[0.5]]));
  const b = tf.variable(tf.zeros([1]));
  const sgd = tf.train.sgd(0.01);
  const loss = (xb: tf.Tensor, yb: tf.Tensor) => () =>
    tf.losses.meanSquaredError(yb, xb.matMul(w).add(b)) as tf.Scalar;

  const rows: Record<string, number> = {};
  rows["fit"] = await perStep(async () => {
    await model.fit(x, y, { epochs: EPOCHS, batchSize: 32, verbose: 0, shuffle: false });
  });
  rows['fit, yieldEvery: "never"'] = await perStep(async () => {
    await model.fit(x, y, {
      epochs: EPOCHS,
      batchSize: 32,
      verbose: 0,
      shuffle: false,
      yieldEvery: "never",
    });
  });
  rows["trainOnBatch"] = await perStep(async () => {
    for (let e = 0; e < EPOCHS; e++) {
      for (const [xb, yb] of batches) await model.trainOnBatch(xb, yb);
    }
  });
  rows["minimize + await loss"] = await perStep(async () => {
    for (let e = 0; e < EPOCHS; e++) {
      for (const [xb, yb] of batches) {
        const value = sgd.minimize(loss(xb, yb), true)!;
        await value.data();
        value.dispose();
      }
    }
  });
  rows["minimize"] = await perStep(() => {
    for (let e = 0; e < EPOCHS; e++) {
      for (const [xb, yb] of batches) sgd.minimize(loss(xb, yb));
    }
    return Promise.resolve();
  });
  const profile = await tf.profile(async () => {
    await model.fit(x, y, { epochs: 10, batchSize: 32, verbose: 0, shuffle: false });
  });
  const kernelMs = profile.kernels.reduce((sum, k) => sum + (k.kernelTimeMs as number), 0);
  rows["kernels (inside fit)"] = (kernelMs * 1000) / 40;
  // The row above also counts op scopes (`fusedMatMul__op`, a customGrad), whose time
  // includes the kernels inside them: this one counts registered kernels only.
  const leaves = profile.kernels.filter((k) => !k.name.endsWith("__op"));
  const leafMs = leaves.reduce((sum, k) => sum + (k.kernelTimeMs as number), 0);
  rows["kernels, no op scopes"] = (leafMs * 1000) / 40;
  rows["kernel calls per step"] = leaves.length / 40;
  tf.dispose([x, y, w, b, ...batches.flat()]);
  model.dispose();
  return rows;
}

if (import.meta.main) {
  const { values } = commandLine({
    usage: "deno run -A bench/step_profile.ts [flags]",
    summary: "Where one W4 training step spends its time, layer by layer of model.fit, " +
      "in µs per step.",
    flags: {
      backends: {
        type: "string",
        value: "LIST",
        description: "cpu and wasm-T for T threads",
        default: "cpu,wasm-1",
      },
    },
  });
  silenceNodeBanner();
  const labels = values.backends.split(",");
  const table: Record<string, Record<string, number>> = {};
  for (const label of labels) table[label] = await profileBackend(label);
  const names = Object.keys(table[labels[0]]);
  print(`W4 step breakdown, µs per step (load average ${Deno.loadavg()[0].toFixed(2)})`);
  const rows = names.map((name) => [name, ...labels.map((l) => table[l][name].toFixed(0))]);
  print(textTable(["", ...labels], rows, { gap: "    " }));
}
