/**
 * Starting tfjs's WebAssembly module in Deno — single-threaded SIMD, or threaded SIMD
 * with real Deno workers — without editing anything in `node_modules`.
 *
 * Why this exists: Deno defines `process`, so the Emscripten glue inside
 * `@tensorflow/tfjs-backend-wasm` takes its Node.js path. On that path the threaded
 * build hands `node:worker_threads` a blob URL that Deno rejects, expects a synchronous
 * `importScripts` in each worker, and counts cores with `os.cpus()` (tfjs then caps the
 * pool at half of them). Here the glue's own source is evaluated once more in a scope
 * where the Node.js globals are hidden, `Worker` is a small shim over
 * `node:worker_threads` (module workers, `unref`'d so scripts can exit), and
 * `navigator.hardwareConcurrency` reports what the requested thread count needs.
 *
 * Private to `lib/backend`.
 *
 * @module
 */
import { Worker as NodeWorker } from "node:worker_threads";
import threadedGlue from "@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js";
import plainGlue, {
  type BackendWasmModule,
} from "@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.js";
import { evaluateWithoutNode } from "./_without_node.ts";
import { wasmWorkerContents } from "@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js";

/** Which of the package's three binaries. */
export type WasmFlavor = "threaded-simd" | "simd" | "plain";

/** File name of each binary inside the package's `dist/` folder. */
export const WASM_FILES: Readonly<Record<WasmFlavor, string>> = {
  "threaded-simd": "tfjs-backend-wasm-threaded-simd.wasm",
  "simd": "tfjs-backend-wasm-simd.wasm",
  "plain": "tfjs-backend-wasm.wasm",
};

/** A started WASM module and what was started. */
export interface WasmRuntime {
  module: BackendWasmModule;
  flavor: WasmFlavor;
  /** Threads the module was built for (1 unless `threaded-simd`). */
  threads: number;
  /** Where the binary was read from. */
  binaryUrl: string;
  /** Where tfjs's pool keeps its thread count, when recognised (threaded build). */
  poolField?: PoolField;
  /** The module's linear memory (shared in the threaded build). */
  memory: WebAssembly.Memory;
  /** Terminates the pthread workers (idempotent). */
  terminate(): void;
}

/** The memory an Emscripten module imports (threaded build) or exports (the others). */
function findMemory(
  imports: WebAssembly.Imports,
  instance: WebAssembly.Instance,
): WebAssembly.Memory | undefined {
  const candidates = [
    ...Object.values(instance.exports),
    ...Object.values(imports).flatMap((namespace) => Object.values(namespace)),
  ];
  return candidates.find((value) => value instanceof WebAssembly.Memory) as
    | WebAssembly.Memory
    | undefined;
}

/** Options of {@linkcode startWasmRuntime}. */
export interface StartWasmOptions {
  flavor: WasmFlavor;
  threads: number;
  /** Folder URL holding the `.wasm` files (with trailing slash). */
  wasmDir: string;
  /** Milliseconds to wait for the pthread workers to boot. */
  bootTimeoutMs: number;
}

/** The folder of the installed package's `.wasm` files, as a URL with trailing slash. */
export function defaultWasmDir(): string {
  return new URL("./", import.meta.resolve("@tensorflow/tfjs-backend-wasm")).href;
}

/** Whether this runtime validates a WebAssembly SIMD module (from wasm-feature-detect). */
export function simdSupported(): boolean {
  try {
    return WebAssembly.validate(
      new Uint8Array([
        0,
        97,
        115,
        109,
        1,
        0,
        0,
        0,
        1,
        4,
        1,
        96,
        0,
        0,
        3,
        2,
        1,
        0,
        10,
        9,
        1,
        7,
        0,
        65,
        0,
        253,
        15,
        26,
        11,
      ]),
    );
  } catch {
    return false;
  }
}

/** Whether shared memory and threads are available (SharedArrayBuffer + atomics). */
export function threadsSupported(): boolean {
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return typeof SharedArrayBuffer === "function" && typeof Atomics.wait === "function";
  } catch {
    return false;
  }
}

interface Compiled {
  module: WebAssembly.Module;
  /** Where the thread-count field of tfjs's pthreadpool lives (threaded build only). */
  poolField?: PoolField;
}

const compiled = new Map<string, Promise<Compiled>>();

async function readBinary(url: string): Promise<Uint8Array<ArrayBuffer>> {
  try {
    if (url.startsWith("file:")) return await Deno.readFile(new URL(url));
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    return new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Cannot load the WASM binary ${url}: ${reason}. ` +
        `Install the npm dependencies (\`deno install\`) so that @tensorflow/tfjs-backend-wasm ` +
        `is present, grant --allow-read to its folder, or pass \`wasmDir\` pointing at a folder ` +
        `that holds ${Object.values(WASM_FILES).join(", ")}.`,
    );
  }
}

function compile(url: string): Promise<Compiled> {
  let module = compiled.get(url);
  if (!module) {
    module = readBinary(url).then(async (bytes) => ({
      module: await WebAssembly.compile(bytes),
      poolField: findPoolField(bytes),
    }));
    compiled.set(url, module);
    module.catch(() => compiled.delete(url));
  }
  return module;
}

/**
 * The thread-count field of the pthreadpool tfjs creates: its pointer lives in a static
 * global (`tfjs::backend::threadpool`), the count at a fixed offset in the struct.
 */
interface PoolField {
  /** Address of the global that holds the pool pointer. */
  pointerAddress: number;
  /** Byte offset of `threads_count` inside the pool struct. */
  countOffset: number;
}

/**
 * Read {@linkcode PoolField} from the binary itself: the exported `get_threads_count` is
 * `p = load(GLOBAL); if (!p) return -1; return pthreadpool_get_threads_count(p)`, and
 * that callee is `return p ? load(p + OFFSET) : 1`. Returns `undefined` when the code
 * does not have that shape (another tfjs build), which turns the feature off.
 */
export function findPoolField(bytes: Uint8Array): PoolField | undefined {
  try {
    let pos = 8;
    const leb = (): number => {
      let result = 0;
      let shift = 0;
      for (;;) {
        if (pos >= bytes.length || shift > 35) throw new Error("truncated LEB128");
        const byte = bytes[pos++];
        result += (byte & 0x7f) * 2 ** shift;
        shift += 7;
        if (byte < 0x80) return result;
      }
    };
    const sections = new Map<number, number>();
    while (pos < bytes.length) {
      const id = bytes[pos++];
      const size = leb();
      if (!sections.has(id)) sections.set(id, pos);
      pos += size;
    }
    // Imported functions come first in the function index space.
    pos = sections.get(2)!;
    let importedFunctions = 0;
    for (let n = leb(); n > 0; n--) {
      const moduleName = leb(); // (`pos += leb()` would read pos before leb() moves it)
      pos += moduleName;
      const fieldName = leb();
      pos += fieldName;
      const kind = bytes[pos++];
      if (kind === 0) {
        leb();
        importedFunctions++;
      } else if (kind === 1) {
        pos++;
        const flags = leb();
        leb();
        if (flags & 1) leb();
      } else if (kind === 2) {
        const flags = leb();
        leb();
        if (flags & 1) leb();
      } else if (kind === 3) {
        pos += 2;
      } else {
        return undefined;
      }
    }
    pos = sections.get(7)!;
    let exported = -1;
    for (let n = leb(); n > 0; n--) {
      const length = leb();
      const name = new TextDecoder().decode(bytes.subarray(pos, pos + length));
      pos += length;
      const kind = bytes[pos++];
      const index = leb();
      if (kind === 0 && name === "get_threads_count") exported = index;
    }
    const body = (index: number): [number, number] => {
      pos = sections.get(10)!;
      const count = leb();
      for (let i = 0; i < count; i++) {
        const size = leb();
        if (i === index - importedFunctions) return [pos, pos + size];
        pos += size;
      }
      throw new Error("function not found");
    };
    // get_threads_count: (locals) i32.const GLOBAL; i32.load offset; … call CALLEE
    let [start, end] = body(exported);
    pos = start;
    for (let groups = leb(); groups > 0; groups--) {
      leb();
      pos++;
    }
    if (bytes[pos++] !== 0x41) return undefined;
    const global = leb();
    if (bytes[pos++] !== 0x28) return undefined;
    leb();
    const pointerAddress = global + leb();
    let callee = -1;
    for (let i = pos; i < end; i++) {
      if (bytes[i] === 0x10) {
        pos = i + 1;
        callee = leb();
      }
    }
    if (callee < 0) return undefined;
    // pthreadpool_get_threads_count: … local.get 0; i32.load offset=COUNT; end
    [start, end] = body(callee);
    for (let i = end - 1; i > start + 1; i--) {
      if (bytes[i - 2] === 0x20 && bytes[i - 1] === 0x00 && bytes[i] === 0x28) {
        pos = i + 1;
        leb();
        return { pointerAddress, countOffset: leb() };
      }
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/**
 * Switch tfjs's thread pool between parallel and sequential at run time.
 *
 * pthreadpool runs a job on the calling thread alone when its `threads_count` is ≤ 1,
 * and the workers stay parked meanwhile; so lowering the field to 1 and raising it back
 * is safe between (never during) kernels, which run one at a time on the main thread.
 * Used to keep small ops off the pool, where waking a worker costs more than the op.
 */
export interface PoolControl {
  /** Threads the pool was created with. */
  readonly threads: number;
  /** Set how many threads the next kernels may use (1 … `threads`). */
  use(threads: number): void;
}

function poolControl(module: BackendWasmModule, field: PoolField): PoolControl | undefined {
  const heap = () => new Int32Array((module as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer);
  const pool = heap()[field.pointerAddress >> 2];
  if (!pool) return undefined;
  const index = (pool + field.countOffset) >> 2;
  const threads = heap()[index];
  // The field must be what get_threads_count() reports, or this is not the right build.
  if (threads !== module.tfjs.getThreadsCount() || threads < 2) return undefined;
  return {
    threads,
    use(count: number) {
      Atomics.store(heap(), index, Math.max(1, Math.min(threads, count)));
    },
  };
}

/** What the kernels in `wasm_kernels.ts` read (through `_registry.ts`) to decide whether to use the pool. */
export interface ParallelPolicy {
  pool: PoolControl;
  /** Kernels estimated below this many flops run on the main thread alone. */
  minFlops: number;
}

/**
 * After tfjs created its thread pool (in `BackendWasm`'s constructor): a control for
 * it, or `undefined` when the binary's layout is not the one recognised (then the pool
 * simply always runs parallel, as in tfjs).
 */
export function controlPool(runtime: WasmRuntime): PoolControl | undefined {
  return runtime.poolField ? poolControl(runtime.module, runtime.poolField) : undefined;
}

type Factory = (config: Record<string, unknown>) => Promise<BackendWasmModule>;

/**
 * The glue's factory evaluated with Node.js globals hidden and `Worker` / `navigator`
 * replaced, so Emscripten takes its plain (non-Node) path.
 */
function evaluateFactory(
  source: string,
  worker: unknown,
  hardwareConcurrency: number,
): Factory {
  return evaluateWithoutNode(`return (${source});`, {
    importScripts: undefined,
    Worker: worker,
    navigator: { hardwareConcurrency },
  }) as Factory;
}

/** Bookkeeping shared by the worker shims of one runtime. */
interface PoolState {
  workers: Set<NodeWorker>;
  loaded: number;
  bootError?: string;
  onChange: () => void;
}

/**
 * A `Worker` class with the web API Emscripten's pthread code uses (`onmessage`,
 * `onerror`, `postMessage`, `terminate`), running our module boot script through
 * `node:worker_threads` so the worker can be `unref`'d.
 */
function workerShim(pool: PoolState, factorySource: string): unknown {
  const bootUrl = new URL("./_wasm_pthread_worker.ts", import.meta.url);
  return class DenoPthreadWorker {
    onmessage: ((event: { data: unknown }) => void) | null = null;
    onerror: ((error: unknown) => void) | null = null;
    #worker: NodeWorker;
    constructor(_scriptUrl: string) {
      this.#worker = new NodeWorker(bootUrl);
      this.#worker.unref();
      pool.workers.add(this.#worker);
      this.#worker.on("message", (data: { cmd?: string; text?: string }) => {
        if (data?.cmd === "tfjsDenoBootError") {
          pool.bootError = data.text;
          pool.onChange();
          return;
        }
        if (data?.cmd === "loaded") {
          pool.loaded++;
          pool.onChange();
        }
        this.onmessage?.({ data });
      });
      this.#worker.on("error", (error: unknown) => {
        pool.bootError ??= error instanceof Error ? error.message : String(error);
        pool.onChange();
        this.onerror?.(error);
      });
    }
    postMessage(message: { cmd?: string }, transfer?: Transferable[]): void {
      const data = message?.cmd === "load"
        ? {
          ...message,
          urlOrBlob: "deno:tfjs-backend-wasm-threaded-simd.js",
          factorySource,
          // As tfjs does before making its blob: the template literal holds raw newlines
          // inside string literals.
          workerSource: wasmWorkerContents.replace(/\n/g, "\\n"),
        }
        : message;
      this.#worker.postMessage(data, transfer as Parameters<NodeWorker["postMessage"]>[1]);
    }
    terminate(): void {
      pool.workers.delete(this.#worker);
      void this.#worker.terminate();
    }
  };
}

/**
 * Start one of tfjs's WASM binaries. For `threaded-simd`, resolves only once every
 * pthread worker has booted (or rejects after `bootTimeoutMs`), so that creating the
 * thread pool afterwards cannot block forever.
 */
export async function startWasmRuntime(options: StartWasmOptions): Promise<WasmRuntime> {
  const { flavor, threads, wasmDir, bootTimeoutMs } = options;
  const binaryUrl = new URL(WASM_FILES[flavor], wasmDir).href;
  const { module: wasmModule, poolField } = await compile(binaryUrl);
  const threaded = flavor === "threaded-simd";
  const glue = threaded ? threadedGlue : plainGlue;
  let factorySource = glue.toString();
  // Emscripten pre-starts 8 workers; start only as many as the pool will use.
  const poolSize = threaded ? threads : 0;
  factorySource = factorySource.replace(
    "var pthreadPoolSize=8;",
    `var pthreadPoolSize=${poolSize};`,
  );
  const expectedWorkers = factorySource.includes(`var pthreadPoolSize=${poolSize};`) ? poolSize : 8;

  const pool: PoolState = { workers: new Set(), loaded: 0, onChange: () => {} };
  const worker = threaded ? workerShim(pool, factorySource) : undefined;
  // tfjs's C++ uses hardwareConcurrency / 2 as the core count and caps threads by it.
  const factory = evaluateFactory(factorySource, worker, Math.max(2, threads * 2));

  const terminate = () => {
    for (const w of pool.workers) void w.terminate();
    pool.workers.clear();
  };
  let abortMessage: string | undefined;
  let memory: WebAssembly.Memory | undefined;
  const started = factory({
    instantiateWasm: (
      imports: WebAssembly.Imports,
      receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ) => {
      WebAssembly.instantiate(wasmModule, imports).then((instance) => {
        memory = findMemory(imports, instance);
        receive(instance, wasmModule);
      });
      return {};
    },
    locateFile: (path: string) => path,
    onAbort: (message: string) => abortMessage = message,
    print: () => {},
    // Emscripten warns that blocking the main thread is dangerous — true in browsers,
    // not in Deno, where the main thread may block (Atomics.wait) while workers compute.
    printErr: (text: string) => {
      // deno-lint-ignore no-console -- Emscripten's own error stream
      if (!text.includes("Blocking on the main thread")) console.warn(text);
    },
  });
  // The threaded glue resolves only after every pthread worker has loaded the module;
  // a worker that fails to boot would leave it pending forever, so wait with a deadline.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const failed = new Promise<never>((_, reject) => {
    const fail = () =>
      reject(
        new Error(
          `The threaded WASM backend did not start: ${pool.loaded} of ${expectedWorkers} ` +
            `pthread workers booted within ${bootTimeoutMs} ms` +
            (pool.bootError ? ` (worker error: ${pool.bootError})` : "") +
            `. Use \`threads: 1\` (single-threaded SIMD), or raise \`bootTimeoutMs\`.`,
        ),
      );
    if (threaded) {
      timer = setTimeout(fail, bootTimeoutMs);
      pool.onChange = () => {
        if (pool.bootError !== undefined) fail();
      };
    }
  });
  let module: BackendWasmModule;
  try {
    module = await Promise.race([started, failed]);
  } catch (error) {
    terminate();
    const reason = abortMessage ?? (error instanceof Error ? error.message : String(error));
    throw new Error(`Starting the ${flavor} WASM module from ${binaryUrl} failed: ${reason}`);
  } finally {
    clearTimeout(timer);
    pool.onChange = () => {};
  }
  if (threaded && pool.loaded < expectedWorkers) {
    terminate();
    throw new Error(
      `The threaded WASM backend started ${pool.loaded} of ${expectedWorkers} pthread workers. ` +
        `Use \`threads: 1\`.`,
    );
  }

  if (!memory) {
    terminate();
    throw new Error(`The ${flavor} WASM module from ${binaryUrl} has no linear memory.`);
  }
  // The same C entry points tfjs's own `init()` wraps.
  const cwrap = (module as unknown as { cwrap: (...a: unknown[]) => unknown }).cwrap;
  module.tfjs = {
    init: cwrap("init", null, []),
    initWithThreadsCount: cwrap("init_with_threads_count", null, ["number"]),
    getThreadsCount: cwrap("get_threads_count", "number", []),
    registerTensor: cwrap("register_tensor", null, ["number", "number", "number"]),
    disposeData: cwrap("dispose_data", null, ["number"]),
    dispose: cwrap("dispose", null, []),
  } as BackendWasmModule["tfjs"];
  return {
    module,
    flavor,
    threads: threaded ? threads : 1,
    binaryUrl,
    poolField: threaded ? poolField : undefined,
    memory,
    terminate,
  };
}
