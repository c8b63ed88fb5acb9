/**
 * Keras's `TerminateOnNaN`: stop as soon as a batch's loss is NaN or infinite.
 *
 * @module
 */
import { say } from "./_log.ts";
import { TrainingCallback } from "./training_callback.ts";
import { resolveLogs, type UnresolvedLogs } from "../core/history.ts";

/** Options of {@linkcode terminateOnNaN}. */
export interface TerminateOnNaNOptions {
  /** Log key to check after each batch. @default {"loss"} */
  monitor?: string;
  /**
   * Throw an error from `fit` instead of stopping cleanly. A clean stop still runs
   * every callback's `onTrainEnd` (so `earlyStopping({ restoreBestWeights: true })`
   * puts good weights back); an error does not.
   * @default {false}
   */
  raiseError?: boolean;
  /** 1: print a line when stopping. @default {1} */
  verbose?: 0 | 1;
}

/** Stops training on a non-finite loss. See {@linkcode terminateOnNaN}. */
export class TerminateOnNaN extends TrainingCallback {
  readonly monitorKey: string;
  readonly raiseError: boolean;
  readonly verbose: 0 | 1;
  /** `[epoch, batch]` (0-based) where a non-finite loss was seen, if any. */
  terminatedAt: [number, number] | undefined = undefined;

  /** @param options See {@linkcode TerminateOnNaNOptions}. */
  constructor(options: TerminateOnNaNOptions = {}) {
    super();
    const { monitor = "loss", raiseError = false, verbose = 1 } = options;
    this.monitorKey = monitor;
    this.raiseError = raiseError;
    this.verbose = verbose;
  }

  /** Resets state. */
  override onTrainBegin(_logs?: UnresolvedLogs): Promise<void> {
    this.terminatedAt = undefined;
    return Promise.resolve();
  }

  /** Checks the batch's loss. */
  override async onBatchEnd(batch: number, logs?: UnresolvedLogs): Promise<void> {
    await super.onBatchEnd(batch, logs);
    const value = (await resolveLogs(logs))[this.monitorKey];
    if (value === undefined || Number.isFinite(value)) return;
    this.terminatedAt = [this.currentEpoch, batch];
    const message = `terminateOnNaN: epoch ${this.currentEpoch + 1}, batch ${batch + 1}: ` +
      `${this.monitorKey} is ${value}; training stopped. Try a lower learning rate, ` +
      "input normalisation, or gradient clipping (optimizer clipValue).";
    if (this.raiseError) throw new Error(message);
    this.requireModel("terminateOnNaN").stopTraining = true;
    if (this.verbose > 0) await say(message);
  }
}

/**
 * Stop training when the loss becomes NaN or infinite — cleanly (all `onTrainEnd`
 * hooks run), or by throwing with `raiseError: true`.
 *
 * @param options `monitor`, `raiseError`, `verbose`.
 * @returns A callback for `model.fit(..., { callbacks })`.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { terminateOnNaN } from "@lib";
 * await tf.setBackend("cpu");
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: tf.train.sgd(1e6), loss: "meanSquaredError" });
 * const xs = tf.tensor2d([[1e3], [2e3]]), ys = tf.tensor2d([[1], [2]]);
 * const stop = terminateOnNaN();
 * await model.fit(xs, ys, { epochs: 50, verbose: 0, callbacks: [stop] });
 * console.log(stop.terminatedAt);
 * ```
 */
export function terminateOnNaN(options: TerminateOnNaNOptions = {}): TerminateOnNaN {
  return new TerminateOnNaN(options);
}
