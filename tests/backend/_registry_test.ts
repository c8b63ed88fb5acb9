/**
 * The private registry between `useWasm` and the wasm kernels: state is per backend
 * instance, and nothing is hung on tfjs's module object any more.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { setWasmBackendState, wasmBackendState } from "../../lib/backend/_registry.ts";
import type { ParallelPolicy } from "../../lib/backend/_wasm_runtime.ts";
import { releaseWasm, useWasm } from "../../lib/backend/mod.ts";

Deno.test("wasmBackendState() is per backend: one backend's state is invisible to another", () => {
  const a = new tf.KernelBackend();
  const b = new tf.KernelBackend();
  const parallel: ParallelPolicy = { pool: { threads: 2, use() {} }, minFlops: 10 };
  setWasmBackendState(a, { parallel });
  assert.equal(wasmBackendState(a).parallel, parallel);
  assert.deepEqual(wasmBackendState(b), {});
  setWasmBackendState(a, {});
  assert.equal(wasmBackendState(a).parallel, undefined);
});

Deno.test("setWasmBackendState() keeps a frozen copy, so the recorded state cannot drift", () => {
  const backend = new tf.KernelBackend();
  const state: { parallel?: ParallelPolicy } = {};
  setWasmBackendState(backend, state);
  state.parallel = { pool: { threads: 2, use() {} }, minFlops: 10 };
  assert.equal(wasmBackendState(backend).parallel, undefined);
  assert.ok(Object.isFrozen(wasmBackendState(backend)));
});

Deno.test("useWasm() records each backend's policy and engine apart, on no module property", async () => {
  await useWasm({ threads: 2 });
  const two = tf.backend() as BackendWasm;
  const modules: object[] = [two.wasm]; // disposing a backend empties its `wasm` field
  const twoState = wasmBackendState(two);
  assert.equal(twoState.parallel?.pool.threads, 2);
  await useWasm({ threads: 1 });
  const one = tf.backend() as BackendWasm;
  assert.notEqual(one, two);
  modules.push(one.wasm);
  const oneState = wasmBackendState(one);
  assert.equal(oneState.parallel, undefined, "one thread: no pool policy");
  if (twoState.matmul) assert.notEqual(oneState.matmul, twoState.matmul);
  assert.equal(wasmBackendState(two), twoState, "the first backend's state is untouched");
  for (const module of modules) {
    assert.deepEqual(Object.getOwnPropertySymbols(module), []);
  }
  await releaseWasm();
});
