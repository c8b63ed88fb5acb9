/**
 * The base class of the callbacks in `lib/callbacks`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { UnresolvedLogs } from "../core/history.ts";

/** The model type `tf.Callback.setModel` accepts (tfjs's internal `Container`). */
type ContainerLike = Parameters<tf.Callback["setModel"]>[0];

/**
 * Base class of the callbacks in `lib/callbacks`: a `tf.Callback` (so `model.fit`
 * accepts it next to tfjs's own) that
 *
 * - accepts any object with the members it uses as its model, so unit tests can
 *   drive the hooks with a fake model whose weights are the epoch index;
 * - counts the batches of the current epoch, so subclasses can tell an epoch that
 *   ran to its end from one cut short by `model.stopTraining` (see {@linkcode
 *   TrainingCallback.epochCompleted}).
 *
 * Subclasses that override `onEpochBegin` or `onBatchEnd` call `super` first.
 *
 * @example
 * ```ts
 * import { type Logs, resolveLogs, TrainingCallback } from "@lib";
 * class PrintLoss extends TrainingCallback {
 *   override async onEpochEnd(epoch: number, logs?: Logs) {
 *     const resolved = await resolveLogs(logs);
 *     if (this.epochCompleted()) console.log(epoch, resolved.loss);
 *   }
 * }
 * ```
 */
export abstract class TrainingCallback extends tf.Callback {
  /** Batches finished in the current epoch. */
  protected batchesThisEpoch = 0;
  /** The current (0-based) epoch, set when it begins. */
  protected currentEpoch = 0;

  constructor() {
    super();
    // Bound hooks: tfjs turns a list whose first item is a plain object into plain hook
    // objects and calls each hook detached from its object; bound, they still work.
    this.onTrainBegin = this.onTrainBegin.bind(this);
    this.onTrainEnd = this.onTrainEnd.bind(this);
    this.onEpochBegin = this.onEpochBegin.bind(this);
    this.onEpochEnd = this.onEpochEnd.bind(this);
    this.onBatchBegin = this.onBatchBegin.bind(this);
    this.onBatchEnd = this.onBatchEnd.bind(this);
  }

  /** Like `tf.Callback.setModel` without the `instanceof LayersModel` check. */
  override setModel(model: ContainerLike): void {
    this.model = model as tf.LayersModel;
  }

  /** Records the epoch and resets the batch count. */
  override onEpochBegin(epoch: number, _logs?: UnresolvedLogs): Promise<void> {
    this.currentEpoch = epoch;
    this.batchesThisEpoch = 0;
    return Promise.resolve();
  }

  /** Counts the batch. */
  override onBatchEnd(_batch: number, _logs?: UnresolvedLogs): Promise<void> {
    this.batchesThisEpoch += 1;
    return Promise.resolve();
  }

  /** Batches per epoch from `fit`'s params, or `undefined` when tfjs does not know. */
  protected batchesPerEpoch(): number | undefined {
    const params = this.params ?? {};
    const steps = params.steps;
    if (typeof steps === "number" && steps > 0) return steps;
    const samples = params.samples;
    const batchSize = params.batchSize;
    if (typeof samples === "number" && typeof batchSize === "number" && batchSize > 0) {
      return Math.ceil(samples / batchSize);
    }
    return undefined;
  }

  /**
   * Whether the epoch that just ended ran all its batches. `false` when training
   * was stopped mid-epoch (tfjs still calls `onEpochEnd`, with logs averaged over
   * the batches that ran and no validation metrics). `true` when tfjs does not
   * report the batch count, or when no batch hook ran (log-driven unit tests).
   */
  protected epochCompleted(): boolean {
    const expected = this.batchesPerEpoch();
    if (expected === undefined || this.batchesThisEpoch === 0) return true;
    return this.batchesThisEpoch >= expected;
  }

  /** The model, or a clear error when a hook runs before `fit` set it. */
  protected requireModel(who: string): tf.LayersModel {
    if (this.model === null || this.model === undefined) {
      throw new Error(
        `${who}: no model is attached. Pass the callback to model.fit(..., { callbacks }) ` +
          "or call setModel(model) before driving its hooks.",
      );
    }
    return this.model;
  }
}
