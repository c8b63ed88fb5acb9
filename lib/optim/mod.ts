/**
 * Optimizers and learning rates: schedules (pure functions of the step), the
 * learning-rate range test, and AdamW (decoupled weight decay, which tfjs lacks).
 * Uses only `core/` from the rest of `lib`; the epoch callback that applies a schedule,
 * `learningRateScheduler`, is in `callbacks/`.
 *
 * Introduced in lesson 05 (optimizers and schedules).
 *
 * @module
 */
export {
  cosineDecay,
  type CosineDecayOptions,
  exponentialDecay,
  type ExponentialDecayOptions,
  type LearningRateSchedule,
  oneCycle,
  type OneCycleOptions,
  stepDecay,
  type StepDecayOptions,
} from "./schedules.ts";
export {
  findLearningRate,
  type FindLearningRateOptions,
  type LRFinderResult,
  type LRSuggestionRule,
} from "./lr_finder.ts";
export { adamw, AdamWOptimizer, type AdamWOptions } from "./adamw.ts";
