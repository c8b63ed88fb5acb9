/**
 * What `useWasm` started for one `wasm` backend, for the kernels in
 * `wasm_kernels.ts` to read: the thread-pool policy and the FMA product engine.
 *
 * tfjs hands a kernel nothing but its backend instance, so the state is keyed by that
 * instance in a `WeakMap`: a backend that tfjs disposes takes its entry with it, and a
 * second backend (a new `useWasm` with other settings) never sees the first one's.
 *
 * Private to `lib/backend`: `wasm.ts` writes, `wasm_kernels.ts` reads.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { ParallelPolicy } from "./_wasm_runtime.ts";
import type { WasmMatMul } from "./_gemm.ts";

/** One `wasm` backend's state; a missing field means tfjs's own behaviour. */
export interface WasmBackendState {
  /** Keep kernels below `minFlops` off the thread pool. Absent: every kernel uses the pool. */
  readonly parallel?: ParallelPolicy;
  /** The FMA kernel for float32 products. Absent: products run on XNNPACK. */
  readonly matmul?: WasmMatMul;
}

const NONE: WasmBackendState = Object.freeze({});

const states = new WeakMap<tf.KernelBackend, WasmBackendState>();

/**
 * Record what runs behind `backend`, replacing what was recorded for it before.
 *
 * @param backend The backend instance tfjs passes to kernels.
 * @param state Its policy and product engine.
 */
export function setWasmBackendState(backend: tf.KernelBackend, state: WasmBackendState): void {
  states.set(backend, Object.freeze({ ...state }));
}

/**
 * What was recorded for `backend`.
 *
 * @param backend The backend instance a kernel received.
 * @returns Its state, or an empty one (tfjs's own behaviour) for a backend never recorded.
 */
export function wasmBackendState(backend: tf.KernelBackend): WasmBackendState {
  return states.get(backend) ?? NONE;
}
