import assert from "node:assert/strict";
import { imageGridFigure } from "@lib/display/image_grid_figure.ts";
import { pngSize } from "@lib/display/png.ts";

Deno.test("imageGridFigure() tiles images into one PNG with labels and red mistakes", () => {
  const images = Array.from({ length: 12 }, (_, i) => new Float32Array(784).fill(i / 12));
  const fig = imageGridFigure(images, {
    columns: 5,
    labels: [...Array(12).keys()],
    predictions: [...Array(12).keys()].map((i) => (i === 3 ? 8 : i)),
  });
  const size = pngSize(fig.data[0].source ?? "");
  assert.deepEqual(size, { width: 5 * 30 + 2, height: 3 * 42 + 2 });
  const notes = fig.layout.annotations ?? [];
  assert.equal(notes.length, 12);
  assert.equal(notes[3].text, "3→8");
  assert.equal(notes[3].font?.color, "#d62728");
  assert.equal(notes[4].font?.color, "#222222");
});

Deno.test("imageGridFigure() splits a flat [n, 784] array and caps the count", () => {
  const flat = new Uint8Array(784 * 300).fill(255);
  const fig = imageGridFigure(flat, { maxImages: 20 });
  assert.deepEqual(fig.layout.meta, {
    kind: "images",
    shown: 20,
    total: 300,
    columns: 10,
    rows: 2,
  });
  assert.ok(JSON.stringify(fig).length < 5_000);
});

Deno.test("imageGridFigure() says which sizes fit when the values do not split", () => {
  assert.throws(
    () => imageGridFigure(new Float32Array(100)),
    /100 values do not split into 28×28 images/,
  );
  assert.throws(
    () => imageGridFigure([new Float32Array(10)], { width: 3, height: 3 }),
    /image 0 has 10 values, expected 3×3 = 9/,
  );
});

Deno.test("imageGridFigure() rejects labels or predictions that are not one per image", () => {
  const images = [new Float32Array(4), new Float32Array(4), new Float32Array(4)];
  assert.throws(
    () => imageGridFigure(images, { width: 2, height: 2, labels: [1, 2] }),
    /imageGridFigure\(\): 3 images but 2 labels\. Pass one label per image/,
  );
  assert.throws(
    () => imageGridFigure(images, { width: 2, height: 2, labels: [1, 2, 3], predictions: [1] }),
    /imageGridFigure\(\): 3 images but 1 predictions\. Pass one prediction per image/,
  );
  assert.throws(
    () => imageGridFigure(undefined as unknown as number[]),
    /imageGridFigure\(images\): images is undefined, expected one array per image/,
  );
});
