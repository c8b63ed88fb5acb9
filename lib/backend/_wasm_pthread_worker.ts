/**
 * Boot script of one WASM pthread (a Deno worker started by `_wasm_runtime.ts`).
 *
 * tfjs ships an Emscripten pthread script (`wasmWorkerContents`) written for browsers'
 * classic workers: it calls a synchronous `importScripts()` and, because Deno defines
 * `process`, would take Emscripten's Node.js path (`require("worker_threads")`). Deno
 * has module workers only, so this module does what a classic worker would have done:
 * it evaluates the Emscripten glue and tfjs's pthread script in a scope where `process`
 * and `require` are hidden and `importScripts` is a no-op (the glue is already
 * evaluated), then replays the messages that arrived while it booted.
 *
 * Private to `lib/backend`; never imported, only started as a worker.
 *
 * @module
 */
import { evaluateWithoutNode } from "./_without_node.ts";

/** The `load` message Emscripten sends, plus the two sources the shim adds. */
interface LoadMessage {
  cmd: "load";
  urlOrBlob: string;
  factorySource: string;
  workerSource: string;
  [key: string]: unknown;
}

type Handler = (event: { data: unknown }) => void;

const scope = globalThis as unknown as Record<string, unknown>;
const queued: { data: unknown }[] = [];
let booted = false;

function isLoad(data: unknown): data is LoadMessage {
  return typeof data === "object" && data !== null &&
    (data as { cmd?: unknown }).cmd === "load" &&
    typeof (data as { factorySource?: unknown }).factorySource === "string";
}

function boot(message: LoadMessage): void {
  const noop = () => {};
  // Workers started through `node:worker_threads` have no `self` / `location`; the
  // glue's web-worker path reads both.
  scope.self ??= globalThis;
  scope.location ??= { href: import.meta.url };
  // The glue, as a factory function, with Node.js globals hidden: Emscripten then takes
  // its web-worker path (ENVIRONMENT_IS_WORKER because `importScripts` is a function).
  scope.WasmBackendModuleThreadedSimd = evaluateWithoutNode(
    `return (${message.factorySource});`,
    { importScripts: noop },
  );
  // tfjs's pthread script: installs `self.onmessage` and `self.startWorker`.
  evaluateWithoutNode(message.workerSource, { importScripts: noop });
  const handler = scope.onmessage as Handler;
  booted = true;
  scope.onmessage = (event: MessageEvent) => handler({ data: event.data });
  handler({ data: { ...message, factorySource: undefined, workerSource: undefined } });
  for (const event of queued.splice(0)) handler(event);
}

scope.onmessage = (event: MessageEvent) => {
  if (booted) return;
  if (isLoad(event.data)) {
    try {
      boot(event.data);
    } catch (error) {
      (scope.postMessage as (m: unknown) => void)({
        cmd: "tfjsDenoBootError",
        text: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
  } else {
    queued.push({ data: event.data });
  }
};
