/**
 * The learning-rate range test (Leslie Smith, "Cyclical Learning Rates", 2017; fastai's
 * `lr_find`): train for a few hundred batches while the rate grows exponentially from tiny
 * to huge, record the loss, stop when it diverges, and read a good rate off the curve.
 *
 * Introduced in lesson 05 (optimizers and schedules).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { setLearningRate } from "../core/learning_rate.ts";

/** How {@linkcode findLearningRate} turns the curve into one suggested rate. */
export type LRSuggestionRule = "minOver10" | "steepest";

/** Options of {@linkcode findLearningRate}. */
export interface FindLearningRateOptions {
  /** Rate of the first step. @default {1e-6} */
  minLR?: number;
  /** Rate of the last step. @default {1} */
  maxLR?: number;
  /** Number of steps (batches); rate i is `minLR · (maxLR/minLR)^(i/(steps−1))`. @default {100} */
  steps?: number;
  /** Samples per step. Batches are taken in order, cycling: pass shuffled data. @default {32} */
  batchSize?: number;
  /** Stop once the smoothed loss exceeds this multiple of its best so far. @default {4} */
  divergeFactor?: number;
  /** β of the (bias-corrected) exponential moving average that smooths the loss. @default {0.98} */
  smoothing?: number;
  /** Which rule gives `suggestion`. @default {"minOver10"} */
  rule?: LRSuggestionRule;
  /**
   * Makes the optimizer the test trains with.
   * @default {a fresh copy of the model's optimizer: same class and settings, no state}
   */
  optimizer?: () => tf.Optimizer;
}

/** What the range test measured, and the rates it suggests. */
export interface LRFinderResult {
  /** The rate of each step that ran. */
  learningRates: number[];
  /** The training loss of each step's batch (before that step's update). */
  losses: number[];
  /** `losses` smoothed (bias-corrected exponential moving average). */
  smoothed: number[];
  /** Why it stopped: all `steps` ran, or the smoothed loss passed `divergeFactor ×` its best (or was not finite). */
  stopped: "completed" | "diverged";
  /** The rate where the smoothed loss was lowest, and that loss. */
  minimum: { learningRate: number; loss: number };
  /** Rule "minOver10": a tenth of `minimum.learningRate` (fastai's `lr_min`). */
  minOver10: number;
  /** Rule "steepest": the rate where the smoothed loss falls fastest per factor of rate (fastai's `lr_steep`). */
  steepest: number;
  /** The rate `rule` picks. */
  suggestion: number;
  /** The rule that picked `suggestion`. */
  rule: LRSuggestionRule;
}

/** A fresh optimizer of `optimizer`'s class and settings, with none of its state. */
function freshCopy(optimizer: tf.Optimizer): tf.Optimizer {
  const cls = optimizer.constructor as unknown as
    & tf.serialization.SerializableConstructor<
      tf.Optimizer
    >
    & {
      fromConfig: (
        c: tf.serialization.SerializableConstructor<tf.Optimizer>,
        config: tf.serialization.ConfigDict,
      ) => tf.Optimizer;
    };
  return cls.fromConfig(cls, optimizer.getConfig());
}

function checkOptions(who: string, o: Required<Omit<FindLearningRateOptions, "optimizer">>) {
  if (!(o.minLR > 0 && o.maxLR > o.minLR && Number.isFinite(o.maxLR))) {
    throw new Error(
      `${who}: need 0 < minLR < maxLR (finite), got minLR = ${o.minLR}, maxLR = ${o.maxLR}.`,
    );
  }
  if (!Number.isInteger(o.steps) || o.steps < 10) {
    throw new Error(`${who}: \`steps\` must be a whole number >= 10, got ${o.steps}.`);
  }
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) {
    throw new Error(`${who}: \`batchSize\` must be a whole number >= 1, got ${o.batchSize}.`);
  }
  if (!(o.divergeFactor > 1)) {
    throw new Error(`${who}: \`divergeFactor\` must be > 1, got ${o.divergeFactor}.`);
  }
  if (!(o.smoothing >= 0 && o.smoothing < 1)) {
    throw new Error(`${who}: \`smoothing\` must be in [0, 1), got ${o.smoothing}.`);
  }
  if (o.rule !== "minOver10" && o.rule !== "steepest") {
    throw new Error(`${who}: unknown rule "${o.rule}"; use "minOver10" or "steepest".`);
  }
}

/**
 * Run the learning-rate range test on a compiled model and suggest a rate. The model is
 * left as it was: its weights are copied before and written back after (also when the test
 * throws), and its own optimizer and that optimizer's state (Adam's moments, iteration
 * count) are never used — the test trains with a fresh copy. Only tfjs's random state
 * (dropout masks) moves on.
 *
 * Each step trains on one batch (`model.trainOnBatch`, so the compiled loss and any
 * regularizers count) at a rate growing exponentially from `minLR` to `maxLR`. The test
 * stops early when the smoothed loss exceeds `divergeFactor ×` its best. The first 10% of
 * the steps are ignored when suggesting (the moving average is still settling there).
 * Rules: `"minOver10"` (default) takes a tenth of the rate at the lowest smoothed loss —
 * the minimum itself is already too fast, since the loss blows up just after it;
 * `"steepest"` takes the rate where the smoothed loss drops fastest against log(rate).
 * Both are heuristics: train with the suggestion and check.
 *
 * @param model A compiled model (its `loss` is what is measured).
 * @param x Inputs, first axis = samples (shuffled: batches are taken in order).
 * @param y Targets, first axis = samples.
 * @param options Range, steps, batch size, stopping, smoothing, rule, optimizer.
 * @returns The curve and the suggested rates.
 * @throws When the model is not compiled, `x` and `y` differ in length, an option is out of
 *   range, or the loss diverged too early to suggest anything.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { findLearningRate } from "@lib";
 * await tf.setBackend("cpu");
 * const x = tf.randomNormal([256, 2], 0, 1, "float32", 1);
 * const y = x.matMul(tf.tensor2d([[2], [-1]]));
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
 * model.compile({ optimizer: tf.train.sgd(0.01), loss: "meanSquaredError" });
 * const found = await findLearningRate(model, x, y, { minLR: 1e-4, maxLR: 10, steps: 60 });
 * console.log(found.stopped, found.suggestion > 1e-3 && found.suggestion < 1); // diverged true
 * ```
 */
export async function findLearningRate(
  model: tf.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
  options: FindLearningRateOptions = {},
): Promise<LRFinderResult> {
  const who = "findLearningRate";
  const {
    minLR = 1e-6,
    maxLR = 1,
    steps = 100,
    batchSize = 32,
    divergeFactor = 4,
    smoothing = 0.98,
    rule = "minOver10",
    optimizer: makeOptimizer,
  } = options;
  checkOptions(who, { minLR, maxLR, steps, batchSize, divergeFactor, smoothing, rule });
  if (model.optimizer === null || model.optimizer === undefined) {
    throw new Error(
      `${who}: the model is not compiled. Call model.compile({ optimizer, loss }) first.`,
    );
  }
  const n = x.shape[0];
  if (n !== y.shape[0]) {
    throw new Error(
      `${who}: x has ${n} samples but y has ${y.shape[0]}; pass one target per input.`,
    );
  }
  const own = model as unknown as { optimizer: tf.Optimizer; isOptimizerOwned: boolean };
  const [original, owned] = [own.optimizer, own.isOptimizerOwned];
  const saved = model.getWeights().map((w) => w.clone());
  const trial = makeOptimizer ? makeOptimizer() : freshCopy(original);
  const result = {
    learningRates: [] as number[],
    losses: [] as number[],
    smoothed: [] as number[],
  };
  let stopped: LRFinderResult["stopped"] = "completed";
  try {
    own.optimizer = trial;
    const batches = Math.ceil(n / batchSize);
    let average = 0;
    let best = Infinity;
    for (let i = 0; i < steps; i++) {
      const lr = minLR * (maxLR / minLR) ** (i / (steps - 1));
      setLearningRate(trial, lr);
      const start = (i % batches) * batchSize;
      const size = Math.min(batchSize, n - start);
      const [xb, yb] = [x.slice(start, size), y.slice(start, size)];
      const out = await model.trainOnBatch(xb, yb);
      tf.dispose([xb, yb]);
      const loss = Array.isArray(out) ? out[0] : out;
      average = smoothing * average + (1 - smoothing) * loss;
      const smooth = average / (1 - smoothing ** (i + 1)); // bias correction, as Adam's
      result.learningRates.push(lr);
      result.losses.push(loss);
      result.smoothed.push(smooth);
      if (!Number.isFinite(smooth) || smooth > divergeFactor * best) {
        stopped = "diverged";
        break;
      }
      best = Math.min(best, smooth);
    }
  } finally {
    own.optimizer = original;
    own.isOptimizerOwned = owned;
    model.setWeights(saved);
    tf.dispose(saved);
    trial.dispose();
  }
  return { ...result, stopped, ...suggest(who, result.learningRates, result.smoothed, rule) };
}

/** The two rules on the recorded curve, first 10% of the planned steps skipped. */
function suggest(who: string, lrs: number[], smoothed: number[], rule: LRSuggestionRule) {
  const skip = Math.floor(lrs.length / 10);
  const idx = Array.from({ length: lrs.length - skip }, (_, k) => k + skip)
    .filter((i) => Number.isFinite(smoothed[i]));
  if (idx.length < 3) {
    throw new Error(
      `${who}: the loss diverged after ${lrs.length} steps, too early to suggest a rate. ` +
        "Lower minLR (or maxLR), or check the data and model.",
    );
  }
  const low = idx.reduce((a, b) => (smoothed[b] < smoothed[a] ? b : a));
  // Slope of the smoothed loss against log(rate), central differences (one-sided at the ends).
  let steepestAt = idx[0];
  let steepestSlope = Infinity;
  for (let k = 0; k < idx.length; k++) {
    const [a, b] = [idx[Math.max(0, k - 1)], idx[Math.min(idx.length - 1, k + 1)]];
    const slope = (smoothed[b] - smoothed[a]) / (Math.log(lrs[b]) - Math.log(lrs[a]));
    if (slope < steepestSlope) [steepestSlope, steepestAt] = [slope, idx[k]];
  }
  const minimum = { learningRate: lrs[low], loss: smoothed[low] };
  const minOver10 = lrs[low] / 10;
  const steepest = lrs[steepestAt];
  return {
    minimum,
    minOver10,
    steepest,
    suggestion: rule === "steepest" ? steepest : minOver10,
    rule,
  };
}
