/**
 * A small seeded pseudo-random number generator, so that every shuffle, split and
 * synthetic data set in the lessons is the same on every run and every backend.
 *
 * @module
 */

/** A seeded source of random numbers. Every draw advances the same internal state. */
export interface Rng {
  /** The seed this generator started from. */
  readonly seed: number;
  /** A uniform float in [0, 1). */
  next(): number;
  /** A uniform float in [low, high). */
  uniform(low: number, high: number): number;
  /** A uniform integer in [0, n). */
  int(n: number): number;
  /** A normal (Gaussian) draw with the given mean and standard deviation. */
  normal(mean?: number, std?: number): number;
}

/**
 * Create a seeded random number generator (mulberry32 for uniforms, Box–Muller for
 * normals). The same seed gives the same sequence on every machine: it is plain
 * 32-bit integer arithmetic, no `Math.random`, no backend.
 *
 * Every shuffle, split and synthetic data set in `lib/data` draws from it (lessons 01–04).
 *
 * @param seed Any finite number; it is truncated to a 32-bit integer.
 * @returns A generator; see {@linkcode Rng}.
 * @example
 * ```ts
 * import { rng } from "@lib";
 * const a = rng(42), b = rng(42);
 * console.log(a.next() === b.next()); // true
 * console.log(a.normal(0, 1)); // a standard normal draw
 * ```
 */
export function rng(seed: number): Rng {
  if (!Number.isFinite(seed)) {
    throw new Error(
      `rng(): the seed must be a finite number, got ${seed}. Pass an integer such as 42.`,
    );
  }
  let state = seed >>> 0;
  // A spare normal from the last Box–Muller pair (it makes two at a time).
  let spare: number | null = null;
  const next = (): number => {
    // mulberry32: add a Weyl constant, then mix the bits.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed,
    next,
    uniform: (low, high) => low + (high - low) * next(),
    int(n) {
      if (!Number.isInteger(n) || n <= 0) {
        throw new Error(`rng().int(n): n must be a positive integer, got ${n}.`);
      }
      return Math.floor(next() * n);
    },
    normal(mean = 0, std = 1) {
      if (spare !== null) {
        const z = spare;
        spare = null;
        return mean + std * z;
      }
      // Box–Muller: two uniforms → two independent standard normals.
      const u = 1 - next(); // in (0, 1], so log(u) is finite
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return mean + std * r * Math.cos(2 * Math.PI * v);
    },
  };
}
