/**
 * Saving and loading models on the local file system from Deno: a `tf.io` handler
 * with atomic writes and clear errors for corrupt checkpoints, plus one-call helpers.
 *
 * @module
 */
export {
  checkpointDir,
  fileSystem,
  MODEL_JSON,
  registerFileSystemRouter,
  WEIGHTS_ONLY_FORMAT,
} from "./file_system.ts";
export {
  loadModel,
  loadWeights,
  type LoadWeightsResult,
  saveModel,
  type SaveOptions,
  saveWeights,
} from "./model_files.ts";
