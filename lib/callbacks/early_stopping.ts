/**
 * Early stopping with Keras's semantics, including `restoreBestWeights` (which
 * tfjs's own `tf.callbacks.earlyStopping` rejects as "not implemented").
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { TrainingCallback } from "./training_callback.ts";
import { resolveLogs, type UnresolvedLogs } from "../core/history.ts";
import { say } from "./_log.ts";
import { Monitor, type MonitorOptions } from "./monitor.ts";

/** Options of {@linkcode earlyStopping}. */
export interface EarlyStoppingOptions extends MonitorOptions {
  /** Epochs without improvement after which training stops. @default {0} */
  patience?: number;
  /**
   * Put back the weights of the best epoch when training ends — whether this
   * callback stopped it, another callback did, or the epochs ran out.
   * @default {false}
   */
  restoreBestWeights?: boolean;
  /** Epochs to let pass (warm-up) before watching for improvement. @default {0} */
  startFromEpoch?: number;
  /** 1: print a line when stopping and when restoring. @default {0} */
  verbose?: 0 | 1;
}

/**
 * Stops training when a monitored quantity has stopped improving (Keras's
 * `EarlyStopping`). Reusable across `fit` calls: its state resets on train begin.
 *
 * After `fit`, {@linkcode EarlyStopping.stoppedEpoch}, {@linkcode EarlyStopping.bestEpoch}
 * and {@linkcode EarlyStopping.restoredEpoch} say what happened (0-based, like
 * `history.epoch`). Pass the callback itself to `historyFigure(h, { stopper })` or
 * `liveCurves({ stopper })` to draw those epochs.
 */
export class EarlyStopping extends TrainingCallback {
  /** The improvement rule. */
  readonly monitor: Monitor;
  /** Epochs without improvement before stopping. */
  readonly patience: number;
  /** Whether the best weights are restored at the end. */
  readonly restoreBestWeights: boolean;
  /** First epoch (0-based) that is watched. */
  readonly startFromEpoch: number;
  /** 0 silent, 1 prints. */
  readonly verbose: 0 | 1;
  /** Epoch (0-based) at which this callback stopped training, `undefined` if it did not. */
  stoppedEpoch: number | undefined = undefined;
  /** Epoch (0-based) with the best monitored value, `undefined` before one is seen. */
  bestEpoch: number | undefined = undefined;
  /**
   * Epoch (0-based) whose weights were put back when training ended (`restoreBestWeights`),
   * `undefined` when none were.
   */
  restoredEpoch: number | undefined = undefined;
  /** Epochs since the last improvement. */
  wait = 0;
  #bestWeights: tf.Tensor[] | undefined = undefined;

  /** @param options See {@linkcode EarlyStoppingOptions}. */
  constructor(options: EarlyStoppingOptions = {}) {
    super();
    const { patience = 0, restoreBestWeights = false, startFromEpoch = 0, verbose = 0 } = options;
    if (!Number.isInteger(patience) || patience < 0) {
      throw new Error(
        `earlyStopping: \`patience\` must be a whole number >= 0, got ${patience}. ` +
          "It counts epochs without improvement before stopping.",
      );
    }
    if (!Number.isInteger(startFromEpoch) || startFromEpoch < 0) {
      throw new Error(
        `earlyStopping: \`startFromEpoch\` must be a whole number >= 0, got ${startFromEpoch}.`,
      );
    }
    this.monitor = new Monitor(options, "val_loss", "earlyStopping");
    this.patience = patience;
    this.restoreBestWeights = restoreBestWeights;
    this.startFromEpoch = startFromEpoch;
    this.verbose = verbose;
  }

  /** Best monitored value seen in the last run. */
  get best(): number | undefined {
    return this.monitor.best;
  }

  /** Resets the state so the instance can be reused by another `fit`. */
  override onTrainBegin(_logs?: UnresolvedLogs): Promise<void> {
    this.dispose();
    this.monitor.reset();
    this.wait = 0;
    this.stoppedEpoch = undefined;
    this.bestEpoch = undefined;
    this.restoredEpoch = undefined;
    return Promise.resolve();
  }

  /** Compares the epoch's value with the best and stops after `patience` misses. */
  override async onEpochEnd(epoch: number, logs?: UnresolvedLogs): Promise<void> {
    const resolved = await resolveLogs(logs);
    // An epoch cut short (stopOn, another callback's stop mid-epoch) has no
    // validation metrics and a partial average: it is not evidence either way.
    if (!this.epochCompleted()) return;
    const current = this.monitor.read(resolved);
    if (current === undefined || epoch < this.startFromEpoch) return;
    const model = this.requireModel("earlyStopping");
    if (this.restoreBestWeights && this.#bestWeights === undefined) {
      // Keras: keep the first watched epoch's weights so there is always something to restore.
      this.#snapshot(model);
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.monitor.isImprovement(current)) {
      this.monitor.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.#snapshot(model);
      // With a baseline, only beating the baseline resets the patience counter.
      if (this.monitor.beatsBaseline(current)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
    }
  }

  /** Restores the best weights (however training ended) and frees the snapshot. */
  override async onTrainEnd(_logs?: UnresolvedLogs): Promise<void> {
    if (this.stoppedEpoch !== undefined && this.verbose > 0) {
      await say(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    }
    if (this.restoreBestWeights && this.#bestWeights !== undefined) {
      const model = this.requireModel("earlyStopping");
      if (this.verbose > 0) {
        await say(
          `Restoring model weights from the end of the best epoch: ${this.bestEpoch! + 1}.`,
        );
      }
      model.setWeights(this.#bestWeights);
      this.restoredEpoch = this.bestEpoch;
    }
    this.dispose();
  }

  /** Frees the weight snapshot, if any (done automatically at train end). */
  dispose(): void {
    if (this.#bestWeights !== undefined) {
      for (const t of this.#bestWeights) t.dispose();
      this.#bestWeights = undefined;
    }
  }

  #snapshot(model: tf.LayersModel): void {
    this.dispose();
    // `clone` shares the buffer; the optimizer replaces (not overwrites) a variable's
    // buffer on update, so the snapshot keeps this epoch's values without a copy.
    this.#bestWeights = model.getWeights().map((w) => w.clone());
  }
}

/**
 * Stop training when a monitored quantity has stopped improving; optionally
 * restore the best epoch's weights when training ends.
 *
 * @param options Monitor, patience, minDelta, mode, baseline, restoreBestWeights,
 *   startFromEpoch, verbose — defaults as in Keras.
 * @returns A callback for `model.fit(..., { callbacks })`.
 * @throws When `patience` is negative or `mode` unknown / not inferable.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { earlyStopping } from "@lib";
 * await tf.setBackend("cpu");
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
 * const xs = tf.tensor2d([[0], [1], [2], [3]]);
 * const ys = tf.tensor2d([[1], [3], [5], [7]]);
 * const stopper = earlyStopping({ monitor: "val_loss", patience: 2, restoreBestWeights: true });
 * await model.fit(xs, ys, { epochs: 20, validationData: [xs, ys], callbacks: [stopper], verbose: 0 });
 * console.log(stopper.bestEpoch, stopper.stoppedEpoch);
 * ```
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): EarlyStopping {
  return new EarlyStopping(options);
}
