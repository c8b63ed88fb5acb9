/**
 * One seed for everything random in a tfjs training run, like Keras's
 * `keras.utils.set_random_seed`.
 *
 * tfjs draws all its *unseeded* randomness from `Math.random`: the shuffle of
 * `model.fit` (every epoch), dropout masks, and weight initializers given no `seed`.
 * Replacing `Math.random` with a seeded generator makes a notebook's numbers the same
 * on every run (on one backend), which the lessons' claims and tests rely on.
 *
 * @module
 */
import { rng } from "./rng.ts";

const ORIGINAL_RANDOM = Math.random;

/**
 * Make `Math.random` — and with it every unseeded random choice tfjs makes (`fit`'s
 * shuffle, dropout, default initializers) — a seeded sequence. Calling it again with
 * the same seed restarts the same sequence, so re-running a notebook's setup cell
 * reproduces the run.
 *
 * This changes a global: everything in the process that calls `Math.random` gets the
 * seeded sequence until {@linkcode restoreRandom} is called.
 * Do not use it where `Math.random` must be unpredictable (tokens, keys).
 *
 * Introduced in lesson 01's setup cell; every lesson's setup cell calls it.
 *
 * Returns nothing on purpose: a notebook cell whose last expression is
 * `setRandomSeed(42);` then shows no stray value.
 *
 * @param seed Any finite number.
 * @example
 * ```ts
 * import { restoreRandom, setRandomSeed } from "@lib";
 * setRandomSeed(42);
 * const a = Math.random();
 * setRandomSeed(42);
 * console.log(Math.random() === a); // true
 * restoreRandom();
 * ```
 */
export function setRandomSeed(seed: number): void {
  Math.random = rng(seed).next;
}

/**
 * Put back the engine's own unpredictable `Math.random` after {@linkcode setRandomSeed}.
 *
 * @example
 * ```ts
 * import { restoreRandom, setRandomSeed } from "@lib";
 * setRandomSeed(1);
 * restoreRandom();
 * ```
 */
export function restoreRandom(): void {
  Math.random = ORIGINAL_RANDOM;
}
