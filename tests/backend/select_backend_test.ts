import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { releaseWasm, selectBackend } from "../../lib/backend/mod.ts";
import { bundleOf } from "../../lib/core/output.ts";

/** The active backend still computes: 1 + 2 = 3, read asynchronously. */
async function assertUsable(expected: string): Promise<void> {
  assert.equal(tf.getBackend(), expected);
  const sum = tf.add(tf.scalar(1), tf.scalar(2));
  assert.deepEqual(Array.from(await sum.data()), [3]);
  sum.dispose();
}

Deno.test("selectBackend() with prefer: cpu reports cpu and why the others were not tried", async () => {
  const report = await selectBackend({ prefer: "cpu" });
  assert.equal(report.backend, "cpu");
  assert.equal(tf.getBackend(), "cpu");
  assert.deepEqual(report.attempts.map((a) => [a.backend, a.outcome]), [
    ["cpu", "chosen"],
    ["webgpu", "not tried"],
    ["wasm", "not tried"],
  ]);
  assert.equal(report.tfjsVersion, tf.version_core);
  await assertUsable("cpu");
});

Deno.test("selectBackend() auto without webgpu in order picks wasm with SIMD and threads", async () => {
  const report = await selectBackend({ order: ["wasm", "cpu"], threads: 2 });
  assert.equal(report.backend, "wasm");
  assert.equal(report.simd, true);
  assert.equal(report.threads, 2);
  assert.equal(report.attempts[0].outcome, "chosen");
  assert.match(report.toString(), /^Backend: wasm \(SIMD on, 2 threads\)/);
  assert.match(report.toString(), /matrix products: the library's fused multiply-add kernel/);
  assert.match(
    report.toString(),
    /kernels under 4 MFLOP, and matrix products under 64 MFLOP, run on one thread \(minParallelFlops\)/,
  );
  await assertUsable("wasm");
  await releaseWasm();
});

Deno.test('selectBackend({ matmul: "xnnpack" }) keeps tfjs\'s products and says so; a bad value is named', async () => {
  const report = await selectBackend({ prefer: "wasm", threads: 1, matmul: "xnnpack" });
  assert.match(report.toString(), /matrix products: tfjs's XNNPACK/);
  await assertUsable("wasm");
  await assert.rejects(
    () => selectBackend({ prefer: "wasm", matmul: "blas" as never }),
    /Invalid matmul "blas": use "fma" \(the default\) or "xnnpack"/,
  );
  await assertUsable("wasm");
  await releaseWasm();
});

Deno.test("selectBackend() auto skips a software WebGPU adapter unless allowed, saying why", async () => {
  const report = await selectBackend({ order: ["webgpu", "cpu"] });
  const webgpu = report.attempts.find((a) => a.backend === "webgpu")!;
  if (report.backend === "webgpu") {
    assert.match(webgpu.reason, /hardware adapter/); // a real GPU is present
  } else {
    assert.equal(webgpu.outcome, "skipped");
    assert.match(webgpu.reason, /software adapter|no GPU adapter|not available/);
    assert.equal(report.backend, "cpu");
  }
});

Deno.test("selectBackend() rejects an unknown backend name and keeps the previous backend", async () => {
  await selectBackend({ prefer: "cpu" });
  await assert.rejects(
    // deno-lint-ignore no-explicit-any
    () => selectBackend({ prefer: "webgl" as any }),
    /Unknown backend "webgl" in `prefer`\. Use one of "webgpu", "wasm", "cpu", or "auto"\./,
  );
  await assert.rejects(
    // deno-lint-ignore no-explicit-any
    () => selectBackend({ order: ["wasm", "tpu" as any] }),
    /Unknown backend "tpu" in `order`/,
  );
  await assert.rejects(() => selectBackend({ order: [] }), /non-empty list/);
  await assertUsable("cpu");
});

for (const threads of [0, -2, 1.5, Number.NaN]) {
  Deno.test(`selectBackend() rejects threads: ${threads} and keeps the previous backend`, async () => {
    await selectBackend({ prefer: "cpu" });
    await assert.rejects(
      () => selectBackend({ prefer: "wasm", threads }),
      (error: Error) => {
        assert.ok(error instanceof RangeError);
        assert.match(error.message, /Invalid thread count .*whole number ≥ 1.*Pass e\.g\./);
        return true;
      },
    );
    await assertUsable("cpu");
  });
}

Deno.test("selectBackend() names the missing .wasm file and the fix; previous backend stays", async () => {
  await selectBackend({ prefer: "cpu" });
  const empty = await Deno.makeTempDir({ prefix: "no-wasm-" });
  try {
    for (const threads of [1, 2]) {
      await assert.rejects(
        () => selectBackend({ prefer: "wasm", threads, wasmDir: empty }),
        (error: Error) => {
          assert.match(error.message, /Cannot load the WASM binary file:\/\/.*no-wasm-.*\.wasm/);
          assert.match(error.message, /deno install|wasmDir/);
          return true;
        },
      );
      await assertUsable("cpu");
    }
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});

Deno.test("selectBackend() prefer: wasm keeps a running wasm backend when wasm fails to restart", async () => {
  await selectBackend({ prefer: "wasm", threads: 1 });
  const x = tf.tensor([1, 2, 3]);
  await assert.rejects(() =>
    selectBackend({ prefer: "wasm", threads: 2, wasmDir: "/nonexistent/" })
  );
  await assertUsable("wasm");
  assert.deepEqual(Array.from(await x.square().data()), [1, 4, 9]);
  x.dispose();
  await releaseWasm();
});

Deno.test("selectBackend() prefer: webgpu without a usable adapter throws the fix", async () => {
  await selectBackend({ prefer: "cpu" });
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  const adapter = await gpu?.requestAdapter();
  const software = adapter?.info.isFallbackAdapter ||
    /llvmpipe|lavapipe|swiftshader/i.test(adapter?.info.description ?? "");
  if (adapter && !software) return; // a real GPU: nothing to reject here
  await assert.rejects(
    () => selectBackend({ prefer: "webgpu" }),
    /Cannot use backend "webgpu": .*Use "wasm" or "cpu"/,
  );
  await assertUsable("cpu");
});

Deno.test("BackendReport renders as an HTML table and plain text in a notebook bundle", async () => {
  const report = await selectBackend({ prefer: "cpu" });
  const bundle = bundleOf(report);
  assert.equal(typeof bundle["text/html"], "string");
  const html = bundle["text/html"] as string;
  assert.match(html, /<table>.*<code>cpu<\/code>.*chosen.*<\/table>/s);
  assert.match(html, /tfjs 4\.22\.0/);
  assert.equal(bundle["text/plain"], report.toString());
  assert.deepEqual(JSON.parse(JSON.stringify(report)).backend, "cpu");
});

Deno.test("selectBackend() gives up on pthread workers that do not boot in time, clearly", async () => {
  await selectBackend({ prefer: "cpu" });
  await assert.rejects(
    () => selectBackend({ prefer: "wasm", threads: 2, bootTimeoutMs: 1 }),
    /did not start: \d of 2 pthread workers booted within 1 ms\. Use `threads: 1`/,
  );
  await assertUsable("cpu");
});

Deno.test("selectBackend() auto falls back to 1 WASM thread when the pool cannot start", async () => {
  const report = await selectBackend({ order: ["wasm", "cpu"], threads: 2, bootTimeoutMs: 1 });
  assert.equal(report.backend, "wasm");
  assert.equal(report.threads, 1);
  assert.match(report.notes.join("\n"), /2 threads failed \(.*did not start.*\); running 1 thread/);
  await assertUsable("wasm");
  await releaseWasm();
});
