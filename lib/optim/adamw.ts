/**
 * Adam with decoupled weight decay (AdamW, Loshchilov & Hutter), which tfjs lacks.
 *
 * Adam + an L2 penalty `λ‖w‖²` in the loss is *not* weight decay: the penalty's gradient
 * `2λw` goes through Adam's per-weight normalisation `m̂ / (√v̂ + ε)` with the data
 * gradient, so weights with large gradients are barely decayed and weights with tiny
 * gradients are pushed to zero at a rate of about `lr` per step, whatever `λ` is. AdamW
 * takes the decay out of the gradient: each step first shrinks every weight,
 * `w ← w − lr · λ · w`, then takes the ordinary Adam step.
 *
 * Introduced in lesson 05 (optimizers and schedules).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** What `tf.AdamOptimizer.applyGradients` accepts (a map or a list of named gradients). */
type GradientsArg = Parameters<tf.AdamOptimizer["applyGradients"]>[0];

/** Options of {@linkcode adamw}. */
export interface AdamWOptions {
  /** Step size `lr`. @default {0.001} */
  learningRate?: number;
  /** `λ`: each step multiplies every decayed weight by `1 − lr · λ`. @default {0.004} (Keras) */
  weightDecay?: number;
  /** Decay rate of the first-moment average. @default {0.9} */
  beta1?: number;
  /** Decay rate of the second-moment average. @default {0.999} */
  beta2?: number;
  /** Added to `√v̂`. @default {1e-7} (Keras; tfjs's `adam` takes the backend's, also 1e-7 on CPU/WASM) */
  epsilon?: number;
  /**
   * Variables whose name contains one of these strings are not decayed, e.g. `["bias"]`
   * (Keras's `exclude_from_weight_decay(var_names=…)`).
   * @default {[]} (every variable is decayed, as in Keras and PyTorch)
   */
  exclude?: string[];
}

/**
 * `tf.AdamOptimizer` plus decoupled weight decay; registered with tfjs's serialization
 * under the class name `"AdamW"`, so a model saved with `includeOptimizer: true` loads
 * back with its decay. Build it with {@linkcode adamw}.
 */
export class AdamWOptimizer extends tf.AdamOptimizer {
  /** The name tfjs stores in a saved model's training config. */
  static override get className(): string {
    return "AdamW";
  }

  /** `λ` of `w ← w − lr · λ · w`. */
  readonly weightDecay: number;
  /** Substrings of variable names that are not decayed. */
  readonly exclude: readonly string[];

  /**
   * @param learningRate `lr`.
   * @param beta1 First-moment decay.
   * @param beta2 Second-moment decay.
   * @param epsilon Added to `√v̂`.
   * @param weightDecay `λ`.
   * @param exclude Substrings of variable names not to decay.
   */
  constructor(
    learningRate: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    weightDecay: number,
    exclude: readonly string[] = [],
  ) {
    super(learningRate, beta1, beta2, epsilon);
    this.weightDecay = weightDecay;
    this.exclude = [...exclude];
  }

  /** Decays the variables that have a gradient (`w ← w − lr · λ · w`), then Adam's step. */
  override applyGradients(variableGradients: GradientsArg): void {
    const pairs: Array<[string, tf.Tensor | null | undefined]> = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor])
      : Object.entries(variableGradients);
    const shrink = this.learningRate * this.weightDecay;
    if (shrink !== 0) {
      tf.tidy(() => {
        for (const [name, gradient] of pairs) {
          if (
            gradient === null || gradient === undefined ||
            this.exclude.some((part) => name.includes(part))
          ) continue;
          const w = tf.engine().registeredVariables[name];
          w.assign(tf.sub(w, tf.mul(w, shrink))); // w − lr·λ·w, before (and apart from) Adam
        }
      });
    }
    super.applyGradients(variableGradients);
  }

  /** Adam's settings plus `weightDecay` and `exclude`. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), weightDecay: this.weightDecay, exclude: [...this.exclude] };
  }

  /** Rebuilds an AdamW from {@linkcode AdamWOptimizer.getConfig}'s output. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const ctor = cls as unknown as new (...args: unknown[]) => T;
    return new ctor(
      config.learningRate,
      config.beta1,
      config.beta2,
      config.epsilon,
      config.weightDecay ?? 0,
      config.exclude ?? [],
    );
  }
}

tf.serialization.registerClass(AdamWOptimizer);

/**
 * Adam with decoupled weight decay: each step does `w ← w − lr · λ · w` for every variable
 * it updates (except `exclude`d names), then the usual Adam update
 * `w ← w − lr · m̂ / (√v̂ + ε)` — the decay never enters `m` or `v`.
 * Defaults are Keras's `AdamW`.
 *
 * @param options `learningRate`, `weightDecay`, `beta1`, `beta2`, `epsilon`, `exclude`.
 * @returns An optimizer for `model.compile({ optimizer })` or `minimize`.
 * @throws When a rate, `weightDecay`, `beta1`/`beta2` (outside [0, 1)) or `epsilon` is out of range.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { adamw } from "@lib";
 * await tf.setBackend("cpu");
 * const w = tf.variable(tf.scalar(1));
 * // A loss with zero gradient: Adam alone would not move w; AdamW shrinks it by lr·λ.
 * adamw({ learningRate: 0.1, weightDecay: 0.5 }).minimize(() => tf.mul(w, 0).sum() as tf.Scalar);
 * console.log((await w.data())[0].toFixed(4)); // 0.9500 (= 1 − 0.1 · 0.5)
 * ```
 */
export function adamw(options: AdamWOptions = {}): AdamWOptimizer {
  const who = "adamw";
  const {
    learningRate = 0.001,
    weightDecay = 0.004,
    beta1 = 0.9,
    beta2 = 0.999,
    epsilon = 1e-7,
    exclude = [],
  } = options;
  const check = (name: string, value: number, ok: boolean, range: string) => {
    if (!ok || typeof value !== "number" || Number.isNaN(value)) {
      throw new Error(`${who}: \`${name}\` must be ${range}, got ${value}.`);
    }
  };
  check("learningRate", learningRate, learningRate > 0 && Number.isFinite(learningRate), "> 0");
  check("weightDecay", weightDecay, weightDecay >= 0 && Number.isFinite(weightDecay), ">= 0");
  check("beta1", beta1, beta1 >= 0 && beta1 < 1, "in [0, 1)");
  check("beta2", beta2, beta2 >= 0 && beta2 < 1, "in [0, 1)");
  check("epsilon", epsilon, epsilon > 0 && Number.isFinite(epsilon), "> 0");
  return new AdamWOptimizer(learningRate, beta1, beta2, epsilon, weightDecay, exclude);
}
