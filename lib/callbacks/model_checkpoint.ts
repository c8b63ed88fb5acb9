/**
 * Keras's `ModelCheckpoint` for tfjs under Deno: saves to the local file system
 * (atomically, via `lib/io`), best-only or every epoch / every N batches, with path
 * templates like `"ckpt/epoch-{epoch:02d}-{val_loss:.3f}"`.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { saveModel, saveWeights } from "../io/model_files.ts";
import { say, warn } from "./_log.ts";
import { Monitor } from "./monitor.ts";
import type { MonitorMode } from "../core/history.ts";
import { formatPath, templateKeys } from "./path_template.ts";
import { TrainingCallback } from "./training_callback.ts";
import { resolveLogs, type UnresolvedLogs } from "../core/history.ts";

/** Options of {@linkcode modelCheckpoint}. */
export interface ModelCheckpointOptions {
  /**
   * Folder to save into, as a template: `{epoch}` is 1-based (as in Keras), `{batch}`
   * 1-based within the epoch (with a numeric `saveFreq`), any other field is a log key,
   * e.g. `"ckpt/epoch-{epoch:02d}-{val_loss:.3f}"`. Without fields, each save
   * replaces the previous one (atomically).
   */
  filepath: string;
  /** Log key to compare when `saveBestOnly`. @default {"val_loss"} */
  monitor?: string;
  /** Direction of `monitor`; see {@linkcode MonitorMode}. @default {"auto"} */
  mode?: MonitorMode;
  /** Save only when `monitor` improves on the best so far. @default {false} */
  saveBestOnly?: boolean;
  /** Save weights only (load with `loadWeights`), not the topology. @default {false} */
  saveWeightsOnly?: boolean;
  /** Also save the optimizer state (needed to resume training exactly). @default {false} */
  includeOptimizer?: boolean;
  /** `"epoch"`: at each epoch end; a number N: every N batches. @default {"epoch"} */
  saveFreq?: "epoch" | number;
  /** With `saveBestOnly`: the value to beat before the first save. @default {undefined} */
  initialValueThreshold?: number;
  /** Smallest change in `monitor` that counts as an improvement. @default {0} */
  minDelta?: number;
  /** 1: print a line for each save (and each skipped best-only epoch). @default {0} */
  verbose?: 0 | 1;
}

/**
 * Saves the model (or its weights) while training. See {@linkcode modelCheckpoint}.
 *
 * After `fit`: {@linkcode ModelCheckpoint.savedPaths}, {@linkcode ModelCheckpoint.lastSavedPath},
 * {@linkcode ModelCheckpoint.bestEpoch}.
 */
export class ModelCheckpoint extends TrainingCallback {
  /** The path template. */
  readonly filepath: string;
  /** Improvement rule for `saveBestOnly`. */
  readonly monitor: Monitor;
  /** Options as resolved. */
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly includeOptimizer: boolean;
  readonly saveFreq: "epoch" | number;
  readonly initialValueThreshold: number | undefined;
  readonly verbose: 0 | 1;
  /** Every folder written during the last `fit`, in order. */
  savedPaths: string[] = [];
  /** Epoch (0-based) of the best save with `saveBestOnly`. */
  bestEpoch: number | undefined = undefined;
  #keys: string[];
  #batchesSinceSave = 0;

  /** @param options See {@linkcode ModelCheckpointOptions}. */
  constructor(options: ModelCheckpointOptions) {
    super();
    const who = "modelCheckpoint";
    if (options === undefined || typeof options.filepath !== "string") {
      throw new Error(
        `${who}: \`filepath\` is required, e.g. { filepath: "ckpt/epoch-{epoch:02d}" }.`,
      );
    }
    const {
      filepath,
      saveBestOnly = false,
      saveWeightsOnly = false,
      includeOptimizer = false,
      saveFreq = "epoch",
      initialValueThreshold,
      verbose = 0,
    } = options;
    if (filepath.trim() === "" || filepath.includes("\0")) {
      throw new Error(`${who}: invalid \`filepath\` ${JSON.stringify(filepath)}.`);
    }
    if (saveFreq !== "epoch" && !(Number.isInteger(saveFreq) && saveFreq > 0)) {
      throw new Error(
        `${who}: \`saveFreq\` must be "epoch" or a whole number of batches > 0, got ` +
          `${JSON.stringify(saveFreq)}.`,
      );
    }
    this.#keys = templateKeys(filepath, who);
    this.filepath = filepath;
    this.monitor = new Monitor(
      { monitor: options.monitor, mode: options.mode, minDelta: options.minDelta },
      "val_loss",
      who,
    );
    this.saveBestOnly = saveBestOnly;
    this.saveWeightsOnly = saveWeightsOnly;
    this.includeOptimizer = includeOptimizer;
    this.saveFreq = saveFreq;
    this.initialValueThreshold = initialValueThreshold;
    this.verbose = verbose;
  }

  /** The folder of the most recent save, if any. */
  get lastSavedPath(): string | undefined {
    return this.savedPaths.at(-1);
  }

  /** Best monitored value saved (with `saveBestOnly`). */
  get best(): number | undefined {
    return this.monitor.best;
  }

  /**
   * Resets state, and checks the template against the metrics `fit` will log so a
   * typo fails before any training rather than after the first epoch.
   */
  override onTrainBegin(_logs?: UnresolvedLogs): Promise<void> {
    this.monitor.reset();
    this.monitor.best = this.initialValueThreshold;
    this.savedPaths = [];
    this.bestEpoch = undefined;
    this.#batchesSinceSave = 0;
    const metrics = this.params?.metrics;
    if (Array.isArray(metrics) && metrics.length > 0) {
      const known = new Set<string>([...(metrics as string[]), "epoch", "batch"]);
      if (this.saveFreq !== "epoch") known.add("size");
      const unknown = this.#keys.filter((k) => !known.has(k));
      if (unknown.length > 0) {
        return Promise.reject(
          new Error(
            `modelCheckpoint: \`filepath\` ${JSON.stringify(this.filepath)} uses ` +
              `${unknown.map((k) => `{${k}}`).join(", ")}, which fit() will not log; ` +
              `it logs: ${[...known].join(", ")}.` +
              (unknown.some((k) => k.startsWith("val_"))
                ? " Validation keys need validationData or validationSplit."
                : ""),
          ),
        );
      }
      if (this.saveBestOnly && !known.has(this.monitor.key)) {
        warn(
          `modelCheckpoint: \`monitor\` "${this.monitor.key}" is not among the metrics fit() ` +
            `will log (${[...known].join(", ")}); with saveBestOnly nothing will be saved.`,
        );
      }
    }
    return Promise.resolve();
  }

  /** With a numeric `saveFreq`, saves every `saveFreq` batches. */
  override async onBatchEnd(batch: number, logs?: UnresolvedLogs): Promise<void> {
    await super.onBatchEnd(batch, logs);
    if (this.saveFreq === "epoch") return;
    this.#batchesSinceSave += 1;
    if (this.#batchesSinceSave < this.saveFreq) return;
    this.#batchesSinceSave = 0;
    const resolved = await resolveLogs(logs);
    await this.#maybeSave(this.currentEpoch, { ...resolved, batch: batch + 1 });
  }

  /** With `saveFreq: "epoch"`, saves (or considers saving) at each completed epoch. */
  override async onEpochEnd(epoch: number, logs?: UnresolvedLogs): Promise<void> {
    const resolved = await resolveLogs(logs);
    if (this.saveFreq !== "epoch" || !this.epochCompleted()) return;
    await this.#maybeSave(epoch, resolved);
  }

  async #maybeSave(epoch: number, logs: Record<string, number>): Promise<void> {
    const model = this.requireModel("modelCheckpoint");
    const path = formatPath(this.filepath, { ...logs, epoch: epoch + 1 }, "modelCheckpoint");
    if (this.saveBestOnly) {
      const current = this.monitor.read(logs);
      if (current === undefined) return;
      const previous = this.monitor.best;
      if (!this.monitor.isImprovement(current)) {
        if (this.verbose > 0) {
          await say(
            `Epoch ${epoch + 1}: ${this.monitor.key} did not improve from ${previous}`,
          );
        }
        return;
      }
      this.monitor.best = current;
      this.bestEpoch = epoch;
      if (this.verbose > 0) {
        await say(
          `Epoch ${epoch + 1}: ${this.monitor.key} improved from ${previous ?? "none"} to ` +
            `${current}, saving to ${path}`,
        );
      }
    } else if (this.verbose > 0) {
      await say(`Epoch ${epoch + 1}: saving model to ${path}`);
    }
    await this.#save(model, path, epoch);
  }

  async #save(model: tf.LayersModel, path: string, epoch: number): Promise<void> {
    const options = { includeOptimizer: this.includeOptimizer };
    try {
      if (this.saveWeightsOnly) await saveWeights(model, path, options);
      else await saveModel(model, path, options);
    } catch (error) {
      throw new Error(
        `modelCheckpoint: saving epoch ${epoch + 1} to "${path}" failed, so training ` +
          `stopped there; the model in memory keeps its weights and earlier checkpoints ` +
          `are intact. Cause: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    this.savedPaths.push(path);
  }
}

/**
 * Save the model, or its weights, to the local file system during training.
 *
 * @param options `filepath` template (required), `monitor`, `mode`, `saveBestOnly`,
 *   `saveWeightsOnly`, `includeOptimizer`, `saveFreq`, `initialValueThreshold`,
 *   `minDelta`, `verbose`.
 * @returns A callback for `model.fit(..., { callbacks })`.
 * @throws For a missing/invalid `filepath` or template, a bad `saveFreq` or `mode`;
 *   from `fit`, before the first epoch, when the template names a key `fit` will not log.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { loadModel, modelCheckpoint } from "@lib";
 * await tf.setBackend("cpu");
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
 * const xs = tf.tensor2d([[0], [1], [2]]), ys = tf.tensor2d([[1], [3], [5]]);
 * const dir = await Deno.makeTempDir();
 * const ckpt = modelCheckpoint({ filepath: `${dir}/best`, monitor: "val_loss", saveBestOnly: true });
 * await model.fit(xs, ys, { epochs: 5, validationData: [xs, ys], callbacks: [ckpt], verbose: 0 });
 * const best = await loadModel(`${dir}/best`);
 * ```
 */
export function modelCheckpoint(options: ModelCheckpointOptions): ModelCheckpoint {
  return new ModelCheckpoint(options);
}
