/**
 * Stoppable training: end `fit` at the next batch boundary when an `AbortSignal`
 * fires — from a button, a timer (`AbortSignal.timeout(ms)`), or Ctrl-C / a Jupyter
 * interrupt ({@linkcode stopOnInterrupt}). Stopping this way is clean: the model holds
 * the weights of the last finished batch, `fit` resolves with the history so far, and
 * every callback's `onTrainEnd` runs (so `earlyStopping({ restoreBestWeights })`
 * restores and checkpoints stay consistent).
 *
 * ## The stop button (■) in Jupyter
 *
 * In this project's kernel every `fit` and `fitDataset` stops on ■ once `@lib` is
 * imported: {@linkcode AutoStopOnInterrupt} is registered with tfjs for every fit, even
 * with `verbose: 0`. It says where training stopped, and the History keeps the finished
 * epochs only. How the interrupt reaches it, and what happens to cells that are not
 * training: lib/callbacks/interrupt.ts. Passing `stopOnInterrupt()` explicitly still
 * works (and is what makes Ctrl-C stop a `deno run` script cleanly).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { inKernel } from "../core/output.ts";
import { say } from "./_log.ts";
import {
  afterTermination,
  cellInterrupted,
  onInterrupt,
  trainingAlive,
  trainingRests,
} from "./interrupt.ts";
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
      await this.reportStop();
    }
  }

  /** Says where training stopped (when `verbose` is 1); run once `stoppedAt` is set. */
  protected async reportStop(): Promise<void> {
    if (this.verbose === 0 || this.stoppedAt === undefined) return;
    const [epoch, batches] = this.stoppedAt;
    await say(
      `Training stopped on request in epoch ${epoch + 1} after ${batches} batch(es); ` +
        "the model keeps the weights of the last finished batch.",
    );
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

/** StopOnInterrupt callbacks in a fit now, with the time of their last batch. */
const inFit = new Map<StopOnInterrupt, number>();
/**
 * A fit without a batch for this long (ms) when a repair runs was killed mid-batch: the
 * launcher terminates training only after it has been silent for 2 s.
 */
const KILLED_AFTER_MS = 2_000;

/**
 * After the launcher terminated synchronous code (or before an awaited cell is abandoned),
 * tfjs may be left mid-step, as measured in this kernel: a `tidy` scope open (every later
 * tensor is tracked into it), the gradient tape off (kernel depth above 0: "Cannot find a
 * connection between any variable and the result of the loss function"), a model marked
 * as training for good ("another fit() call is ongoing"). This puts tfjs back to rest.
 * It runs between two macrotasks, where tfjs is always at rest (`tidy`, kernels and
 * gradients are synchronous), so it cannot disturb code that is running. Open scopes are
 * dropped, not ended: ending them would dispose tensors a later cell may hold.
 */
function repairTf(): void {
  const now = performance.now();
  for (const [stop, lastBatch] of inFit) {
    if (now - lastBatch > KILLED_AFTER_MS) stop.abandonFit();
  }
  const engine = tf.engine();
  engine.state.scopeStack = [];
  engine.state.activeScope = null as unknown as typeof engine.state.activeScope;
  engine.state.kernelDepth = 0;
  engine.state.gradientDepth = 0;
  engine.state.activeTape = null as unknown as typeof engine.state.activeTape;
  engine.state.numDataMovesStack = [];
}
afterTermination(repairTf);

/** Explicit (not automatic) StopOnInterrupt callbacks per model in the current fit. */
const explicitStops = new WeakMap<object, number>();
/** Models whose interrupted fit has been reported (and its history trimmed) already. */
const reported = new WeakSet<object>();

/**
 * {@linkcode StopOn} driven by Jupyter's stop button (■) in this project's kernel, or
 * SIGINT (Ctrl-C) elsewhere; see lib/callbacks/interrupt.ts.
 */
export class StopOnInterrupt extends StopOn {
  #controller: AbortController;
  #unsubscribe: (() => void) | undefined = undefined;
  #running = false;
  #explicitInFit = 0;

  /** @param options `verbose`, `yieldEveryMs`. */
  constructor(options: StopOnOptions = {}) {
    const controller = new AbortController();
    super(controller.signal, options);
    this.#controller = controller;
  }

  /** Whether tfjs added this callback to every fit (see {@linkcode AutoStopOnInterrupt}). */
  get automatic(): boolean {
    return false;
  }

  /** Subscribes to interrupts for the length of the fit. */
  override async onTrainBegin(logs?: UnresolvedLogs): Promise<void> {
    this.#running = true;
    inFit.set(this, performance.now());
    this.#unsubscribe = onInterrupt({
      stop: () => this.#controller.abort(new Error("interrupted")),
      // tfjs clears its (protected) `isTraining` when fit ends, also when fit throws and
      // onTrainEnd never runs.
      running: () =>
        this.#running &&
        (this.model as unknown as { isTraining?: boolean } | null)?.isTraining !== false,
    });
    if (this.model && !this.automatic) {
      explicitStops.set(this.model, (explicitStops.get(this.model) ?? 0) + 1);
    }
    if (this.model) reported.delete(this.model);
    // ■ already stopped a fit in this cell: this one stops too (after its first batch;
    // tfjs checks the stop flag only between batches).
    if (await cellInterrupted()) this.#controller.abort(new Error("interrupted"));
    await super.onTrainBegin(logs);
  }

  /** Tells the launcher the fit is alive (so it waits for the next batch). */
  override async onBatchEnd(batch: number, logs?: UnresolvedLogs): Promise<void> {
    trainingAlive();
    inFit.set(this, performance.now());
    await super.onBatchEnd(batch, logs);
  }

  /**
   * The fit was killed mid-batch (its code terminated): unsubscribe, and let the model
   * train again (tfjs never reached the end of `fit` that clears its training flag).
   */
  abandonFit(): void {
    inFit.delete(this);
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#running = false;
    if (this.model) (this.model as unknown as { isTraining: boolean }).isTraining = false;
  }

  /**
   * Unsubscribes; after an interrupt, drops the epoch cut short from the model's History
   * (it holds the finished epochs), reports once per fit, and arms a fresh signal.
   */
  override async onTrainEnd(logs?: UnresolvedLogs): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#running = false;
    inFit.delete(this);
    if (inFit.size === 0) trainingRests();
    const model = this.model;
    this.#explicitInFit = model ? explicitStops.get(model) ?? 0 : 0;
    if (model && !this.automatic) explicitStops.set(model, this.#explicitInFit - 1);
    await super.onTrainEnd(logs);
    if (this.#controller.signal.aborted) this.#rearm();
  }

  /** Once per interrupted fit: trim the History, say what stopped and where. */
  protected override async reportStop(): Promise<void> {
    const model = this.model;
    // An automatic callback leaves the report to an explicit one in the same fit.
    if (!model || reported.has(model) || (this.automatic && this.#explicitInFit > 0)) return;
    reported.add(model);
    const finished = this.#trimHistory();
    if (this.verbose > 0) await say(this.#message(finished));
  }

  /** Removes the partial last epoch from `model.history`; returns the finished epochs. */
  #trimHistory(): number {
    const history = (this.model as { history?: tf.History } | null)?.history;
    if (history === undefined || !Array.isArray(history.epoch)) return 0;
    if (!this.epochCompleted() && history.epoch.length > 0) {
      history.epoch.pop();
      for (const values of Object.values(history.history)) {
        const last = values.pop();
        if (last instanceof tf.Tensor) last.dispose();
      }
    }
    return history.epoch.length;
  }

  #message(finished: number): string {
    const [epoch, batches] = this.stoppedAt!;
    const epochs = this.params?.epochs;
    const perEpoch = this.batchesPerEpoch();
    const ofEpochs = typeof epochs === "number" ? ` of ${epochs}` : "";
    const ofBatches = perEpoch === undefined ? "" : ` of ${perEpoch}`;
    // Callbacks' onTrainEnd run after this one (a restoreBestWeights may replace the weights).
    return `Training stopped by ■ in epoch ${epoch + 1}${ofEpochs}, after batch ${batches}` +
      `${ofBatches}: the history holds the ${finished} finished epoch` +
      `${finished === 1 ? "" : "s"}, and the model the weights of the last finished batch ` +
      "(unless a callback restores others at the end of training).";
  }

  #rearm(): void {
    this.#controller = new AbortController();
    this.currentSignal = this.#controller.signal;
  }
}

/**
 * The {@linkcode StopOnInterrupt} tfjs adds to every `fit` and `fitDataset` in this
 * project's kernel once `@lib` is imported (registered with
 * `tf.registerCallbackConstructor(0, …)`, so `verbose: 0` fits get it too). It stays
 * quiet when the fit also has an explicit `stopOnInterrupt()`.
 */
export class AutoStopOnInterrupt extends StopOnInterrupt {
  /** No options: tfjs constructs it. */
  constructor() {
    super({});
  }

  /** Always `true`. */
  override get automatic(): boolean {
    return true;
  }
}

// Every fit in a kernel stops on ■ once the library is imported (once per process, even
// when two copies of this module are loaded).
const REGISTERED = Symbol.for("tfjs-training.auto-stop-on-interrupt");
if (inKernel() && !(globalThis as Record<symbol, unknown>)[REGISTERED]) {
  (globalThis as Record<symbol, unknown>)[REGISTERED] = true;
  tf.registerCallbackConstructor(0, AutoStopOnInterrupt);
}

/**
 * Stop training cleanly on Ctrl-C in a terminal, or on Jupyter's stop button (■). In
 * this project's kernel every fit already gets one (see the module notes); pass it to
 * choose `verbose` or in scripts. The cell finishes, the kernel keeps its state, and the
 * model has the weights of the last finished batch.
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
