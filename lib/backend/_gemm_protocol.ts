/**
 * The control block shared by `_gemm.ts` (the main thread) and `_gemm_worker.ts` (each
 * extra thread): one block of {@linkcode BLOCK} Int32s per worker in a
 * `SharedArrayBuffer`. The main thread writes the arguments from {@linkcode ARGS} on,
 * then a new sequence number into {@linkcode SEQ}; the worker runs its share and writes
 * that number into {@linkcode DONE}. Kept apart so workers load nothing else.
 *
 * Private to `lib/backend`.
 *
 * @module
 */

/** Slot of the sequence number of the product to run (or {@linkcode STOP}). */
export const SEQ = 0;
/** Slot of the sequence number of the last product done. */
export const DONE = 1;
/** Slot set to 1 when the worker's share threw. */
export const FAILED = 2;
/** First of the 16 argument slots. */
export const ARGS = 3;
/** Written into a worker's SEQ slot to make it leave its loop. */
export const STOP = -1;
/** Int32s per control block: 128 bytes, so two workers never share a cache line. */
export const BLOCK = 32;
/**
 * How long a thread polls before it sleeps: the main thread waiting for a worker, and a
 * worker waiting for the next product (a training step issues its products within a
 * fraction of a millisecond). Short enough not to steal a busy machine's cores for long.
 */
export const SPIN_MS = 0.2;
