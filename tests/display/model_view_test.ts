import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { modelBundle, modelSummary, showModel } from "@lib/display/model_view.ts";

function mlp(hidden = 8) {
  tf.setBackend("cpu");
  return tf.sequential({
    name: "mlp",
    layers: [
      tf.layers.dense({ units: hidden, inputShape: [4], activation: "relu", name: "hidden" }),
      tf.layers.batchNormalization({ name: "norm" }),
      tf.layers.dropout({ rate: 0.2, name: "drop" }),
      tf.layers.dense({ units: 3, activation: "softmax", name: "out" }),
    ],
  });
}

Deno.test("modelSummary() matches tfjs' counts: per layer, trainable and non-trainable", () => {
  const model = mlp();
  const s = modelSummary(model);
  assert.deepEqual(s.layers.map((l) => [l.name, l.type, l.outputShape, l.params]), [
    ["hidden", "Dense", "[null, 8]", 40],
    ["norm", "BatchNormalization", "[null, 8]", 32],
    ["drop", "Dropout", "[null, 8]", 0],
    ["out", "Dense", "[null, 3]", 27],
  ]);
  assert.equal(s.totalParams, model.countParams());
  assert.equal(s.trainableParams, 40 + 16 + 27);
  assert.equal(s.nonTrainableParams, 16, "batch-norm moving statistics");
  model.dispose();
});

Deno.test("modelBundle() gives an HTML table and an aligned text table", () => {
  const model = mlp();
  model.getLayer("hidden").trainable = false;
  const b = modelBundle(model);
  const text = b["text/plain"] as string;
  assert.match(text, /^Model "mlp"/);
  assert.match(text, /hidden \(Dense\)\s+\[null, 8\]\s+40\s+no/);
  assert.match(text, /Total params: 99\nTrainable params: 43\nNon-trainable params: 56$/);
  const html = b["text/html"] as string;
  assert.equal(html.match(/<tr>/g)?.length, 4);
  assert.match(html, /<td[^>]*>BatchNormalization<\/td>/);
  model.dispose();
});

Deno.test("modelBundle() cuts long models to maxRows", () => {
  tf.setBackend("cpu");
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 2, inputShape: [2] }));
  for (let i = 0; i < 99; i++) model.add(tf.layers.dense({ units: 2 }));
  const b = modelBundle(model, { maxRows: 10 });
  assert.match(b["text/plain"] as string, /… 90 more layers/);
  assert.ok((b["text/html"] as string).length < 5_000);
  model.dispose();
});

Deno.test("showModel() outside a kernel prints the text table", async () => {
  const printed: unknown[] = [];
  // deno-lint-ignore no-console
  const original = console.log;
  // deno-lint-ignore no-console
  console.log = (...args: unknown[]) => printed.push(...args);
  const model = mlp();
  try {
    await showModel(model);
  } finally {
    // deno-lint-ignore no-console
    console.log = original;
    model.dispose();
  }
  assert.match(String(printed[0]), /Total params: 99/);
});
