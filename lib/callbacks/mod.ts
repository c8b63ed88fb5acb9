/**
 * Keras-parity training callbacks for `model.fit(..., { callbacks })`.
 *
 * Each is a `tf.Callback`, so it goes into the same list as tfjs's own. To mix them
 * with plain hook objects (`{ onEpochEnd() {…} }`), wrap the list in
 * `callbackList(...)`: tfjs itself only handles all-callbacks or all-plain lists.
 * `liveCurves({ stopper })` is the live learning-curves dashboard.
 *
 * @module
 */
export { Monitor, type MonitorOptions } from "./monitor.ts";
export { EarlyStopping, earlyStopping, type EarlyStoppingOptions } from "./early_stopping.ts";
export {
  ModelCheckpoint,
  modelCheckpoint,
  type ModelCheckpointOptions,
} from "./model_checkpoint.ts";
export { formatPath, templateKeys } from "./path_template.ts";
export {
  ProgressBar,
  progressBar,
  type ProgressBarOptions,
  type ProgressMode,
  type ProgressState,
  renderProgress,
} from "./progress_bar.ts";
export {
  getLearningRate,
  LEARNING_RATE_KEY,
  ReduceLROnPlateau,
  reduceLROnPlateau,
  type ReduceLROnPlateauOptions,
  setLearningRate,
} from "./reduce_lr_on_plateau.ts";
export {
  type EpochSchedule,
  LearningRateScheduler,
  learningRateScheduler,
  type LearningRateSchedulerOptions,
} from "./learning_rate_scheduler.ts";
export { TerminateOnNaN, terminateOnNaN, type TerminateOnNaNOptions } from "./terminate_on_nan.ts";
export { CsvLogger, csvLogger, type CsvLoggerOptions } from "./csv_logger.ts";
export {
  AutoStopOnInterrupt,
  StopOn,
  stopOn,
  StopOnInterrupt,
  stopOnInterrupt,
  type StopOnOptions,
  wasStoppedOnRequest,
} from "./stop_on.ts";
// The stop button (■): what every interrupt does once @lib is imported in the kernel.
export {
  exitKernel,
  interruptRequested,
  type InterruptSource,
  interruptSource,
  type InterruptTarget,
  type LoopPosition,
  onInterrupt,
} from "./interrupt.ts";
export {
  BackupAndRestore,
  backupAndRestore,
  type BackupAndRestoreOptions,
} from "./backup_and_restore.ts";
export { type AnyCallback, callbackList } from "./callback_list.ts";
export { TrainingCallback } from "./training_callback.ts";
export {
  LiveCurves,
  liveCurves,
  type LiveCurvesOptions,
  type LiveCurvesStats,
  type LiveStopper,
  type OutputSink,
} from "./live_curves.ts";
