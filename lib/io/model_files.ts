/**
 * One-call saving and loading of whole models or their weights in a local folder,
 * on top of the {@linkcode fileSystem} handler.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { fileSystem, WEIGHTS_ONLY_FORMAT } from "./file_system.ts";

/** Metadata key for optimizer state that tfjs's `getWeights` leaves out. */
const EXTRAS_KEY = "libOptimizerExtras";
/**
 * Scalar variables some tfjs optimizers keep outside `getWeights()`: Adam and Adamax
 * keep `beta^t` as running products (`accBeta1`, `accBeta2`); `setWeights`
 * recomputes them with `pow`, which differs in the last float32 bits. Saving them
 * makes a resumed run bit-identical to an uninterrupted one.
 */
const EXTRA_SCALARS = ["accBeta1", "accBeta2"] as const;

// Read asynchronously: on WebGPU in Deno a synchronous read cannot work.
async function optimizerExtras(
  optimizer: tf.Optimizer | undefined,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (optimizer === undefined || optimizer === null) return out;
  const slots = optimizer as unknown as Record<string, unknown>;
  for (const key of EXTRA_SCALARS) {
    const v = slots[key];
    if (v instanceof tf.Variable && v.size === 1) out[key] = (await v.data())[0];
  }
  return out;
}

function restoreOptimizerExtras(optimizer: tf.Optimizer, extras: Record<string, number>): void {
  const slots = optimizer as unknown as Record<string, unknown>;
  for (const key of EXTRA_SCALARS) {
    const v = slots[key];
    if (v instanceof tf.Variable && typeof extras[key] === "number") {
      tf.tidy(() => v.assign(tf.scalar(extras[key], v.dtype)));
    }
  }
}

/**
 * What `model.save()` hands to an IOHandler, built here because tfjs's own path
 * leaks one tensor per save with `includeOptimizer` (the iteration-count scalar from
 * `optimizer.getWeights()` is never disposed). Same content otherwise.
 */
async function artifactsOf(
  model: tf.LayersModel,
  includeOptimizer: boolean,
): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler((a) => {
    artifacts = a;
    return Promise.resolve({ modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) });
  }));
  const result = artifacts!;
  const optimizer = model.optimizer;
  if (includeOptimizer && optimizer !== undefined && optimizer !== null) {
    const weights = await optimizer.getWeights();
    try {
      const { data, specs } = await tf.io.encodeWeights(weights, "optimizer");
      result.weightSpecs = [...(result.weightSpecs ?? []), ...specs];
      result.weightData = tf.io.concatenateArrayBuffers([
        tf.io.concatenateArrayBuffers(result.weightData ?? new ArrayBuffer(0)),
        data,
      ]);
      // getTrainingConfig is protected in tfjs's typings but is what model.save uses.
      result.trainingConfig = (model as unknown as { getTrainingConfig(): tf.io.TrainingConfig })
        .getTrainingConfig();
    } finally {
      for (const w of weights) if (!(w.tensor instanceof tf.Variable)) w.tensor.dispose();
    }
  }
  return result;
}

/** Options of {@linkcode saveModel} and {@linkcode saveWeights}. */
export interface SaveOptions {
  /** Also store the optimizer's state (Adam moments, iteration count…). @default {false} */
  includeOptimizer?: boolean;
  /**
   * JSON-serialisable data stored in the same atomic write as the weights (e.g. the
   * epoch counter of a backup), read back by {@linkcode loadWeights}. Only
   * {@linkcode saveWeights} uses it.
   * @default {undefined}
   */
  metadata?: Record<string, unknown>;
}

/** What {@linkcode loadWeights} restored. */
export interface LoadWeightsResult {
  /** Whether optimizer state was saved and restored into the model's optimizer. */
  optimizer: boolean;
  /** The `metadata` given to {@linkcode saveWeights}, if any. */
  metadata: Record<string, unknown> | undefined;
}

/** Metadata key under which saveWeights stores `options.metadata`. */
const METADATA_KEY = "libMetadata";

/**
 * Save a model (topology + weights) to a folder, atomically.
 *
 * @param model A `tf.LayersModel`.
 * @param dir Folder to write `model.json` and the weights file into (created if missing).
 * @param options `includeOptimizer`.
 * @returns tfjs's save result (byte counts).
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { loadModel, saveModel } from "@lib";
 * await tf.setBackend("cpu");
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });
 * const dir = await Deno.makeTempDir();
 * await saveModel(model, dir);
 * const copy = await loadModel(dir);
 * ```
 */
export async function saveModel(
  model: tf.LayersModel,
  dir: string | URL,
  options: SaveOptions = {},
): Promise<tf.io.SaveResult> {
  const { includeOptimizer = false } = options;
  const artifacts = await artifactsOf(model, includeOptimizer);
  return fileSystem(dir).save!(artifacts);
}

/**
 * Load a model saved by {@linkcode saveModel} (or any tfjs `model.json` folder).
 *
 * @param dir The folder (or its `model.json`, or a `file://` URL).
 * @returns The model, compiled if it was saved with `includeOptimizer`.
 * @throws For a missing, corrupt or truncated checkpoint (naming the file), and for a
 *   weights-only checkpoint (use {@linkcode loadWeights}).
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { loadModel, saveModel } from "@lib";
 * await tf.setBackend("cpu");
 * const dir = await Deno.makeTempDir();
 * await saveModel(tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] }), dir);
 * const model = await loadModel(dir); // e.g. loadModel("checkpoints/best")
 * ```
 */
export async function loadModel(dir: string | URL): Promise<tf.LayersModel> {
  const handler = fileSystem(dir);
  const artifacts = await handler.load!();
  if (
    artifacts.format === WEIGHTS_ONLY_FORMAT || artifacts.modelTopology === undefined ||
    artifacts.modelTopology === null
  ) {
    throw new Error(
      `loadModel: "${String(dir)}" holds weights only (saved with saveWeights or ` +
        "saveWeightsOnly). Build the same model, then call loadWeights(model, dir).",
    );
  }
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

/**
 * Save only a model's weights (and optionally optimizer state) to a folder, atomically.
 *
 * @param model A `tf.LayersModel`.
 * @param dir Target folder.
 * @param options `includeOptimizer`.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { loadWeights, saveWeights } from "@lib";
 * await tf.setBackend("cpu");
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });
 * const dir = await Deno.makeTempDir();
 * await saveWeights(model, dir);
 * await loadWeights(model, dir);
 * ```
 */
export async function saveWeights(
  model: tf.LayersModel,
  dir: string | URL,
  options: SaveOptions = {},
): Promise<tf.io.SaveResult> {
  const { includeOptimizer = false, metadata } = options;
  const { modelTopology: _topology, ...rest } = await artifactsOf(model, includeOptimizer);
  const userDefinedMetadata = { ...rest.userDefinedMetadata };
  const extras = includeOptimizer ? await optimizerExtras(model.optimizer) : {};
  if (Object.keys(extras).length > 0) userDefinedMetadata[EXTRAS_KEY] = extras;
  if (metadata !== undefined) userDefinedMetadata[METADATA_KEY] = metadata;
  return fileSystem(dir).save!({ ...rest, userDefinedMetadata, format: WEIGHTS_ONLY_FORMAT });
}

/**
 * Put saved weights into `model`: by name when the names match (tfjs's
 * `loadWeights`), otherwise by position when count and shapes match — layer names
 * carry a global counter (`dense_Dense3`), so the same architecture built again
 * usually has other names (Keras also loads weights-only files by order).
 */
function setModelWeights(
  model: tf.LayersModel,
  named: tf.NamedTensorMap,
  specs: tf.io.WeightsManifestEntry[],
): void {
  const targets = model.weights;
  if (targets.every((w) => w.originalName in named)) {
    model.loadWeights(named, true);
    return;
  }
  const ordered = specs.filter((s) => s.group !== "optimizer").map((s) => named[s.name]);
  const shapeOf = (shape: readonly (number | null)[]) => JSON.stringify(shape);
  const mismatch = ordered.length !== targets.length
    ? `${ordered.length} saved tensors, ${targets.length} in the model`
    : targets.map((w, i) => [w, ordered[i]] as const)
      .filter(([w, t]) => shapeOf(w.shape) !== shapeOf(t.shape))
      .map(([w, t]) => `${w.originalName} is ${shapeOf(w.shape)}, saved ${shapeOf(t.shape)}`)
      .join("; ");
  if (mismatch !== "") throw new Error(mismatch);
  model.setWeights(ordered);
}

/**
 * Load weights saved by {@linkcode saveWeights} or {@linkcode saveModel} into an
 * existing model with the same layers; optimizer state too when it was saved and the
 * model is compiled.
 *
 * @param model The model to fill.
 * @param dir The checkpoint folder.
 * @returns Whether optimizer state was restored, and the saved `metadata`.
 * @throws When the checkpoint is missing/corrupt, or its weights do not match the model.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { loadWeights, saveWeights } from "@lib";
 * await tf.setBackend("cpu");
 * const build = () => tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });
 * const dir = await Deno.makeTempDir();
 * await saveWeights(build(), dir);
 * const { optimizer, metadata } = await loadWeights(build(), dir); // same layers, new names: OK
 * ```
 */
export async function loadWeights(
  model: tf.LayersModel,
  dir: string | URL,
): Promise<LoadWeightsResult> {
  const artifacts = await fileSystem(dir).load!();
  if (artifacts.weightData === undefined || artifacts.weightSpecs === undefined) {
    throw new Error(`loadWeights: checkpoint "${String(dir)}" has no weights.`);
  }
  const named = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
  const metadata = artifacts.userDefinedMetadata?.[METADATA_KEY] as
    | Record<string, unknown>
    | undefined;
  const modelWeights: tf.NamedTensorMap = {};
  const optimizerWeights: Array<{ name: string; tensor: tf.Tensor }> = [];
  for (const spec of artifacts.weightSpecs) {
    if (spec.group === "optimizer") {
      optimizerWeights.push({ name: spec.name, tensor: named[spec.name] });
    } else modelWeights[spec.name] = named[spec.name];
  }
  try {
    setModelWeights(model, modelWeights, artifacts.weightSpecs);
    const optimizer = model.optimizer;
    if (optimizerWeights.length > 0 && optimizer !== undefined && optimizer !== null) {
      // tfjs optimizers replace their slot variables in setWeights without freeing the
      // old ones: free those that are no longer used, and the iteration scalars.
      const before = await optimizer.getWeights();
      await optimizer.setWeights(optimizerWeights);
      const after = await optimizer.getWeights();
      const kept = new Set(after.map((w) => w.tensor));
      for (const w of before) if (!kept.has(w.tensor)) w.tensor.dispose();
      for (const w of after) if (!(w.tensor instanceof tf.Variable)) w.tensor.dispose();
      const extras = artifacts.userDefinedMetadata?.[EXTRAS_KEY];
      if (extras !== undefined) restoreOptimizerExtras(optimizer, extras as Record<string, number>);
      return { optimizer: true, metadata };
    }
    return { optimizer: false, metadata };
  } catch (error) {
    throw new Error(
      `loadWeights: the weights in "${String(dir)}" do not fit this model ` +
        `(${error instanceof Error ? error.message : String(error)}). ` +
        "Build the model with the same layers (and names) as the one saved.",
    );
  } finally {
    tf.dispose(Object.values(named));
  }
}
