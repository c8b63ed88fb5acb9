/**
 * Digits as token sequences: each of an image's 28 rows becomes one "word", so a digit
 * reads like a 28-word sentence. This lets text models (Embedding → Conv1D, as in the
 * Keras text-CNN example) train on real data that ships offline.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { MNIST_PIXELS } from "./mnist.ts";

/** Options of {@linkcode mnistRowTokens}. */
export interface RowTokenOptions {
  /** Blocks per row (28 must divide evenly); the vocabulary has 2^blocks words. @default {7} */
  blocks?: number;
  /** A block is "ink" when its mean intensity exceeds this. @default {0.3} */
  threshold?: number;
}

/**
 * Turn flattened 28×28 digits into sequences of 28 integer tokens, one per row: the
 * row is cut into `blocks` equal blocks, each block is 1 if it holds ink (mean above
 * `threshold`) and 0 otherwise, and the bits read as a binary number. With the
 * default 7 blocks the vocabulary has 128 tokens (0 = an empty row).
 *
 * Introduced in lesson 03 (the text-CNN trained on digits).
 *
 * @param images Digits `[n, 784]` with values in [0, 1], as {@linkcode loadMnist} returns.
 * @param options `blocks`, `threshold`.
 * @returns Int32 tokens `[n, 28]`, each in `[0, 2^blocks)` (async: the pixels are read back
 *   from the backend).
 * @example
 * ```ts
 * import { loadMnist, mnistRowTokens } from "@lib";
 * const { x } = await loadMnist({ count: 10 });
 * const tokens = await mnistRowTokens(x);
 * console.log(tokens.shape, tokens.dtype); // [10, 28] "int32"
 * ```
 */
export async function mnistRowTokens(
  images: tf.Tensor2D,
  options: RowTokenOptions = {},
): Promise<tf.Tensor2D> {
  const { blocks = 7, threshold = 0.3 } = options;
  if (images.rank !== 2 || images.shape[1] !== MNIST_PIXELS) {
    throw new Error(
      `mnistRowTokens(): expected flattened digits of shape [n, ${MNIST_PIXELS}], got ` +
        `[${images.shape}]. Pass loadMnist()'s x (reshape [n, 28, 28] images to [n, 784]).`,
    );
  }
  if (!Number.isInteger(blocks) || blocks < 1 || 28 % blocks !== 0 || blocks > 28) {
    throw new Error(
      `mnistRowTokens(): blocks must divide 28 (1, 2, 4, 7, 14 or 28), got ${blocks}.`,
    );
  }
  const n = images.shape[0];
  const width = 28 / blocks;
  const pixels = await images.data(); // async: WebGPU in Deno cannot read synchronously
  const tokens = new Int32Array(n * 28);
  for (let i = 0; i < n; i++) {
    for (let row = 0; row < 28; row++) {
      let token = 0;
      for (let blk = 0; blk < blocks; blk++) {
        let sum = 0;
        const start = i * MNIST_PIXELS + row * 28 + blk * width;
        for (let p = 0; p < width; p++) sum += pixels[start + p];
        token = token * 2 + (sum / width > threshold ? 1 : 0);
      }
      tokens[i * 28 + row] = token;
    }
  }
  return tf.tensor2d(tokens, [n, 28], "int32");
}
