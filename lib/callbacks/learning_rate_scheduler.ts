/**
 * Keras's `LearningRateScheduler`: set the optimizer's learning rate at the start of every
 * epoch from a schedule, and log it.
 *
 * @module
 */
import { getLearningRate, setLearningRate } from "../core/learning_rate.ts";
import { say } from "./_log.ts";
import { LEARNING_RATE_KEY } from "./reduce_lr_on_plateau.ts";
import { TrainingCallback } from "./training_callback.ts";
import { resolveLogs, type UnresolvedLogs } from "../core/history.ts";

/**
 * What {@linkcode learningRateScheduler} calls at each epoch's start: the 0-based epoch
 * and the rate in force, in; the rate for this epoch, out. Every schedule from `@lib`'s
 * `optim` (`stepDecay`, `cosineDecay`, …) fits, since it takes the epoch alone.
 */
export type EpochSchedule = (epoch: number, learningRate: number) => number;

/** Options of {@linkcode learningRateScheduler}. */
export interface LearningRateSchedulerOptions {
  /** 1: print a line each epoch with the rate set. @default {0} */
  verbose?: 0 | 1;
}

/** Sets the rate from a schedule each epoch. See {@linkcode learningRateScheduler}. */
export class LearningRateScheduler extends TrainingCallback {
  /** The schedule. */
  readonly schedule: EpochSchedule;
  readonly verbose: 0 | 1;
  /** `[epoch, rate]` set at each epoch's start in the last `fit`. */
  rates: Array<[number, number]> = [];

  /**
   * @param schedule See {@linkcode EpochSchedule}.
   * @param options See {@linkcode LearningRateSchedulerOptions}.
   */
  constructor(schedule: EpochSchedule, options: LearningRateSchedulerOptions = {}) {
    super();
    if (typeof schedule !== "function") {
      throw new Error(
        `learningRateScheduler: \`schedule\` must be a function (epoch, learningRate) => rate, ` +
          `got ${typeof schedule}. Use e.g. stepDecay({ initialLearningRate, dropEvery }) from @lib.`,
      );
    }
    const { verbose = 0 } = options;
    this.schedule = schedule;
    this.verbose = verbose;
  }

  /** Resets the record for a new `fit`. */
  override onTrainBegin(_logs?: UnresolvedLogs): Promise<void> {
    this.rates = [];
    return Promise.resolve();
  }

  /** Asks the schedule for this epoch's rate and sets it on the model's optimizer. */
  override async onEpochBegin(epoch: number, logs?: UnresolvedLogs): Promise<void> {
    await super.onEpochBegin(epoch, logs);
    const who = "learningRateScheduler";
    const optimizer = this.requireModel(who).optimizer;
    const lr = this.schedule(epoch, getLearningRate(optimizer, who));
    if (typeof lr !== "number" || !Number.isFinite(lr) || lr < 0) {
      throw new Error(
        `${who}: the schedule returned ${lr} for epoch ${epoch} (0-based); it must return a ` +
          "finite number >= 0.",
      );
    }
    setLearningRate(optimizer, lr);
    this.rates.push([epoch, lr]);
    if (this.verbose > 0) {
      await say(`Epoch ${epoch + 1}: learningRateScheduler setting learning rate to ${lr}.`);
    }
  }

  /** Logs the rate in force under `learning_rate`. */
  override async onEpochEnd(_epoch: number, logs?: UnresolvedLogs): Promise<void> {
    const resolved = await resolveLogs(logs);
    const optimizer = this.requireModel("learningRateScheduler").optimizer;
    resolved[LEARNING_RATE_KEY] = getLearningRate(optimizer, "learningRateScheduler");
  }
}

/**
 * Set the learning rate at the start of every epoch to `schedule(epoch, currentRate)`
 * (Keras semantics: `epoch` is 0-based and counts from `fit`'s `initialEpoch`). The rate in
 * force is added to each epoch's logs as `learning_rate`, so it shows up in
 * `history.history.learning_rate`, the CSV log and the progress bar.
 *
 * @param schedule `(epoch, learningRate) => newRate`, e.g. `stepDecay(…)` from `@lib`.
 * @param options `verbose`.
 * @returns A callback for `model.fit(..., { callbacks })`.
 * @throws When `schedule` is not a function; during `fit`, when it returns a negative or
 *   non-finite rate (the message names the epoch), or the optimizer has no learning rate.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { learningRateScheduler, stepDecay } from "@lib";
 * await tf.setBackend("cpu");
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: tf.train.sgd(0.1), loss: "meanSquaredError" });
 * const xs = tf.tensor2d([[0], [1]]), ys = tf.tensor2d([[1], [3]]);
 * const h = await model.fit(xs, ys, {
 *   epochs: 4, verbose: 0,
 *   callbacks: [learningRateScheduler(stepDecay({ initialLearningRate: 0.1, dropEvery: 2 }))],
 * });
 * console.log(h.history.learning_rate); // [ 0.1, 0.1, 0.05, 0.05 ]
 * ```
 */
export function learningRateScheduler(
  schedule: EpochSchedule,
  options: LearningRateSchedulerOptions = {},
): LearningRateScheduler {
  return new LearningRateScheduler(schedule, options);
}
