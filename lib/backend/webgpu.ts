/**
 * The WebGPU backend in Deno: adapter discovery (real GPUs first, software adapters
 * only when asked) and a clear error instead of tfjs's cryptic `clearRect` failure when
 * something reads a GPU tensor synchronously.
 *
 * Deno has `navigator.gpu`, but only asynchronous buffer mapping: tfjs's synchronous
 * read path draws through an `OffscreenCanvas` 2D context that Deno does not have, so
 * `dataSync()`, `arraySync()` and `bufferSync()` cannot work on WebGPU here. Values read
 * once with `await tensor.data()` are cached and then read synchronously fine. Use the
 * async reads (`await t.data()`, `await t.array()`); `model.fit`, `evaluate` and
 * `predict` already do.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** What {@linkcode probeWebGpu} found. */
export interface WebGpuProbe {
  /** The adapter, or `null` when none can be used. */
  adapter: GPUAdapter | null;
  /** Adapter description, e.g. `"NVIDIA H100"` or `"llvmpipe (LLVM 15.0.6, 256 bits)"`. */
  description: string | null;
  /** Whether the adapter is a software/fallback one (lavapipe, SwiftShader, WARP). */
  software: boolean;
  /** Why no adapter can be used (`null` when one can). */
  reason: string | null;
}

/** Options of {@linkcode probeWebGpu} and {@linkcode useWebGpu}. */
export interface WebGpuOptions {
  /**
   * Accept a software/fallback adapter (e.g. Mesa's lavapipe on a machine without a GPU).
   * Software adapters are usually slower than WASM, hence off by default.
   * @default {false}
   */
  allowSoftwareAdapter?: boolean;
}

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|software|microsoft basic render|warp/i;

function describe(info: GPUAdapterInfo | undefined): string {
  if (!info) return "unknown adapter";
  const parts = [info.description, info.vendor && `vendor ${info.vendor}`, info.architecture]
    .filter((p) => typeof p === "string" && p.length > 0);
  return parts.length > 0 ? parts.join(", ") : "unknown adapter";
}

function isSoftware(info: GPUAdapterInfo | undefined): boolean {
  if (!info) return false;
  const fallback = (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return fallback === true || SOFTWARE.test(`${info.description} ${info.device}`);
}

let runtimeDirChecked = false;

/**
 * Mesa's Vulkan drivers print "XDG_RUNTIME_DIR is invalid or not set" on every adapter
 * request when that variable is missing (headless machines, containers, CI). Point it
 * at a fresh private temporary folder, once, when the permissions allow; otherwise
 * leave everything as is (the message is harmless).
 */
function ensureRuntimeDir(): void {
  if (runtimeDirChecked || Deno.build.os !== "linux") return;
  runtimeDirChecked = true;
  try {
    const env = Deno.permissions.querySync({ name: "env", variable: "XDG_RUNTIME_DIR" });
    const write = Deno.permissions.querySync({ name: "write" });
    if (env.state !== "granted" || write.state !== "granted") return;
    if (Deno.env.get("XDG_RUNTIME_DIR")) return;
    Deno.env.set("XDG_RUNTIME_DIR", Deno.makeTempDirSync({ prefix: "xdg-runtime-" }));
  } catch {
    // Not allowed or not possible: Mesa only prints a warning.
  }
}

/**
 * Look for a WebGPU adapter without touching tfjs: a real (hardware) adapter first,
 * then — only with `allowSoftwareAdapter` — a software one. On Linux, when
 * `XDG_RUNTIME_DIR` is unset and env/write permissions are granted, sets it to a new
 * private temporary folder first, which silences Mesa's warning about it.
 *
 * @param options `allowSoftwareAdapter`.
 * @returns The adapter and its description, or the reason there is none.
 * @example
 * ```ts
 * import { probeWebGpu } from "@lib";
 * const probe = await probeWebGpu({ allowSoftwareAdapter: true });
 * console.log(probe.description ?? probe.reason);
 * ```
 */
export async function probeWebGpu(options: WebGpuOptions = {}): Promise<WebGpuProbe> {
  const { allowSoftwareAdapter = false } = options;
  const gpu = (globalThis.navigator as Navigator & { gpu?: GPU }).gpu;
  const unavailable = (reason: string): WebGpuProbe => ({
    adapter: null,
    description: null,
    software: false,
    reason,
  });
  if (!gpu) return unavailable("navigator.gpu is not available in this runtime");
  ensureRuntimeDir();
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return unavailable(`navigator.gpu.requestAdapter() failed: ${message}`);
  }
  if (!adapter) {
    return unavailable("no GPU adapter found (navigator.gpu.requestAdapter() returned null)");
  }
  const description = describe(adapter.info);
  const software = isSoftware(adapter.info);
  if (software && !allowSoftwareAdapter) {
    return {
      adapter: null,
      description,
      software,
      reason: `only a software adapter is available (${description}); ` +
        `pass allowSoftwareAdapter: true to use it`,
    };
  }
  return { adapter, description, software, reason: null };
}

/** Message of the error a synchronous read on WebGPU throws. */
export const SYNC_READ_MESSAGE =
  "Cannot read a WebGPU tensor synchronously in Deno (dataSync(), arraySync(), bufferSync(), " +
  "or an op that needs the values on the CPU): Deno's WebGPU maps buffers asynchronously only, " +
  "and tfjs's synchronous path needs a 2D OffscreenCanvas that Deno lacks. " +
  "Read with `await tensor.data()` or `await tensor.array()` instead, " +
  'or choose another backend: `await selectBackend({ prefer: "wasm" })`.';

interface ReadableBackend {
  readSync(dataId: object): unknown;
  tensorMap: { get(dataId: object): { values?: unknown; dtype?: string } | undefined };
}

/**
 * Replace a WebGPU backend's `readSync` with one that returns values already on the CPU
 * and otherwise throws {@linkcode SYNC_READ_MESSAGE} (instead of tfjs's `clearRect`).
 */
function guardSyncReads(backend: ReadableBackend): void {
  const original = backend.readSync.bind(backend);
  backend.readSync = (dataId: object) => {
    const data = backend.tensorMap.get(dataId);
    if (data && (data.values !== undefined && data.values !== null || data.dtype === "string")) {
      return original(dataId);
    }
    throw new Error(SYNC_READ_MESSAGE);
  };
}

let active: { backend: tf.KernelBackend; description: string } | undefined;

/** What {@linkcode useWebGpu} started. */
export interface WebGpuInfo {
  description: string;
  software: boolean;
}

/**
 * Make tfjs's `webgpu` backend the active one, on the adapter {@linkcode probeWebGpu}
 * finds. On failure the previously active backend stays active.
 *
 * @param options `allowSoftwareAdapter`.
 * @returns The adapter description and whether it is a software one.
 * @throws {Error} When no usable adapter exists, naming the fix.
 * @example
 * ```ts ignore
 * import { useWebGpu } from "@lib";
 * const gpu = await useWebGpu();
 * console.log(gpu.description);
 * ```
 */
export async function useWebGpu(options: WebGpuOptions = {}): Promise<WebGpuInfo> {
  const probe = await probeWebGpu(options);
  if (!probe.adapter) {
    throw new Error(
      `Cannot use backend "webgpu": ${probe.reason}. ` +
        `Use "wasm" or "cpu"` +
        (probe.software ? `, or pass allowSoftwareAdapter: true.` : `.`),
    );
  }
  const adapter = probe.adapter;
  // Keep a running backend on the same adapter (and the tensors it holds).
  if (
    active && active.description === probe.description &&
    tf.engine().registry.webgpu === active.backend
  ) {
    if (tf.getBackend() !== "webgpu") await tf.setBackend("webgpu");
    return { description: active.description, software: probe.software };
  }
  const { WebGPUBackend } = await import("@tensorflow/tfjs-backend-webgpu");
  const previous = tf.getBackend() as string | undefined;
  if ("webgpu" in tf.engine().registryFactory) tf.removeBackend("webgpu");
  let failure: unknown;
  tf.registerBackend("webgpu", async () => {
    try {
      // The same device request tfjs's own factory makes.
      const limits = adapter.limits;
      const requiredFeatures: GPUFeatureName[] = [];
      if (adapter.features.has("timestamp-query")) requiredFeatures.push("timestamp-query");
      if (adapter.features.has("bgra8unorm-storage")) requiredFeatures.push("bgra8unorm-storage");
      const device = await adapter.requestDevice({
        requiredFeatures,
        requiredLimits: {
          maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
          maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
          maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
          maxBufferSize: limits.maxBufferSize,
          maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
          maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
        },
      });
      const backend = new WebGPUBackend(device, adapter.info);
      guardSyncReads(backend as unknown as ReadableBackend);
      active = { backend, description: probe.description ?? "unknown adapter" };
      return backend;
    } catch (error) {
      failure = error;
      throw error;
    }
  }, 3);
  const ok = await tf.setBackend("webgpu");
  if (!ok) {
    if (previous && previous !== "webgpu") await tf.setBackend(previous);
    const reason = failure instanceof Error ? failure.message : String(failure ?? "unknown");
    throw new Error(
      `Cannot use backend "webgpu": starting it on ${probe.description} failed (${reason}). ` +
        `Use "wasm" or "cpu".`,
    );
  }
  return { description: probe.description ?? "unknown adapter", software: probe.software };
}
