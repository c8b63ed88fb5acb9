import assert from "node:assert/strict";
import {
  controlPool,
  defaultWasmDir,
  findPoolField,
  startWasmRuntime,
  WASM_FILES,
} from "../../lib/backend/_wasm_runtime.ts";

Deno.test("findPoolField() reads where tfjs's pthreadpool keeps its thread count", async () => {
  const threaded = await Deno.readFile(new URL(WASM_FILES["threaded-simd"], defaultWasmDir()));
  const field = findPoolField(threaded);
  assert.ok(field, "found in the threaded build");
  assert.ok(field.pointerAddress > 0 && field.pointerAddress % 4 === 0);
  assert.ok(field.countOffset > 0 && field.countOffset % 4 === 0);
  // Garbage in: no field, no exception.
  assert.equal(findPoolField(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99])), undefined);
});

Deno.test("controlPool() switches tfjs's pool between 1 and all of its threads", async () => {
  const runtime = await startWasmRuntime({
    flavor: "threaded-simd",
    threads: 2,
    wasmDir: defaultWasmDir(),
    bootTimeoutMs: 20_000,
  });
  try {
    runtime.module.tfjs.initWithThreadsCount(2);
    assert.equal(runtime.module.tfjs.getThreadsCount(), 2);
    const pool = controlPool(runtime);
    assert.ok(pool);
    assert.equal(pool.threads, 2);
    pool.use(1);
    assert.equal(runtime.module.tfjs.getThreadsCount(), 1);
    pool.use(5); // clamped to the pool's size
    assert.equal(runtime.module.tfjs.getThreadsCount(), 2);
  } finally {
    runtime.terminate();
  }
});

Deno.test("startWasmRuntime() single-threaded SIMD needs no workers and has no pool control", async () => {
  const runtime = await startWasmRuntime({
    flavor: "simd",
    threads: 1,
    wasmDir: defaultWasmDir(),
    bootTimeoutMs: 1,
  });
  runtime.module.tfjs.initWithThreadsCount(1);
  assert.equal(runtime.threads, 1);
  assert.equal(controlPool(runtime), undefined);
  runtime.terminate();
});
