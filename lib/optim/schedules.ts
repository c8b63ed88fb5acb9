/**
 * Learning-rate schedules as pure functions: a step (or epoch) index `t = 0, 1, 2, …` in,
 * a learning rate out. Hand one to `learningRateScheduler(schedule)` to set the rate at
 * the start of every epoch, or call it yourself in a training loop.
 *
 * Keras parity: {@linkcode exponentialDecay} and {@linkcode cosineDecay} compute what
 * `keras.optimizers.schedules.ExponentialDecay` and `CosineDecay` (with warm-up) compute;
 * {@linkcode oneCycle} is PyTorch's `OneCycleLR` (cosine annealing, two phases);
 * {@linkcode stepDecay} is the classic "halve it every N epochs".
 *
 * Introduced in lesson 05 (optimizers and schedules).
 *
 * @module
 */

/** A learning-rate schedule: step or epoch index `t ≥ 0` (0-based) → learning rate. */
export type LearningRateSchedule = (t: number) => number;

function checkStep(who: string, t: number): void {
  if (typeof t !== "number" || !Number.isFinite(t) || t < 0) {
    throw new Error(
      `${who}: the step must be a finite number >= 0 (a 0-based epoch or step index), got ${t}.`,
    );
  }
}

function positive(who: string, name: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${who}: \`${name}\` must be a finite number > 0, got ${value}.`);
  }
}

function wholeAtLeast(who: string, name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${who}: \`${name}\` must be a whole number >= ${min}, got ${value}.`);
  }
}

/** Options of {@linkcode stepDecay}. */
export interface StepDecayOptions {
  /** The rate for `t < dropEvery`. */
  initialLearningRate: number;
  /** Steps (or epochs) between drops. */
  dropEvery: number;
  /** Multiplier at each drop, in (0, 1]. @default {0.5} */
  factor?: number;
}

/**
 * Step decay: `lr(t) = initialLearningRate · factor^⌊t / dropEvery⌋` — constant, then
 * multiplied by `factor` every `dropEvery` steps.
 *
 * @param options The initial rate, the drop interval and factor.
 * @returns The schedule.
 * @throws When a rate or the interval is not positive, `factor` is outside (0, 1], or the
 *   schedule is called with a negative step.
 * @example
 * ```ts
 * import { stepDecay } from "@lib";
 * const lr = stepDecay({ initialLearningRate: 0.1, dropEvery: 10 });
 * console.log(lr(0), lr(9), lr(10), lr(25)); // 0.1 0.1 0.05 0.025
 * ```
 */
export function stepDecay(options: StepDecayOptions): LearningRateSchedule {
  const who = "stepDecay";
  const { initialLearningRate, dropEvery, factor = 0.5 } = options;
  positive(who, "initialLearningRate", initialLearningRate);
  positive(who, "dropEvery", dropEvery);
  if (!(factor > 0 && factor <= 1)) {
    throw new Error(
      `${who}: \`factor\` must be in (0, 1] (each drop multiplies by it), got ${factor}.`,
    );
  }
  return (t) => {
    checkStep(who, t);
    return initialLearningRate * factor ** Math.floor(t / dropEvery);
  };
}

/** Options of {@linkcode exponentialDecay}. */
export interface ExponentialDecayOptions {
  /** The rate at `t = 0`. */
  initialLearningRate: number;
  /** Steps (or epochs) over which the rate is multiplied by `decayRate` once. */
  decaySteps: number;
  /** Multiplier per `decaySteps`, > 0 (below 1 decays). */
  decayRate: number;
  /** Decay in whole periods only (`⌊t / decaySteps⌋`), like Keras. @default {false} */
  staircase?: boolean;
}

/**
 * Exponential decay, as Keras's `ExponentialDecay`:
 * `lr(t) = initialLearningRate · decayRate^(t / decaySteps)` (the exponent floored when
 * `staircase`).
 *
 * @param options The initial rate, period and rate of decay.
 * @returns The schedule.
 * @throws When a rate or `decaySteps` is not positive, or the schedule is called with a
 *   negative step.
 * @example
 * ```ts
 * import { exponentialDecay } from "@lib";
 * const lr = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
 * console.log(lr(0), lr(10), lr(20)); // 0.1 0.05 0.025
 * ```
 */
export function exponentialDecay(options: ExponentialDecayOptions): LearningRateSchedule {
  const who = "exponentialDecay";
  const { initialLearningRate, decaySteps, decayRate, staircase = false } = options;
  positive(who, "initialLearningRate", initialLearningRate);
  positive(who, "decaySteps", decaySteps);
  positive(who, "decayRate", decayRate);
  return (t) => {
    checkStep(who, t);
    const periods = staircase ? Math.floor(t / decaySteps) : t / decaySteps;
    return initialLearningRate * decayRate ** periods;
  };
}

/** Options of {@linkcode cosineDecay}. */
export interface CosineDecayOptions {
  /**
   * The rate at `t = 0`: where the warm-up starts, or (without warm-up) where the cosine
   * starts. May be 0 with a warm-up.
   */
  initialLearningRate: number;
  /** Steps (or epochs) of the cosine part, after the warm-up. */
  decaySteps: number;
  /** The rate ends at `alpha ×` the peak. @default {0} */
  alpha?: number;
  /** Steps of linear warm-up from `initialLearningRate` to `warmupTarget`. @default {0} */
  warmupSteps?: number;
  /** The peak the warm-up climbs to; required when `warmupSteps > 0`. @default {undefined} */
  warmupTarget?: number;
}

/**
 * Cosine decay with optional linear warm-up, as Keras 3's `CosineDecay`: for
 * `t < warmupSteps` the rate climbs linearly from `initialLearningRate` to `warmupTarget`;
 * then over `decaySteps` it follows half a cosine from the peak down to `alpha · peak`,
 * `peak · ((1 − alpha) · ½(1 + cos(π · s / decaySteps)) + alpha)` with `s = t − warmupSteps`,
 * and stays there after.
 *
 * @param options Initial rate, length of the cosine, floor, warm-up.
 * @returns The schedule.
 * @throws When `decaySteps` is not positive, `alpha` is outside [0, 1], `warmupSteps` is
 *   negative, a warm-up has no `warmupTarget` (Keras would silently skip it), or the schedule
 *   is called with a negative step.
 * @example
 * ```ts
 * import { cosineDecay } from "@lib";
 * const lr = cosineDecay({ initialLearningRate: 0, warmupTarget: 0.1, warmupSteps: 2, decaySteps: 4 });
 * console.log([0, 1, 2, 4, 6, 9].map(lr).map((v) => +v.toFixed(4))); // [ 0, 0.05, 0.1, 0.05, 0, 0 ]
 * ```
 */
export function cosineDecay(options: CosineDecayOptions): LearningRateSchedule {
  const who = "cosineDecay";
  const { initialLearningRate, decaySteps, alpha = 0, warmupSteps = 0, warmupTarget } = options;
  positive(who, "decaySteps", decaySteps);
  if (!(alpha >= 0 && alpha <= 1)) {
    throw new Error(
      `${who}: \`alpha\` (the final rate as a fraction of the peak) must be in [0, 1], got ${alpha}.`,
    );
  }
  if (!(warmupSteps >= 0) || !Number.isFinite(warmupSteps)) {
    throw new Error(`${who}: \`warmupSteps\` must be a finite number >= 0, got ${warmupSteps}.`);
  }
  if (warmupSteps > 0 && warmupTarget === undefined) {
    throw new Error(
      `${who}: \`warmupSteps\` is ${warmupSteps} but \`warmupTarget\` is missing: give the rate ` +
        "the warm-up climbs to (Keras ignores the warm-up silently in this case).",
    );
  }
  const peak = warmupTarget ?? initialLearningRate;
  positive(who, warmupTarget === undefined ? "initialLearningRate" : "warmupTarget", peak);
  if (!(initialLearningRate >= 0) || !Number.isFinite(initialLearningRate)) {
    throw new Error(
      `${who}: \`initialLearningRate\` must be a finite number >= 0, got ${initialLearningRate}.`,
    );
  }
  return (t) => {
    checkStep(who, t);
    if (t < warmupSteps) {
      return initialLearningRate + (peak - initialLearningRate) * (t / warmupSteps);
    }
    const done = Math.min(t - warmupSteps, decaySteps) / decaySteps; // fraction of the cosine
    return peak * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * done)) + alpha);
  };
}

/** Options of {@linkcode oneCycle}. */
export interface OneCycleOptions {
  /** The peak rate, reached after `pctStart · totalSteps` steps. */
  maxLearningRate: number;
  /** Length of the cycle; the schedule is defined for `t = 0 … totalSteps − 1`. */
  totalSteps: number;
  /** Fraction of the cycle spent climbing. @default {0.3} (PyTorch) */
  pctStart?: number;
  /** Start rate = `maxLearningRate / divFactor`. @default {25} */
  divFactor?: number;
  /** Final rate = start rate / `finalDivFactor`. @default {1e4} */
  finalDivFactor?: number;
}

/**
 * The one-cycle policy (Smith & Topin), as PyTorch's `OneCycleLR` with cosine annealing:
 * from `max / divFactor` up to `maxLearningRate` over the first `pctStart · totalSteps − 1`
 * steps, then down to `max / (divFactor · finalDivFactor)` at step `totalSteps − 1`; each
 * phase is half a cosine, `end + (start − end) · ½(1 + cos(π · p))` with `p` the phase's
 * completed fraction. (PyTorch also cycles momentum; this schedule is the rate only.)
 *
 * @param options Peak rate, cycle length, shape.
 * @returns The schedule.
 * @throws When the climb would be shorter than one step or reach past the last step, a rate
 *   or factor is not positive, or the schedule is called with a step outside
 *   `0 … totalSteps − 1`.
 * @example
 * ```ts
 * import { oneCycle } from "@lib";
 * const lr = oneCycle({ maxLearningRate: 0.1, totalSteps: 11, pctStart: 0.5 });
 * console.log(lr(0), +lr(4.5).toFixed(4), lr(10)); // 0.004 0.1 4e-7
 * ```
 */
export function oneCycle(options: OneCycleOptions): LearningRateSchedule {
  const who = "oneCycle";
  const { maxLearningRate, totalSteps, pctStart = 0.3, divFactor = 25, finalDivFactor = 1e4 } =
    options;
  positive(who, "maxLearningRate", maxLearningRate);
  wholeAtLeast(who, "totalSteps", totalSteps, 3);
  positive(who, "divFactor", divFactor);
  positive(who, "finalDivFactor", finalDivFactor);
  const peakStep = pctStart * totalSteps - 1; // PyTorch's end of phase 1
  if (!(peakStep > 0 && peakStep < totalSteps - 1)) {
    throw new Error(
      `${who}: the warm-up ends at step pctStart × totalSteps − 1 = ${pctStart} × ${totalSteps} − 1 ` +
        `= ${+peakStep.toFixed(3)}, which must lie strictly between 0 and the last step ` +
        `(${totalSteps - 1}). Choose pctStart in (${+(1 / totalSteps).toFixed(4)}, 1).`,
    );
  }
  const start = maxLearningRate / divFactor;
  const end = start / finalDivFactor;
  const anneal = (from: number, to: number, p: number) =>
    p <= 0 ? from : to + (from - to) * 0.5 * (1 + Math.cos(Math.PI * p));
  return (t) => {
    checkStep(who, t);
    if (t > totalSteps - 1) {
      throw new Error(
        `${who}: asked for step ${t}, but the cycle has totalSteps = ${totalSteps} (steps 0 … ` +
          `${totalSteps - 1}). Set totalSteps to the number of epochs (or batches) you train.`,
      );
    }
    if (t <= peakStep) return anneal(start, maxLearningRate, t / peakStep);
    return anneal(maxLearningRate, end, (t - peakStep) / (totalSteps - 1 - peakStep));
  };
}
