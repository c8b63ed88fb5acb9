import assert from "node:assert/strict";
import {
  confusionMatrix,
  confusionMatrixFigure,
  heatmapFigure,
  poolMatrix,
} from "@lib/display/heatmap_figure.ts";

Deno.test("poolMatrix() averages blocks and skips non-finite cells", () => {
  assert.deepEqual(poolMatrix([[1, 3], [5, 7]], 1).z, [[4]]);
  assert.deepEqual(poolMatrix([[1, NaN], [NaN, NaN]], 1).z, [[1]]);
  assert.deepEqual(poolMatrix([[NaN]], 1).z, [[null]]);
});

Deno.test("heatmapFigure() caps a 1000×1000 matrix to maxSide", () => {
  const z = Array.from({ length: 1000 }, (_, r) => Array.from({ length: 1000 }, (_, c) => r + c));
  const fig = heatmapFigure(z, { maxSide: 50 });
  assert.equal(fig.data[0].z?.length, 50);
  assert.equal(fig.data[0].z?.[0].length, 50);
  assert.deepEqual(fig.layout.meta?.pooled, [20, 20]);
  assert.ok(JSON.stringify(fig).length < 40_000);
});

Deno.test("heatmapFigure() rejects ragged rows and mismatched labels", () => {
  assert.throws(() => heatmapFigure([[1, 2], [3]]), /row 1 has 1 values but row 0 has 2/);
  assert.throws(
    () => heatmapFigure([[1, 2]], { x: ["a"] }),
    /the matrix is 1×2 but got 1 row labels and 1 column labels/,
  );
});

Deno.test("confusionMatrix() counts true × predicted and rejects bad ids", () => {
  assert.deepEqual(confusionMatrix([0, 1, 1, 2], [0, 1, 0, 2]), [[1, 0, 0], [1, 1, 0], [0, 0, 1]]);
  assert.deepEqual(confusionMatrix([], [], 2), [[0, 0], [0, 0]]);
  assert.throws(() => confusionMatrix([0], [0, 1]), /1 labels but 2 predictions/);
  assert.throws(
    () => confusionMatrix([0, 3], [0, 1], 2),
    /example 1 has label 3 and prediction 1, outside 0..1/,
  );
});

Deno.test("confusionMatrixFigure() labels cells, reports accuracy and can normalise rows", () => {
  const fig = confusionMatrixFigure([[5, 1], [2, 8]], { classNames: ["cat", "dog"] });
  assert.equal(fig.layout.title?.text, "Confusion matrix (accuracy 81.3%)");
  assert.deepEqual(fig.data[0].x, ["cat", "dog"]);
  assert.equal(fig.data[0].texttemplate, "%{z}");
  assert.equal(fig.layout.yaxis?.autorange, "reversed");
  const norm = confusionMatrixFigure([[5, 5], [0, 4]], { normalize: true });
  assert.deepEqual(norm.data[0].z, [[0.5, 0.5], [0, 1]]);
  assert.throws(
    () => confusionMatrixFigure([[1]], { classNames: ["a", "b"] }),
    /2 class names for a 1×1 matrix/,
  );
});

Deno.test("heatmapFigure() and confusionMatrixFigure() name a missing row and a non-square matrix", () => {
  assert.throws(
    () => heatmapFigure(undefined as unknown as number[][]),
    /heatmapFigure\(z\): z is undefined, expected rows of numbers, z\[row\]\[column\]/,
  );
  assert.throws(
    () => heatmapFigure([[1, 2], undefined as unknown as number[]]),
    /heatmapFigure\(z\): row 1 is undefined, expected an array of numbers/,
  );
  assert.throws(
    () => confusionMatrixFigure([[1, 2, 3], [4, 5, 6]]),
    /confusionMatrixFigure\(matrix\): row 0 has 3 counts but there are 2 rows\. Pass a square matrix/,
  );
  assert.throws(
    () => confusionMatrix([0, 1], undefined as unknown as number[]),
    /confusionMatrix\(labels, predictions\): predictions is undefined/,
  );
});
