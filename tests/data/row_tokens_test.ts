import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { mnistRowTokens } from "../../lib/data/row_tokens.ts";
import { loadMnist } from "../../lib/data/mnist.ts";

Deno.test("mnistRowTokens() reads each row's inked blocks as a binary number", async () => {
  const image = new Float32Array(784);
  // Row 0: ink in the first 4 pixels (block 0) → bit 6 → 64. Row 1: last block → 1.
  image.fill(1, 0, 4);
  image.fill(1, 28 + 24, 28 + 28);
  // Row 2: every block inked → 127. Row 3: faint ink below the threshold → 0.
  image.fill(1, 56, 84);
  image.fill(0.1, 84, 112);
  const tokens = await mnistRowTokens(tf.tensor2d(image, [1, 784]));
  assert.deepEqual(tokens.shape, [1, 28]);
  assert.equal(tokens.dtype, "int32");
  assert.deepEqual(Array.from(tokens.dataSync().slice(0, 5)), [64, 1, 127, 0, 0]);
  assert.deepEqual(
    Array.from(
      (await mnistRowTokens(tf.tensor2d(image, [1, 784]), { blocks: 1 })).dataSync().slice(0, 4),
    ),
    [0, 0, 1, 0],
  );
});

Deno.test("mnistRowTokens() gives real digits varied tokens within the vocabulary", async () => {
  const { x } = await loadMnist({ count: 50, seed: 3 });
  const tokens = Array.from((await mnistRowTokens(x)).dataSync());
  assert.ok(tokens.every((t) => t >= 0 && t < 128));
  assert.ok(new Set(tokens).size > 20, "many distinct row shapes");
  assert.equal(tokens[0], 0, "the top row of a digit is blank");
});

Deno.test("mnistRowTokens() explains wrong shapes and block counts", async () => {
  await assert.rejects(
    () => mnistRowTokens(tf.zeros([2, 28]) as tf.Tensor2D),
    /\[n, 784\], got \[2,28\]/,
  );
  await assert.rejects(
    () => mnistRowTokens(tf.zeros([1, 784]) as tf.Tensor2D, { blocks: 5 }),
    /divide 28.*got 5/,
  );
});
