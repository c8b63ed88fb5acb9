/**
 * Seeded shuffles: a permutation of indices, and a shuffled copy of an array.
 *
 * @module
 */
import { rng } from "./rng.ts";

/**
 * A seeded random permutation of `0 … n-1` (Fisher–Yates). `trainTestSplit` and
 * `loadMnist` use it for their seeded orders.
 *
 * @param n How many indices.
 * @param seed Seed of the shuffle; the same seed gives the same order.
 * @returns The indices `0 … n-1` in shuffled order.
 * @example
 * ```ts
 * import { permutation } from "@lib";
 * console.log(permutation(5, 0)); // the same five indices, in a fixed shuffled order
 * ```
 */
export function permutation(n: number, seed: number): number[] {
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`permutation(): n must be a non-negative integer, got ${n}.`);
  }
  const random = rng(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/**
 * A shuffled copy of an array; the input is left as it was.
 *
 * @param items Anything array-like.
 * @param seed Seed of the shuffle.
 * @returns A new array with the same items in a seeded random order.
 * @example
 * ```ts
 * import { shuffle } from "@lib";
 * console.log(shuffle(["a", "b", "c", "d"], 7));
 * ```
 */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  return permutation(items.length, seed).map((i) => items[i]);
}
