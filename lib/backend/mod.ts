/**
 * Choosing and reporting the tfjs backend: WebGPU, WebAssembly (SIMD + threads) or
 * `cpu`, made to work in Deno.
 *
 * Lessons start with:
 *
 * ```ts ignore
 * const report = await selectBackend();
 * await show(report);
 * ```
 *
 * - {@linkcode selectBackend} — pick the fastest backend that works and say why.
 * - {@linkcode BackendReport} — the outcome; plain text or an HTML table in a notebook.
 * - {@linkcode useWasm} / {@linkcode releaseWasm} — the WASM backend, single- or
 *   multi-threaded, with the training kernels tfjs lacks and matrix products on a
 *   fused multiply-add kernel.
 * - {@linkcode useWebGpu} / {@linkcode probeWebGpu} — the WebGPU backend and its adapter.
 * - {@linkcode registerWasmTrainingKernels} — the kernels behind Conv/Embedding training.
 * - {@linkcode registerCpuTrainingKernels} — an Embedding gradient for `cpu` that scales.
 * - {@linkcode silenceNodeBanner} — no "running in Node.js" banner in Deno.
 *
 * @module
 */
export {
  type BackendAttempt,
  type BackendName,
  BackendReport,
  type BackendReportData,
} from "./backend_report.ts";
export { DEFAULT_ORDER, selectBackend, type SelectBackendOptions } from "./select_backend.ts";
export {
  availableCores,
  MAX_WASM_THREADS,
  MIN_PARALLEL_PRODUCT_FLOPS,
  releaseWasm,
  useWasm,
  type UseWasmOptions,
  validateThreads,
  type WasmInfo,
} from "./wasm.ts";
export {
  probeWebGpu,
  SYNC_READ_MESSAGE,
  useWebGpu,
  type WebGpuInfo,
  type WebGpuOptions,
  type WebGpuProbe,
} from "./webgpu.ts";
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from "./wasm_kernels.ts";
export { registerCpuTrainingKernels } from "./cpu_kernels.ts";
export { silenceNodeBanner } from "./quiet.ts";

import { silenceNodeBanner } from "./quiet.ts";
// The one thing importing the library does to tfjs: the `cpu` backend, whenever tfjs
// starts it, skips its "running in Node.js" banner (see silenceNodeBanner).
silenceNodeBanner();
