/**
 * The base class of the callbacks in `lib/callbacks` and the log helper they share.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Epoch or batch logs after every scalar tensor has been read into a number. */
export type Logs = Record<string, number>;

/** Logs as tfjs hands them to callbacks: numbers or scalar tensors. */
export type UnresolvedLogs = Record<string, number | tf.Scalar>;

/** The model type `tf.Callback.setModel` accepts (tfjs's internal `Container`). */
type ContainerLike = Parameters<tf.Callback["setModel"]>[0];

/**
 * Read every scalar tensor in `logs` into a number, in place, and dispose the
 * tensors (what tfjs's own `resolveScalarsInLogs` does, which is not exported).
 *
 * @param logs Logs from a tfjs hook; `undefined` gives `{}`.
 * @returns The same object, now holding only numbers.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { resolveLogs } from "@lib/callbacks/training_callback.ts";
 * await tf.setBackend("cpu");
 * const logs = await resolveLogs({ loss: tf.scalar(0.5), acc: 0.75 });
 * console.log(logs); // { loss: 0.5, acc: 0.75 }
 * ```
 */
export async function resolveLogs(logs?: UnresolvedLogs | Logs): Promise<Logs> {
  if (logs === undefined || logs === null) return {};
  const pending: Array<[string, tf.Scalar]> = [];
  for (const [key, value] of Object.entries(logs)) {
    if (typeof value !== "number") pending.push([key, value]);
  }
  if (pending.length > 0) {
    const values = await Promise.all(pending.map(([, t]) => t.data()));
    pending.forEach(([key, t], i) => {
      (logs as Logs)[key] = values[i][0];
      t.dispose();
    });
  }
  return logs as Logs;
}

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
 * import { type Logs, resolveLogs, TrainingCallback } from "@lib/callbacks/training_callback.ts";
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
