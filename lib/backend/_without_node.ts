/**
 * Evaluating code from tfjs-backend-wasm's Emscripten glue so that it does not take its
 * Node.js path: Deno defines `process`, which Emscripten reads as "running in Node.js"
 * (and then reaches for `require`, `__filename`, `global`, …). Shared by
 * `_wasm_runtime.ts` (the main thread) and `_wasm_pthread_worker.ts` (each pthread).
 *
 * Private to `lib/backend`.
 *
 * @module
 */

/** What the glue inspects to tell Node.js from a browser: all hidden (undefined). */
const NODE_NAMES = [
  "process",
  "require",
  "__filename",
  "__dirname",
  "global",
  "window",
  "_scriptDir",
] as const;

/**
 * Run `body` as a function body in which the Node.js names are `undefined` and each of
 * `bindings` (e.g. `importScripts`, `Worker`) has the value given.
 *
 * @returns What `body` returns.
 */
export function evaluateWithoutNode(
  body: string,
  bindings: Record<string, unknown> = {},
): unknown {
  const names = [...new Set([...NODE_NAMES, ...Object.keys(bindings)])];
  return new Function(...names, body)(...names.map((name) => bindings[name]));
}
