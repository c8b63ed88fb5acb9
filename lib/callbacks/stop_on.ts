/**
 * Stoppable training: end `fit` at the next batch boundary when an `AbortSignal`
 * fires — from a button, a timer (`AbortSignal.timeout(ms)`), or Ctrl-C / a Jupyter
 * interrupt ({@linkcode stopOnInterrupt}). Stopping this way is clean: the model holds
 * the weights of the last finished batch, `fit` resolves with the history so far, and
 * every callback's `onTrainEnd` runs (so `earlyStopping({ restoreBestWeights })`
 * restores and checkpoints stay consistent).
 *
 * ## Interrupting a `fit` cell in Jupyter
 *
 * Measured with Deno 2.9.6's kernel: with `interrupt_mode: "message"` an interrupt
 * of a cell that is awaiting (as `await model.fit(...)` is) leaves the kernel
 * wedged — the cell never finishes and later cells never run. With
 * `interrupt_mode: "signal"`, Jupyter sends SIGINT: without a listener the kernel
 * process dies (state lost); with the listener {@linkcode stopOnInterrupt} installs,
 * the `fit` stops at the next batch, the cell finishes, and the kernel keeps its
 * state. So: use a kernelspec with `interrupt_mode: "signal"` and pass
 * `stopOnInterrupt()` to long `fit` calls.
 *
 * @module
 */
import { inKernel } from "../core/output.ts";
import { say, warn } from "./_log.ts";
import { TrainingCallback } from "./training_callback.ts";
import { type UnresolvedLogs } from "../core/history.ts";

// Models whose current/last fit was stopped by a StopOn (read by backupAndRestore,
// which keeps its backup for such runs even when they stop at an epoch boundary).
const stoppedOnRequest = new WeakSet<object>();

/**
 * Whether the last `fit` of `model` was stopped by {@linkcode stopOn} /
 * {@linkcode stopOnInterrupt} (rather than finishing or being stopped by e.g. early
 * stopping).
 *
 * @param model The model given to `fit` (or the one callbacks see).
 * @returns `true` if a stop was requested.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { wasStoppedOnRequest } from "@lib";
 * await tf.setBackend("cpu");
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * console.log(wasStoppedOnRequest(model)); // false
 * ```
 */
export function wasStoppedOnRequest(model: object): boolean {
  const inner = (model as { model?: object }).model;
  return stoppedOnRequest.has(model) || (inner !== undefined && stoppedOnRequest.has(inner));
}

/** Options of {@linkcode stopOn}. */
export interface StopOnOptions {
  /** 1: print where training stopped. @default {1} */
  verbose?: 0 | 1;
  /**
   * Let the event loop run at least this often (milliseconds) during training.
   * `model.fit` with only `tf.Callback`s never yields to timers or signal handlers,
   * so without this an `AbortSignal.timeout` or a Ctrl-C would only be seen after
   * `fit` ends. Each yield costs about 0.1 ms.
   * @default {25}
   */
  yieldEveryMs?: number;
}

/** Ends `fit` at the next batch boundary once a signal aborts. See {@linkcode stopOn}. */
export class StopOn extends TrainingCallback {
  readonly verbose: 0 | 1;
  readonly yieldEveryMs: number;
  /** `[epoch, batch]` (0-based; batch = batches finished in that epoch) where it stopped. */
  stoppedAt: [number, number] | undefined = undefined;
  /** Settable by subclasses that re-arm between fits. */
  protected currentSignal: AbortSignal;
  #lastYield = 0;
  #onAbort = () => this.#stop();

  /**
   * @param signal The signal that stops training.
   * @param options `verbose`.
   */
  constructor(signal: AbortSignal, options: StopOnOptions = {}) {
    super();
    if (!(signal instanceof AbortSignal)) {
      throw new Error(
        "stopOn: expected an AbortSignal (e.g. new AbortController().signal or " +
          `AbortSignal.timeout(ms)), got ${String(signal)}.`,
      );
    }
    const { verbose = 1, yieldEveryMs = 25 } = options;
    if (!(yieldEveryMs >= 0)) {
      throw new Error(`stopOn: \`yieldEveryMs\` must be >= 0, got ${yieldEveryMs}.`);
    }
    this.currentSignal = signal;
    this.verbose = verbose;
    this.yieldEveryMs = yieldEveryMs;
  }

  /** The signal watched (by the next or current `fit`). */
  get signal(): AbortSignal {
    return this.currentSignal;
  }

  /** Starts listening for the abort. */
  override onTrainBegin(_logs?: UnresolvedLogs): Promise<void> {
    this.stoppedAt = undefined;
    this.#lastYield = performance.now();
    if (this.model) stoppedOnRequest.delete(this.model);
    this.signal.addEventListener("abort", this.#onAbort);
    return Promise.resolve();
  }

  /** Re-asserts the stop (tfjs clears `stopTraining` after `onTrainBegin`). */
  override onEpochBegin(epoch: number, logs?: UnresolvedLogs): Promise<void> {
    if (this.signal.aborted) this.#stop();
    return super.onEpochBegin(epoch, logs);
  }

  /**
   * Stops after this batch if the signal has fired. Every `yieldEveryMs` ms it
   * also waits one macrotask: tfjs's `fit` in Deno (`yieldEvery: "never"` on its Node
   * path) never returns to the event loop between batches, so without this a SIGINT
   * listener or `AbortSignal.timeout` could not fire until training ended.
   */
  override async onBatchEnd(batch: number, logs?: UnresolvedLogs): Promise<void> {
    await super.onBatchEnd(batch, logs);
    const now = performance.now();
    if (now - this.#lastYield >= this.yieldEveryMs) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      this.#lastYield = performance.now();
    }
    if (this.signal.aborted) this.#stop();
  }

  /** Stops listening; reports where training stopped. */
  override async onTrainEnd(_logs?: UnresolvedLogs): Promise<void> {
    this.signal.removeEventListener("abort", this.#onAbort);
    if (this.signal.aborted && this.model !== null) {
      this.stoppedAt = [this.currentEpoch, this.batchesThisEpoch];
      if (this.verbose > 0) {
        const [epoch, batches] = this.stoppedAt;
        await say(
          `Training stopped on request in epoch ${epoch + 1} after ${batches} batch(es); ` +
            "the model keeps the weights of the last finished batch.",
        );
      }
    }
  }

  #stop(): void {
    if (this.model === null || this.model === undefined) return;
    this.model.stopTraining = true;
    stoppedOnRequest.add(this.model);
  }
}

/**
 * Stop training at the next batch boundary when `signal` aborts.
 *
 * @param signal E.g. `controller.signal`, or `AbortSignal.timeout(60_000)` for a time budget.
 * @param options `verbose`.
 * @returns A callback for `model.fit(..., { callbacks })`.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { stopOn } from "@lib";
 * await tf.setBackend("cpu");
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
 * const xs = tf.tensor2d([[0], [1]]), ys = tf.tensor2d([[1], [3]]);
 * // Train for at most 2 seconds, however many epochs that is.
 * await model.fit(xs, ys, { epochs: 1e6, verbose: 0, callbacks: [stopOn(AbortSignal.timeout(2000))] });
 * ```
 */
export function stopOn(signal: AbortSignal, options: StopOnOptions = {}): StopOn {
  return new StopOn(signal, options);
}

// One process-wide SIGINT listener, shared by every stopOnInterrupt callback.
const interruptTargets = new Set<AbortController>();
let listening = false;

function onSigint(): void {
  if (interruptTargets.size === 0) {
    warn(
      "Interrupt received, but no training with stopOnInterrupt() is running; " +
        "other code cannot be interrupted here — restart the kernel to stop it.",
    );
    return;
  }
  for (const controller of interruptTargets) controller.abort(new Error("interrupted (SIGINT)"));
}

function listen(on: boolean): void {
  if (on === listening || Deno.build.os === "windows") return;
  if (on) Deno.addSignalListener("SIGINT", onSigint);
  else Deno.removeSignalListener("SIGINT", onSigint);
  listening = on;
}

/** {@linkcode StopOn} driven by SIGINT (Ctrl-C, or a Jupyter interrupt in signal mode). */
export class StopOnInterrupt extends StopOn {
  #controller: AbortController;

  /** @param options `verbose`. */
  constructor(options: StopOnOptions = {}) {
    const controller = new AbortController();
    super(controller.signal, options);
    this.#controller = controller;
  }

  /** Installs the SIGINT listener (once per process). */
  override onTrainBegin(logs?: UnresolvedLogs): Promise<void> {
    interruptTargets.add(this.#controller);
    listen(true);
    return super.onTrainBegin(logs);
  }

  /**
   * Unregisters; arms a fresh signal for the next `fit`. Outside a kernel the SIGINT
   * listener is removed when no training is left, so Ctrl-C ends a script as usual;
   * in a kernel it stays, so a stray interrupt cannot kill the kernel.
   */
  override async onTrainEnd(logs?: UnresolvedLogs): Promise<void> {
    await super.onTrainEnd(logs);
    interruptTargets.delete(this.#controller);
    if (interruptTargets.size === 0 && !inKernel()) listen(false);
    if (this.#controller.signal.aborted) this.#rearm();
  }

  #rearm(): void {
    this.#controller = new AbortController();
    this.currentSignal = this.#controller.signal;
  }
}

/**
 * Stop training cleanly on Ctrl-C in a terminal, or on a Jupyter interrupt when the
 * kernelspec has `interrupt_mode: "signal"` (see the module notes: with
 * `"message"`, Deno's kernel wedges on interrupting an awaited cell, and the library
 * cannot intervene). The cell finishes, the kernel keeps its state, and the model has
 * the weights of the last finished batch.
 *
 * @param options `verbose`.
 * @returns A callback for `model.fit(..., { callbacks })`, reusable across fits.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { stopOnInterrupt } from "@lib";
 * await tf.setBackend("cpu");
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
 * const xs = tf.tensor2d([[0], [1]]), ys = tf.tensor2d([[1], [3]]);
 * await model.fit(xs, ys, { epochs: 3, verbose: 0, callbacks: [stopOnInterrupt()] });
 * ```
 */
export function stopOnInterrupt(options: StopOnOptions = {}): StopOnInterrupt {
  return new StopOnInterrupt(options);
}
