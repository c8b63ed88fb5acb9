/**
 * Keras's `ReduceLROnPlateau`: multiply the learning rate by `factor` when a
 * monitored quantity has stopped improving for `patience` epochs.
 *
 * @module
 */
import { getLearningRate, setLearningRate } from "../core/learning_rate.ts";
import { say } from "./_log.ts";
import { Monitor, type MonitorOptions } from "./monitor.ts";
import { TrainingCallback } from "./training_callback.ts";
import { resolveLogs, type UnresolvedLogs } from "../core/history.ts";

/** Options of {@linkcode reduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions extends Omit<MonitorOptions, "baseline"> {
  /** New rate = rate × factor; must be in (0, 1). @default {0.1} */
  factor?: number;
  /** Epochs without improvement before reducing. @default {10} */
  patience?: number;
  /** Epochs to wait after a reduction before counting again. @default {0} */
  cooldown?: number;
  /** Lower bound on the learning rate. @default {0} */
  minLR?: number;
  /** 1: print a line at each reduction. @default {0} */
  verbose?: 0 | 1;
}

// Moved to core/learning_rate.ts (optim/ uses them too); still exported from here.
export { getLearningRate, setLearningRate };

/** Log key under which the current learning rate is recorded each epoch (as Keras 3). */
export const LEARNING_RATE_KEY = "learning_rate";

/** Lowers the learning rate on plateaus. See {@linkcode reduceLROnPlateau}. */
export class ReduceLROnPlateau extends TrainingCallback {
  /** The improvement rule. */
  readonly monitor: Monitor;
  readonly factor: number;
  readonly patience: number;
  readonly cooldown: number;
  readonly minLR: number;
  readonly verbose: 0 | 1;
  /** Epochs without improvement. */
  wait = 0;
  /** Epochs left in the current cooldown. */
  cooldownCounter = 0;
  /** `[epoch, newRate]` for each reduction in the last `fit`. */
  reductions: Array<[number, number]> = [];

  /** @param options See {@linkcode ReduceLROnPlateauOptions}. */
  constructor(options: ReduceLROnPlateauOptions = {}) {
    super();
    const who = "reduceLROnPlateau";
    const { factor = 0.1, patience = 10, cooldown = 0, minLR = 0, verbose = 0, minDelta = 1e-4 } =
      options;
    if (!(factor > 0 && factor < 1)) {
      throw new Error(
        `${who}: \`factor\` must be between 0 and 1 (exclusive), got ${factor}: the new rate ` +
          "is rate × factor, so factor >= 1 would not reduce it.",
      );
    }
    if (!Number.isInteger(patience) || patience < 0) {
      throw new Error(`${who}: \`patience\` must be a whole number >= 0, got ${patience}.`);
    }
    if (!Number.isInteger(cooldown) || cooldown < 0) {
      throw new Error(`${who}: \`cooldown\` must be a whole number >= 0, got ${cooldown}.`);
    }
    if (!(minLR >= 0)) throw new Error(`${who}: \`minLR\` must be >= 0, got ${minLR}.`);
    this.monitor = new Monitor({ ...options, minDelta }, "val_loss", who);
    this.factor = factor;
    this.patience = patience;
    this.cooldown = cooldown;
    this.minLR = minLR;
    this.verbose = verbose;
  }

  /** Resets the state for a new `fit`. */
  override onTrainBegin(_logs?: UnresolvedLogs): Promise<void> {
    this.monitor.reset();
    this.wait = 0;
    this.cooldownCounter = 0;
    this.reductions = [];
    return Promise.resolve();
  }

  /** Logs the rate under `learning_rate`, then reduces it after `patience` flat epochs. */
  override async onEpochEnd(epoch: number, logs?: UnresolvedLogs): Promise<void> {
    const resolved = await resolveLogs(logs);
    const optimizer = this.requireModel("reduceLROnPlateau").optimizer;
    const lr = getLearningRate(optimizer, "reduceLROnPlateau");
    resolved[LEARNING_RATE_KEY] = lr;
    if (!this.epochCompleted()) return;
    const current = this.monitor.read(resolved);
    if (current === undefined) return;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.monitor.isImprovement(current)) {
      this.monitor.best = current;
      this.wait = 0;
      return;
    }
    if (this.cooldownCounter > 0) return;
    this.wait += 1;
    if (this.wait < this.patience || !(lr > this.minLR)) return;
    const next = Math.max(lr * this.factor, this.minLR);
    setLearningRate(optimizer, next);
    this.reductions.push([epoch, next]);
    this.cooldownCounter = this.cooldown;
    this.wait = 0;
    if (this.verbose > 0) {
      await say(`Epoch ${epoch + 1}: reduceLROnPlateau reducing learning rate to ${next}.`);
    }
  }
}

/**
 * Reduce the learning rate when a metric has stopped improving (Keras semantics:
 * `factor`, `patience`, `minDelta` (default 1e-4), `cooldown`, `minLR`). The rate
 * in force is added to each epoch's logs as `learning_rate`, so it shows up in
 * `history.history.learning_rate`, the CSV log and the progress bar.
 *
 * @param options See {@linkcode ReduceLROnPlateauOptions}.
 * @returns A callback for `model.fit(..., { callbacks })`.
 * @throws When `factor >= 1` or `<= 0`, `patience`/`cooldown` negative, `mode` unknown.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { reduceLROnPlateau } from "@lib";
 * await tf.setBackend("cpu");
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: tf.train.sgd(0.1), loss: "meanSquaredError" });
 * const xs = tf.tensor2d([[0], [1]]), ys = tf.tensor2d([[1], [3]]);
 * const h = await model.fit(xs, ys, {
 *   epochs: 5, verbose: 0, callbacks: [reduceLROnPlateau({ monitor: "loss", patience: 1, factor: 0.5 })],
 * });
 * console.log(h.history.learning_rate);
 * ```
 */
export function reduceLROnPlateau(options: ReduceLROnPlateauOptions = {}): ReduceLROnPlateau {
  return new ReduceLROnPlateau(options);
}
