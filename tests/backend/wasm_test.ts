import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { MAX_WASM_THREADS, releaseWasm, useWasm, validateThreads } from "../../lib/backend/mod.ts";

/** Run a snippet in a fresh `deno eval` (the project's deno.json applies). */
async function evalInDeno(code: string, timeoutMs = 60_000): Promise<{
  code: number;
  stdout: string;
  stderr: string;
}> {
  const command = new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    cwd: new URL("../../", import.meta.url),
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  });
  const out = await command.output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

Deno.test("useWasm({ threads: 2 }) runs the threaded-SIMD build with a pool of 2", async () => {
  const info = await useWasm({ threads: 2 });
  assert.equal(info.flavor, "threaded-simd");
  assert.equal(info.simd, true);
  assert.equal(info.threads, 2);
  assert.match(info.binaryUrl, /tfjs-backend-wasm-threaded-simd\.wasm$/);
  assert.equal(tf.getBackend(), "wasm");
  // A product big enough for XNNPACK to split across threads, checked exactly.
  const a = tf.tensor2d(Float32Array.from({ length: 128 * 96 }, (_, i) => (i % 7) - 3), [128, 96]);
  const b = tf.tensor2d(Float32Array.from({ length: 96 * 64 }, (_, i) => (i % 5) - 2), [96, 64]);
  const onWasm = await tf.matMul(a, b).data();
  await tf.setBackend("cpu");
  const onCpu = await tf.matMul(a, b).data();
  assert.deepEqual(Array.from(onWasm), Array.from(onCpu));
  tf.dispose([a, b]);
  await releaseWasm();
});

Deno.test("useWasm() switches thread counts, and keeps the module when nothing changes", async () => {
  const one = await useWasm({ threads: 1 });
  assert.equal(one.flavor, "simd");
  assert.equal(one.threads, 1);
  const x = tf.tensor([1, 2, 3]);
  assert.equal(await useWasm({ threads: 1 }), one); // same settings: same backend
  assert.deepEqual(Array.from(await x.square().data()), [1, 4, 9]);
  const two = await useWasm({ threads: 2 });
  assert.equal(two.threads, 2);
  const back = await useWasm({ threads: 1 });
  assert.equal(back.threads, 1);
  assert.deepEqual(Array.from(await tf.tensor([2]).square().data()), [4]);
  await releaseWasm();
  assert.notEqual(tf.getBackend(), "wasm");
});

Deno.test("useWasm() caps threads at tfjs's maximum of 8 and says so", async () => {
  const info = await useWasm({ threads: 12, bootTimeoutMs: 60_000 });
  assert.equal(info.threads, MAX_WASM_THREADS);
  assert.match(info.notes.join(" "), /asked for 12 threads; tfjs's WASM build uses at most 8/);
  await releaseWasm();
});

Deno.test("validateThreads() accepts whole numbers ≥ 1 and explains the rest", () => {
  assert.equal(validateThreads(3), 3);
  for (const bad of [0, -1, 2.5, Number.POSITIVE_INFINITY, "4", undefined]) {
    assert.throws(() => validateThreads(bad), /Invalid thread count .* whole number ≥ 1/);
  }
});

Deno.test("a script using threaded WASM exits on its own (pthread workers never hold Deno)", async () => {
  const result = await evalInDeno(`
    import { selectBackend } from "@lib/backend/mod.ts";
    import * as tf from "@tensorflow/tfjs";
    const report = await selectBackend({ prefer: "wasm", threads: 2 });
    const y = tf.matMul(tf.ones([256, 256]), tf.ones([256, 256]));
    console.log(report.threads, (await y.data())[0]);
  `);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.trim(), "2 256");
});

Deno.test("@lib silences tfjs's 'running in Node.js' banner, before and after selectBackend() (without it, it shows)", async () => {
  const banner = /looks like you are running TensorFlow\.js in Node\.js/;
  const quiet = await evalInDeno(`
    import { selectBackend } from "@lib/backend/mod.ts";
    import * as tf from "@tensorflow/tfjs";
    await selectBackend({ prefer: "cpu" });
    console.log((await tf.tensor([1, 2]).sum().data())[0]);
  `);
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.equal(quiet.stdout.trim(), "3");
  assert.doesNotMatch(quiet.stdout + quiet.stderr, banner);
  // A tensor made right after importing the library, before any selectBackend().
  const early = await evalInDeno(`
    import "@lib";
    import * as tf from "@tensorflow/tfjs";
    const sum = (await tf.tensor([1, 2]).sum().data())[0];
    console.log(tf.getBackend(), sum);
  `);
  assert.equal(early.code, 0, early.stderr);
  assert.equal(early.stdout.trim(), "cpu 3");
  assert.doesNotMatch(early.stdout + early.stderr, banner);
  const loud = await evalInDeno(`
    import * as tf from "@tensorflow/tfjs";
    await tf.setBackend("cpu");
    console.log((await tf.tensor([1, 2]).sum().data())[0]);
  `);
  assert.match(loud.stdout + loud.stderr, banner);
});
