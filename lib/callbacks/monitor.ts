/**
 * The one "is this an improvement?" rule, shared by {@linkcode earlyStopping},
 * {@linkcode modelCheckpoint} and {@linkcode reduceLROnPlateau} (Keras keeps the same
 * logic once, in `MonitorCallback`). Which direction is better comes from
 * `monitorDirection` in `lib/core/history.ts`, which the figures and `bestEpoch` use too.
 *
 * @module
 */
import { type Logs, monitorDirection, type MonitorMode } from "../core/history.ts";
import { warn } from "./_log.ts";

/** The options every monitoring callback shares. */
export interface MonitorOptions {
  /** Key of the logs to watch, e.g. `"val_loss"` or `"acc"`. @default {"val_loss"} */
  monitor?: string;
  /**
   * `"min"`: lower is better; `"max"`: higher is better; `"auto"`: losses and errors
   * minimise, accuracy-like metrics (`acc`, `accuracy`, `auc`, `precision`, `recall`)
   * maximise, and a name that is neither is an error asking for an explicit mode.
   * @default {"auto"}
   */
  mode?: MonitorMode;
  /** Smallest change that counts as an improvement (its sign is ignored). @default {0} */
  minDelta?: number;
  /**
   * Value to beat: until the monitored quantity improves on it, nothing counts as
   * progress. `undefined` means the first value seen is the reference.
   * @default {undefined}
   */
  baseline?: number;
  /** Throw instead of warning when the monitored key is missing from the logs. @default {false} */
  strict?: boolean;
}

/**
 * Tracks the best value of one logged quantity and answers "is this an improvement?".
 *
 * For `min`, `current` improves on `reference` when `current + |minDelta| < reference`;
 * for `max`, when `current - |minDelta| > reference` (Keras's `_is_improvement`).
 *
 * @example
 * ```ts
 * import { Monitor } from "@lib/callbacks/monitor.ts";
 * const m = new Monitor({ monitor: "val_loss", minDelta: 0.01 });
 * m.reset();
 * m.isImprovement(0.5); // true: nothing seen yet
 * m.best = 0.5;
 * m.isImprovement(0.495); // false: better by less than minDelta
 * ```
 */
export class Monitor {
  /** The log key watched. */
  readonly key: string;
  /** `"min"` or `"max"`, resolved from the mode. */
  readonly direction: "min" | "max";
  /** Absolute minimum change that counts. */
  readonly minDelta: number;
  /** Value to beat before anything counts as progress, if any. */
  readonly baseline: number | undefined;
  /** Whether a missing key throws. */
  readonly strict: boolean;
  /** Best value seen since {@linkcode Monitor.reset}, `undefined` before the first. */
  best: number | undefined;
  readonly #who: string;
  #warned = false;

  /**
   * @param options Monitor key, mode, minDelta, baseline, strict.
   * @param defaultKey Key watched when `options.monitor` is not given.
   * @param who Callback name used in messages.
   */
  constructor(options: MonitorOptions = {}, defaultKey = "val_loss", who = "monitor") {
    const { monitor = defaultKey, mode = "auto", minDelta = 0, baseline, strict = false } = options;
    if (typeof monitor !== "string" || monitor.length === 0) {
      throw new Error(`${who}: \`monitor\` must be a non-empty log key, got ${String(monitor)}.`);
    }
    if (!Number.isFinite(minDelta)) {
      throw new Error(`${who}: \`minDelta\` must be a finite number, got ${minDelta}.`);
    }
    if (baseline !== undefined && !Number.isFinite(baseline)) {
      throw new Error(`${who}: \`baseline\` must be a finite number, got ${baseline}.`);
    }
    this.#who = who;
    this.key = monitor;
    this.direction = monitorDirection(monitor, mode, who);
    this.minDelta = Math.abs(minDelta);
    this.baseline = baseline;
    this.strict = strict;
    this.best = undefined;
  }

  /** Forget the best value (call on train begin). */
  reset(): void {
    this.best = undefined;
    this.#warned = false;
  }

  /**
   * Whether `current` improves on `reference` by more than `minDelta`.
   *
   * @param current The new value.
   * @param reference What to beat; defaults to the best so far (anything beats `undefined`).
   */
  isImprovement(current: number, reference: number | undefined = this.best): boolean {
    if (reference === undefined) return true;
    if (Number.isNaN(current)) return false;
    return this.direction === "min"
      ? current + this.minDelta < reference
      : current - this.minDelta > reference;
  }

  /** Whether `current` beats the baseline (always `true` without one). */
  beatsBaseline(current: number): boolean {
    return this.baseline === undefined || this.isImprovement(current, this.baseline);
  }

  /**
   * The monitored value in `logs`, or `undefined` (after one warning per training run
   * listing the keys that are there) when it is missing. Throws instead with `strict`.
   */
  read(logs: Logs): number | undefined {
    const value = logs[this.key];
    if (typeof value === "number") return value;
    const available = Object.keys(logs).filter((k) => k !== "batch" && k !== "size");
    const message = `${this.#who}: monitored key "${this.key}" is not in the logs; ` +
      `available keys: ${available.length > 0 ? available.join(", ") : "(none)"}. ` +
      (this.key.startsWith("val_")
        ? "Validation keys need validationData or validationSplit in fit()."
        : "Pass one of the available keys as `monitor`.");
    if (this.strict) throw new Error(message);
    if (!this.#warned) {
      this.#warned = true;
      warn(message);
    }
    return undefined;
  }
}
