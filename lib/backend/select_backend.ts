/**
 * `selectBackend`: the one way lessons choose where tfjs computes — a GPU through
 * WebGPU, otherwise WebAssembly with SIMD and threads, and `cpu` only as a last resort.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  type BackendAttempt,
  type BackendName,
  BackendReport,
  type BackendReportData,
} from "./backend_report.ts";
import { registerCpuTrainingKernels } from "./cpu_kernels.ts";
import { silenceNodeBanner } from "./quiet.ts";
import { availableCores, MIN_PARALLEL_PRODUCT_FLOPS, useWasm, validateThreads } from "./wasm.ts";
import { probeWebGpu, useWebGpu } from "./webgpu.ts";

/** The backends, fastest first — the default `order`. */
export const DEFAULT_ORDER: readonly BackendName[] = ["webgpu", "wasm", "cpu"];

const PREFERENCES = ["auto", "webgpu", "wasm", "cpu"] as const;

/** Options of {@linkcode selectBackend}. */
export interface SelectBackendOptions {
  /**
   * `"auto"` tries `order` and takes the first backend that works; a backend name uses
   * exactly that backend or throws (the previous backend then stays active).
   * @default {"auto"}
   */
  prefer?: "auto" | BackendName;
  /**
   * Threads for the `wasm` backend (1 = single-threaded SIMD, no workers).
   * @default {navigator.hardwareConcurrency}
   */
  threads?: number;
  /**
   * The order `"auto"` tries backends in.
   * @default {["webgpu", "wasm", "cpu"]}
   */
  order?: BackendName[];
  /**
   * Let WebGPU run on a software adapter (lavapipe, SwiftShader) — slower than WASM on
   * most machines, useful for testing WebGPU code without a GPU.
   * @default {false}
   */
  allowSoftwareAdapter?: boolean;
  /**
   * Folder (URL or path) holding tfjs's `.wasm` files.
   * @default {the installed @tensorflow/tfjs-backend-wasm's dist/ folder}
   */
  wasmDir?: string | URL;
  /**
   * Milliseconds to wait for WASM pthread workers to boot.
   * @default {20000}
   */
  bootTimeoutMs?: number;
  /**
   * With WASM threads, kernels estimated below this many floating-point operations run
   * on one thread (waking the pool costs more); `0` sends every kernel to the pool.
   * @default {4_000_000}
   */
  minParallelFlops?: number;
  /**
   * On WASM, what runs float32 matrix products: the library's fused multiply-add kernel
   * (`"fma"`) or tfjs's XNNPACK (`"xnnpack"`); see `useWasm`.
   * @default {"fma"}
   */
  matmul?: "fma" | "xnnpack";
}

function checkBackendName(value: unknown, where: string): BackendName {
  if (typeof value !== "string" || !(DEFAULT_ORDER as readonly string[]).includes(value)) {
    throw new Error(
      `Unknown backend ${Deno.inspect(value)} in \`${where}\`. ` +
        `Use one of ${DEFAULT_ORDER.map((b) => `"${b}"`).join(", ")}` +
        (where === "prefer" ? `, or "auto".` : `.`),
    );
  }
  return value as BackendName;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Choose and start the fastest tfjs backend this machine offers, and say why.
 *
 * Introduced in lesson 00 (setup); every lesson's setup cell calls it.
 *
 * `"auto"` tries WebGPU (a hardware adapter; a software one only with
 * `allowSoftwareAdapter`), then WASM (SIMD, `threads` threads, training kernels added),
 * then `cpu`. Nothing changes backend at import time; only this call does. Also
 * silences tfjs's "running in Node.js" banner.
 *
 * @param options Preference, threads, order, software-adapter policy.
 * @returns A {@linkcode BackendReport}; `await show(report)` renders it in a notebook.
 * @throws {Error} For an unknown backend name, a thread count that is not a whole
 *   number ≥ 1, or when the backend asked for by name cannot start — the previously
 *   active backend stays active and usable.
 * @example
 * ```ts
 * import { selectBackend } from "@lib";
 * const report = await selectBackend({ prefer: "wasm", threads: 1 });
 * console.log(report.backend); // "wasm"
 * ```
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendReport> {
  const started = performance.now();
  const {
    prefer = "auto",
    threads,
    order = [...DEFAULT_ORDER],
    allowSoftwareAdapter = false,
    wasmDir,
    bootTimeoutMs,
    minParallelFlops,
    matmul,
  } = options;
  if (!(PREFERENCES as readonly unknown[]).includes(prefer)) checkBackendName(prefer, "prefer");
  if (!Array.isArray(order) || order.length === 0) {
    throw new Error(
      `Invalid \`order\` ${Deno.inspect(order)}: give a non-empty list such as ` +
        `["webgpu", "wasm", "cpu"].`,
    );
  }
  order.forEach((name) => checkBackendName(name, "order"));
  if (threads !== undefined) validateThreads(threads);
  silenceNodeBanner();

  const candidates: BackendName[] = prefer === "auto" ? [...new Set(order)] : [prefer];
  const attempts: BackendAttempt[] = [];
  const data: Omit<BackendReportData, "attempts" | "elapsedMs" | "backend"> = {
    simd: null,
    threads: null,
    adapter: null,
    tfjsVersion: tf.version_core,
    notes: [],
  };
  let chosen: BackendName | undefined;
  let lastError: unknown;
  for (const name of candidates) {
    try {
      if (name === "webgpu") {
        if (prefer === "auto") {
          const probe = await probeWebGpu({ allowSoftwareAdapter });
          if (!probe.adapter) {
            attempts.push({ backend: name, outcome: "skipped", reason: probe.reason ?? "" });
            continue;
          }
        }
        const gpu = await useWebGpu({ allowSoftwareAdapter });
        data.adapter = gpu.description;
        attempts.push({
          backend: name,
          outcome: "chosen",
          reason: `${gpu.software ? "software" : "hardware"} adapter: ${gpu.description}`,
        });
      } else if (name === "wasm") {
        let wasm;
        try {
          wasm = await useWasm({ threads, wasmDir, bootTimeoutMs, minParallelFlops, matmul });
        } catch (error) {
          // In "auto", threads that do not start are no reason to drop to `cpu`.
          const requested = threads ?? availableCores();
          if (prefer !== "auto" || requested <= 1 || error instanceof RangeError) throw error;
          wasm = await useWasm({
            threads: 1,
            wasmDir,
            bootTimeoutMs,
            minParallelFlops,
            matmul,
          });
          data.notes.push(`${requested} threads failed (${reasonOf(error)}); running 1 thread`);
        }
        data.simd = wasm.simd;
        data.threads = wasm.threads;
        data.notes.push(
          ...wasm.notes,
          `wasm binary: ${wasm.binaryUrl.split("/").pop()}`,
          wasm.matmul === "fma"
            ? "matrix products: the library's fused multiply-add kernel (WebAssembly relaxed SIMD)"
            : "matrix products: tfjs's XNNPACK",
        );
        if (wasm.adaptiveThreads) {
          const mflop = (flops: number) => (flops / 1e6).toLocaleString("en-US");
          const kernelFlops = minParallelFlops ?? 4_000_000;
          data.notes.push(
            `kernels under ${mflop(kernelFlops)} MFLOP` +
              (wasm.matmul === "fma"
                ? `, and matrix products under ${
                  mflop(Math.max(kernelFlops, MIN_PARALLEL_PRODUCT_FLOPS))
                } MFLOP,`
                : "") +
              " run on one thread (minParallelFlops)",
          );
        }
        attempts.push({
          backend: name,
          outcome: "chosen",
          reason: `${wasm.flavor} build, ${wasm.threads} of ${availableCores()} cores`,
        });
      } else {
        registerCpuTrainingKernels();
        if (!(await tf.setBackend("cpu"))) throw new Error('tf.setBackend("cpu") failed');
        data.threads = 1;
        attempts.push({
          backend: name,
          outcome: "chosen",
          reason: prefer === "cpu" ? "asked for by name" : "fallback: plain JavaScript",
        });
      }
      chosen = name;
      break;
    } catch (error) {
      lastError = error;
      attempts.push({ backend: name, outcome: "failed", reason: reasonOf(error) });
      if (prefer !== "auto") throw error;
    }
  }
  if (chosen === undefined) {
    throw new Error(
      `No backend could start (tried ${candidates.join(", ")}): ${reasonOf(lastError)}. ` +
        `Add "cpu" to \`order\`.`,
    );
  }
  for (const name of DEFAULT_ORDER) {
    if (!attempts.some((a) => a.backend === name)) {
      attempts.push({
        backend: name,
        outcome: "not tried",
        reason: prefer === "auto"
          ? (order.includes(name) ? `${chosen} came first` : "not in `order`")
          : `prefer: "${prefer}"`,
      });
    }
  }
  return new BackendReport({
    ...data,
    backend: chosen,
    attempts,
    elapsedMs: performance.now() - started,
  });
}
