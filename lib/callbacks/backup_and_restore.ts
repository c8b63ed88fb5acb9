/**
 * Keras's `BackupAndRestore` for tfjs: a run that is interrupted or killed resumes
 * from its last completed epoch — weights, optimizer state (including what tfjs's
 * `getWeights` leaves out for Adam) and the epoch counter — and ends with the same
 * weights as an uninterrupted run.
 *
 * tfjs fixes the first epoch before any callback runs, so resuming takes one step
 * more than in Keras: `const initialEpoch = await backup.restore(model)` and pass it
 * to `fit` — or let {@linkcode BackupAndRestore.fit} do both.
 *
 * Same result needs the same batches: tfjs's `shuffle: true` draws from
 * `Math.random` (unseeded), so pass `shuffle: false` (shuffle your data with a seed
 * beforehand) and avoid dropout without a seed.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { MODEL_JSON } from "../io/file_system.ts";
import { loadWeights, saveWeights } from "../io/model_files.ts";
import { callbackList } from "./callback_list.ts";
import { getLearningRate, setLearningRate } from "./reduce_lr_on_plateau.ts";
import { wasStoppedOnRequest } from "./stop_on.ts";
import { say } from "./_log.ts";
import { TrainingCallback } from "./training_callback.ts";
import { resolveLogs, type UnresolvedLogs } from "../core/history.ts";

/** Options of {@linkcode backupAndRestore}. */
export interface BackupAndRestoreOptions {
  /** Folder for the backup (one atomic checkpoint, replaced after each epoch). */
  dir: string;
  /**
   * Delete the backup when training ends: all epochs done, or stopped by e.g. early
   * stopping. A run stopped by `stopOn`/`stopOnInterrupt`, stopped mid-epoch, or
   * killed keeps it, to resume from.
   * @default {true}
   */
  deleteOnEnd?: boolean;
  /** 1: print when restoring and when backing up. @default {0} */
  verbose?: 0 | 1;
}

/**
 * Whether two handles are the same model: `tf.Sequential.fit` trains an inner
 * `LayersModel` (`sequential.model`), which is what callbacks receive.
 */
function sameModel(a: tf.LayersModel | undefined, b: tf.LayersModel): boolean {
  if (a === undefined) return false;
  const inner = (m: tf.LayersModel) => (m as unknown as { model?: tf.LayersModel }).model;
  return a === b || inner(a) === b || inner(b) === a;
}

interface BackupState {
  /** Last completed epoch, 0-based. */
  epoch: number;
  /** The epoch logs of that epoch. */
  logs: Record<string, number>;
  /** The optimizer's learning rate then (it may have been changed by a callback). */
  learningRate?: number;
}

/** Backs up after every epoch; restores on request. See {@linkcode backupAndRestore}. */
export class BackupAndRestore extends TrainingCallback {
  readonly dir: string;
  readonly deleteOnEnd: boolean;
  readonly verbose: 0 | 1;
  /** Epoch (0-based) the last {@linkcode BackupAndRestore.restore} resumed after, if any. */
  restoredEpoch: number | undefined = undefined;
  #restoredFor: tf.LayersModel | undefined = undefined;
  /** Last epoch (0-based) backed up in the current or last `fit`. */
  lastBackedUpEpoch: number | undefined = undefined;
  #stoppedMidEpoch = false;

  /** @param options See {@linkcode BackupAndRestoreOptions}. */
  constructor(options: BackupAndRestoreOptions) {
    super();
    if (options === undefined || typeof options.dir !== "string" || options.dir.trim() === "") {
      throw new Error('backupAndRestore: `dir` is required, e.g. { dir: "runs/exp1/backup" }.');
    }
    const { dir, deleteOnEnd = true, verbose = 0 } = options;
    this.dir = dir;
    this.deleteOnEnd = deleteOnEnd;
    this.verbose = verbose;
  }

  /** Whether a backup exists in {@linkcode BackupAndRestore.dir}. */
  async exists(): Promise<boolean> {
    try {
      return (await Deno.stat(`${this.dir}/${MODEL_JSON}`)).isFile;
    } catch {
      return false;
    }
  }

  /**
   * Load the backup, if any, into `model` (weights and optimizer state).
   *
   * @param model The compiled model about to be trained.
   * @returns The `initialEpoch` to pass to `fit`: the epoch after the last completed
   *   one, or 0 when there is no backup.
   * @throws When the backup is corrupt or does not fit the model (naming the folder).
   */
  async restore(model: tf.LayersModel): Promise<number> {
    this.#restoredFor = model;
    this.restoredEpoch = undefined;
    if (!(await this.exists())) return 0;
    const { metadata } = await loadWeights(model, this.dir);
    const state = metadata?.backupAndRestore as BackupState | undefined;
    if (state === undefined || typeof state.epoch !== "number") {
      throw new Error(
        `backupAndRestore: "${this.dir}" holds a checkpoint without backup state (epoch). ` +
          "Point `dir` at a folder used only by backupAndRestore.",
      );
    }
    this.restoredEpoch = state.epoch;
    if (typeof state.learningRate === "number" && model.optimizer) {
      setLearningRate(model.optimizer, state.learningRate);
    }
    if (this.verbose > 0) {
      await say(`backupAndRestore: resuming after epoch ${state.epoch + 1} from ${this.dir}`);
    }
    return state.epoch + 1;
  }

  /**
   * `restore` + `model.fit` with the right `initialEpoch` and this callback added.
   *
   * @param model The compiled model.
   * @param x Inputs, as for `model.fit`.
   * @param y Targets, as for `model.fit`.
   * @param args `fit` arguments; `initialEpoch` is set from the backup.
   * @returns `fit`'s history (of the epochs run in this call).
   */
  async fit(
    model: tf.LayersModel,
    x: tf.Tensor | tf.Tensor[],
    y: tf.Tensor | tf.Tensor[],
    args: tf.ModelFitArgs = {},
  ): Promise<tf.History> {
    const initialEpoch = await this.restore(model);
    const given = args.callbacks;
    const list = given === undefined ? [] : Array.isArray(given) ? given : [given];
    return model.fit(x, y, {
      ...args,
      initialEpoch,
      callbacks: callbackList(...(list as tf.CustomCallbackArgs[]), this),
    });
  }

  /** Refuses to start over a backup that was not restored (it would be overwritten). */
  override async onTrainBegin(_logs?: UnresolvedLogs): Promise<void> {
    this.lastBackedUpEpoch = undefined;
    this.#stoppedMidEpoch = false;
    const model = this.requireModel("backupAndRestore");
    if (!sameModel(this.#restoredFor, model) && await this.exists()) {
      throw new Error(
        `backupAndRestore: "${this.dir}" holds a backup of an earlier run that was not ` +
          "restored. Call `const initialEpoch = await backup.restore(model)` and pass " +
          "initialEpoch to fit (or use backup.fit(model, x, y, args)); delete the folder " +
          "to start over.",
      );
    }
    const initial = this.params?.initialEpoch;
    const expected = this.restoredEpoch === undefined ? 0 : this.restoredEpoch + 1;
    if (typeof initial === "number" && initial !== expected) {
      throw new Error(
        `backupAndRestore: fit starts at initialEpoch ${initial} but the backup resumes at ` +
          `${expected}. Pass the value returned by backup.restore(model) as initialEpoch.`,
      );
    }
    this.#restoredFor = undefined;
  }

  /** Backs up after each completed epoch. */
  override async onEpochEnd(epoch: number, logs?: UnresolvedLogs): Promise<void> {
    const resolved = await resolveLogs(logs);
    if (!this.epochCompleted()) {
      this.#stoppedMidEpoch = true;
      return;
    }
    const model = this.requireModel("backupAndRestore");
    const state: BackupState = { epoch, logs: { ...resolved } };
    try {
      state.learningRate = getLearningRate(model.optimizer, "backupAndRestore");
    } catch {
      // An optimizer without a numeric learning rate: nothing to save.
    }
    await saveWeights(model, this.dir, {
      includeOptimizer: true,
      metadata: { backupAndRestore: state },
    });
    this.lastBackedUpEpoch = epoch;
    if (this.verbose > 0) await say(`backupAndRestore: backed up epoch ${epoch + 1}`);
  }

  /** Deletes the backup when the run ended at an epoch boundary. */
  override async onTrainEnd(_logs?: UnresolvedLogs): Promise<void> {
    this.restoredEpoch = undefined;
    const model = this.requireModel("backupAndRestore");
    if (!this.deleteOnEnd || this.#stoppedMidEpoch || wasStoppedOnRequest(model)) return;
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }
}

/**
 * Back up the training state after every epoch, so an interrupted or killed run can
 * resume where it left off and end as if it had never stopped.
 *
 * @param options `dir` (required), `deleteOnEnd`, `verbose`.
 * @returns A callback; use its `restore(model)` (or `fit(model, x, y, args)`).
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { backupAndRestore } from "@lib";
 * await tf.setBackend("cpu");
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: "adam", loss: "meanSquaredError" });
 * const xs = tf.tensor2d([[0], [1]]), ys = tf.tensor2d([[1], [3]]);
 * const backup = backupAndRestore({ dir: await Deno.makeTempDir() });
 * // Re-running this after a crash continues from the last completed epoch.
 * await backup.fit(model, xs, ys, { epochs: 10, shuffle: false, verbose: 0 });
 * ```
 */
export function backupAndRestore(options: BackupAndRestoreOptions): BackupAndRestore {
  return new BackupAndRestore(options);
}
