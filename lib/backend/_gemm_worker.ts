/**
 * One extra thread of `_gemm.ts`: instantiates the matrix-product module on the shared
 * wasm memory, then waits for work in its control block and runs its share.
 *
 * Private to `lib/backend`; never imported, only started as a worker.
 *
 * @module
 */
import { parentPort } from "node:worker_threads";
import { ARGS, DONE, FAILED, SEQ, SPIN_MS, STOP } from "./_gemm_protocol.ts";

interface Start {
  bytes: Uint8Array<ArrayBuffer>;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  base: number;
}

type Exports = {
  packB(...args: number[]): void;
  gemm(...args: number[]): void;
};

parentPort!.once("message", async ({ bytes, memory, control, base }: Start) => {
  let exports: Exports;
  try {
    const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
    exports = instance.exports as unknown as Exports;
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
    return;
  }
  parentPort!.postMessage({ ready: true });
  const block = new Int32Array(control, base * 4);
  let seen = 0;
  for (;;) {
    // Poll for the next product for a moment, then sleep until notified.
    const until = performance.now() + SPIN_MS;
    while (Atomics.load(block, SEQ) === seen && performance.now() < until);
    let next = Atomics.load(block, SEQ);
    while (next === seen) {
      Atomics.wait(block, SEQ, seen);
      next = Atomics.load(block, SEQ);
    }
    seen = next;
    if (seen === STOP) break;
    const [pack, b, sbk, sbj, n, k, packed, p0, p1, a, sai, sak, c, row0, row1, scratch] = block
      .slice(ARGS, ARGS + 16);
    try {
      if (pack) exports.packB(b, sbk, sbj, n, k, packed, p0, p1);
      exports.gemm(a, sai, sak, packed, c, n, k, row0, row1, p0, p1, scratch);
      Atomics.store(block, FAILED, 0);
    } catch (error) {
      // deno-lint-ignore no-console -- the main thread reports the failure
      console.error("matrix-product worker:", error);
      Atomics.store(block, FAILED, 1);
    }
    Atomics.store(block, DONE, seen);
    Atomics.notify(block, DONE);
  }
  // Told to stop: return to the event loop, where `terminate()` ends the worker.
});
