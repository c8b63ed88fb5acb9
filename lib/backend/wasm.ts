/**
 * The WebAssembly backend in Deno: single-threaded SIMD or multi-threaded SIMD, with the
 * `.wasm` files taken from the installed npm package and the training kernels tfjs's
 * WASM backend lacks registered on top.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
// Type only: importing the package registers "wasm" as tfjs's highest-priority backend, so
// every tensor made before selectBackend() would fail with "backend 'wasm' has not yet been
// initialized". useWasm() imports it when it is asked for.
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import {
  controlPool,
  defaultWasmDir,
  type ParallelPolicy,
  simdSupported,
  startWasmRuntime,
  threadsSupported,
  type WasmFlavor,
  type WasmRuntime,
} from "./_wasm_runtime.ts";
import { registerWasmTrainingKernels } from "./wasm_kernels.ts";
import { setWasmBackendState } from "./_registry.ts";
import { gemmSupported, WasmMatMul } from "./_gemm.ts";
import { silenceNodeBanner } from "./quiet.ts";

/**
 * Matrix products on the FMA kernel stay on one thread below this many flops (unless
 * `minParallelFlops` is 0). Measured on 2 cores: inside a training step the second
 * thread computes its share about 2× slower (the operands sit in the first core's
 * caches) and starts late, so products of a few tens of MFLOP gained nothing; the lesson
 * MLP trained 15–20 % faster with them on one thread, and 1024² products still split.
 */
export const MIN_PARALLEL_PRODUCT_FLOPS = 64_000_000;

/** tfjs's C++ never uses more threads than this (`max_num_threads` in its backend.cc). */
export const MAX_WASM_THREADS = 8;

/** Options of {@linkcode useWasm}. */
export interface UseWasmOptions {
  /**
   * Threads for the WASM thread pool: 1 runs the single-threaded SIMD build without
   * workers; more runs the threaded-SIMD build with `threads` pthreads (at most 8).
   * @default {navigator.hardwareConcurrency}
   */
  threads?: number;
  /**
   * Folder (URL or absolute path) holding tfjs's `.wasm` files.
   * @default {the `dist/` folder of the installed `@tensorflow/tfjs-backend-wasm`}
   */
  wasmDir?: string | URL;
  /**
   * How long to wait for the pthread workers to boot before giving up, in ms.
   * @default {20000}
   */
  bootTimeoutMs?: number;
  /**
   * With threads: kernels estimated below this many floating-point operations run on
   * the main thread alone — waking the pool costs more than they do (tens of µs on an
   * idle machine, milliseconds on a busy one). Matrix products on the FMA kernel use at
   * least {@linkcode MIN_PARALLEL_PRODUCT_FLOPS}. `0` puts every kernel and product on
   * all threads, as tfjs does.
   * @default {4_000_000}
   */
  minParallelFlops?: number;
  /**
   * What runs float32 matrix products: `"fma"`, the library's kernel with fused
   * multiply-adds (WebAssembly relaxed SIMD; about 1.3× XNNPACK on one thread here, and
   * its own threads), or `"xnnpack"`, tfjs's own. `"fma"` falls back to `"xnnpack"`, with
   * a note, where the runtime lacks relaxed SIMD.
   * @default {"fma"}
   */
  matmul?: "fma" | "xnnpack";
}

/** What {@linkcode useWasm} started. */
export interface WasmInfo {
  /** Whether the SIMD build runs. */
  simd: boolean;
  /** Threads in tfjs's pool, as reported by the module itself. */
  threads: number;
  /** The binary that runs: `threaded-simd`, `simd` or `plain`. */
  flavor: WasmFlavor;
  /** URL of the `.wasm` file that was loaded. */
  binaryUrl: string;
  /** Notes for the report (e.g. a thread count that was capped). */
  notes: string[];
  /** Whether small kernels are kept off the thread pool (see `minParallelFlops`). */
  adaptiveThreads: boolean;
  /**
   * What runs matrix products (`matMul`, Dense layers and their gradients): `"fma"`, the
   * library's relaxed-SIMD kernel with fused multiply-adds (see `_gemm.ts`), or
   * `"xnnpack"`, tfjs's own, where this runtime lacks relaxed SIMD.
   */
  matmul: "fma" | "xnnpack";
}

interface ActiveWasm {
  key: string;
  runtime: WasmRuntime;
  info: WasmInfo;
  backend: BackendWasm;
}

let active: ActiveWasm | undefined;

/** The logical cores this process may use (`navigator.hardwareConcurrency`, at least 1). */
export function availableCores(): number {
  const cores = globalThis.navigator?.hardwareConcurrency;
  return typeof cores === "number" && cores >= 1 ? Math.floor(cores) : 1;
}

/**
 * Check a requested thread count and say what to do when it is wrong.
 *
 * @param threads The value to check.
 * @returns The count itself.
 * @throws {RangeError} When `threads` is not a whole number ≥ 1.
 * @example
 * ```ts
 * import { validateThreads } from "@lib/backend/wasm.ts";
 * validateThreads(4); // 4
 * ```
 */
export function validateThreads(threads: unknown): number {
  if (typeof threads !== "number" || !Number.isInteger(threads) || threads < 1) {
    throw new RangeError(
      `Invalid thread count ${Deno.inspect(threads)}: it must be a whole number ≥ 1. ` +
        `Pass e.g. \`threads: ${availableCores()}\` (the cores available here), or 1 for ` +
        `single-threaded WASM.`,
    );
  }
  return threads;
}

/** Remove the `wasm` backend registration (and dispose its instance) if there is one. */
function unregisterWasm(): void {
  if ("wasm" in tf.engine().registryFactory) tf.removeBackend("wasm");
}

function toDirUrl(dir: string | URL): string {
  if (dir instanceof URL) return dir.href.endsWith("/") ? dir.href : `${dir.href}/`;
  const url = /^[a-z][a-z0-9+.-]*:/i.test(dir) && !/^[a-z]:[\\/]/i.test(dir)
    ? new URL(dir)
    : new URL(`file://${dir.startsWith("/") ? "" : "/"}${dir.replaceAll("\\", "/")}`);
  return url.href.endsWith("/") ? url.href : `${url.href}/`;
}

/**
 * Make tfjs's `wasm` backend the active one, started the Deno way (see module docs):
 * SIMD when the runtime validates it, threads as asked, training kernels added.
 *
 * Calling it again with the same settings keeps the running backend; with other
 * settings it starts a new module first and only then replaces the old one (tensors
 * held on the old `wasm` backend are released). On any failure the previously active
 * backend stays active and usable.
 *
 * @param options Threads, `.wasm` folder, boot timeout.
 * @returns What runs: SIMD, threads, binary.
 * @throws {RangeError} For a thread count that is not a whole number ≥ 1.
 * @throws {Error} When the `.wasm` files are missing or the workers do not boot.
 * @example
 * ```ts
 * import { useWasm } from "@lib";
 * const info = await useWasm({ threads: 1 });
 * console.log(info.simd, info.threads); // true 1
 * ```
 */
export async function useWasm(options: UseWasmOptions = {}): Promise<WasmInfo> {
  const {
    threads: requested = availableCores(),
    wasmDir = defaultWasmDir(),
    bootTimeoutMs = 20000,
    minParallelFlops = 4_000_000,
    matmul: matmulWanted = "fma",
  } = options;
  if (matmulWanted !== "fma" && matmulWanted !== "xnnpack") {
    throw new RangeError(
      `Invalid matmul ${Deno.inspect(matmulWanted)}: use "fma" (the default) or "xnnpack".`,
    );
  }
  validateThreads(requested);
  const notes: string[] = [];
  let threads = requested;
  if (threads > MAX_WASM_THREADS) {
    notes.push(
      `asked for ${requested} threads; tfjs's WASM build uses at most ${MAX_WASM_THREADS}`,
    );
    threads = MAX_WASM_THREADS;
  }
  const simd = simdSupported();
  let flavor: WasmFlavor = simd ? "simd" : "plain";
  if (threads > 1) {
    if (simd && threadsSupported()) {
      flavor = "threaded-simd";
    } else {
      notes.push(`threads need SIMD and shared memory, which this runtime lacks; using 1 thread`);
      threads = 1;
    }
  }
  const dir = toDirUrl(wasmDir);
  const key = `${flavor}|${threads}|${dir}|${minParallelFlops}|${matmulWanted}`;
  silenceNodeBanner();
  if (active?.key === key && tf.engine().registry.wasm === active.backend) {
    if (tf.getBackend() !== "wasm") await tf.setBackend("wasm");
    return active.info;
  }

  const previous = tf.getBackend() as string | undefined;
  const { BackendWasm, setThreadsCount } = await import("@tensorflow/tfjs-backend-wasm");
  const runtime = await startWasmRuntime({ flavor, threads, wasmDir: dir, bootTimeoutMs });
  let backend: BackendWasm | undefined;
  unregisterWasm();
  tf.registerBackend("wasm", () => {
    setThreadsCount(threads);
    backend = new BackendWasm(runtime.module);
    return backend;
  }, 2);
  registerWasmTrainingKernels();
  const ok = await tf.setBackend("wasm");
  if (!ok || backend === undefined) {
    runtime.terminate();
    unregisterWasm();
    active = undefined;
    if (previous && previous !== "wasm") await tf.setBackend(previous);
    throw new Error(
      `The WASM module started but tfjs could not make it a backend. ` +
        `Use \`prefer: "cpu"\` meanwhile and report this with the output of \`deno --version\`.`,
    );
  }
  const poolThreads = runtime.module.tfjs.getThreadsCount();
  const pool = controlPool(runtime);
  let parallel: ParallelPolicy | undefined;
  if (pool && minParallelFlops > 0) {
    pool.use(1);
    parallel = { pool, minFlops: minParallelFlops };
  } else if (flavor === "threaded-simd" && !pool) {
    notes.push("every kernel uses the thread pool (pool layout not recognised in this build)");
  }
  const shared = runtime.memory.buffer instanceof SharedArrayBuffer;
  let matmul: WasmMatMul | undefined;
  if (matmulWanted === "xnnpack") {
    // as asked
  } else if (gemmSupported(shared)) {
    const emscripten = runtime.module as unknown as {
      _malloc(bytes: number): number;
      _free(pointer: number): void;
    };
    try {
      matmul = await WasmMatMul.start(
        {
          memory: runtime.memory,
          malloc: (bytes) => emscripten._malloc(bytes) >>> 0,
          free: (pointer) => emscripten._free(pointer),
        },
        poolThreads,
        bootTimeoutMs,
        minParallelFlops === 0 ? 0 : Math.max(minParallelFlops, MIN_PARALLEL_PRODUCT_FLOPS),
      );
      const terminate = runtime.terminate;
      runtime.terminate = () => {
        matmul?.terminate();
        terminate();
      };
    } catch (error) {
      notes.push(
        `matrix products run on XNNPACK: the FMA kernel did not start (${
          error instanceof Error ? error.message : String(error)
        })`,
      );
    }
  } else {
    notes.push("matrix products run on XNNPACK: this runtime lacks WebAssembly relaxed SIMD");
  }
  setWasmBackendState(backend, { parallel, matmul });
  const info: WasmInfo = {
    simd: flavor !== "plain",
    threads: poolThreads,
    flavor,
    binaryUrl: runtime.binaryUrl,
    notes,
    adaptiveThreads: pool !== undefined && minParallelFlops > 0,
    matmul: matmul ? "fma" : "xnnpack",
  };
  active?.runtime.terminate();
  active = { key, runtime, info, backend };
  return info;
}

/**
 * Release the WASM backend and its pthread workers (a later {@linkcode useWasm} starts
 * a fresh one). Switches to `cpu` first when `wasm` is active. Scripts do not need
 * this to exit — the workers never keep Deno alive — but tests and benchmarks use it to
 * free memory between configurations.
 *
 * @example
 * ```ts
 * import { releaseWasm, useWasm } from "@lib";
 * await useWasm({ threads: 1 });
 * await releaseWasm();
 * ```
 */
export async function releaseWasm(): Promise<void> {
  if (tf.getBackend() === "wasm") await tf.setBackend("cpu");
  unregisterWasm();
  active?.runtime.terminate();
  active = undefined;
}
