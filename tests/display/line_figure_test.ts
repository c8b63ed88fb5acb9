import assert from "node:assert/strict";
import { lineFigure, scatterFigure } from "@lib/display/line_figure.ts";

Deno.test("lineFigure() draws one line, or several named series", () => {
  assert.equal(lineFigure([0, 1], [1, 2]).data.length, 1);
  const fig = lineFigure([0, 1, 2], [{ name: "a", y: [0, 1, 2] }, {
    name: "b",
    y: [2, 1, 0],
    dash: "dot",
  }]);
  assert.deepEqual(fig.data.map((t) => [t.name, t.line?.dash]), [["a", "solid"], ["b", "dot"]]);
  assert.equal(fig.layout.showlegend, true);
});

Deno.test("lineFigure() reports mismatched lengths with both numbers", () => {
  assert.throws(
    () => lineFigure([0, 1, 2], [{ name: "a", y: [1, 2] }]),
    /series "a" has 3 x values but 2 y values/,
  );
});

Deno.test("scatterFigure() samples a fit function across the data's range", () => {
  const fig = scatterFigure([0, 2, 4], [0, 4, 8], { fit: (x) => 2 * x, fitPoints: 5 });
  assert.equal(fig.data[0].mode, "markers");
  assert.deepEqual(fig.data[1].x, [0, 1, 2, 3, 4]);
  assert.deepEqual(fig.data[1].y, [0, 2, 4, 6, 8]);
});

Deno.test("scatterFigure() sorts a given fit by x and keeps NaN as a gap", () => {
  const fig = scatterFigure([1, 2, 3], [1, NaN, 3], { fit: { x: [3, 1], y: [3, 1] } });
  assert.deepEqual(fig.data[0].y, [1, null, 3]);
  assert.deepEqual(fig.data[1].x, [1, 3]);
  assert.equal(fig.layout.meta?.nonFinite, 1);
  assert.throws(() => scatterFigure([1, 2], [1]), /the data has 2 x values but 1 y values/);
});

Deno.test("scatterFigure() caps 100k points to maxPoints", () => {
  const x = Float32Array.from({ length: 100_000 }, (_, i) => i);
  const fig = scatterFigure(x, x.map((v) => Math.sin(v)), { maxPoints: 1000 });
  assert.ok((fig.data[0].x?.length ?? 0) <= 1000);
  assert.ok(JSON.stringify(fig).length < 50_000);
});

Deno.test("lineFigure() and scatterFigure() name a missing or non-array argument", () => {
  const none = undefined as unknown as number[];
  assert.throws(
    () => lineFigure([0, 1], none),
    /lineFigure\(x, y\): y is undefined, expected an array of numbers, one per x/,
  );
  assert.throws(() => lineFigure(none, [1, 2]), /lineFigure\(x, y\): x is undefined/);
  assert.throws(
    () => lineFigure([0, 1], [{ name: "a", y: none }]),
    /lineFigure\(x, y\): series 0 \("a"\) y is undefined, expected an array of numbers, one per x/,
  );
  assert.throws(() => scatterFigure([0, 1], none), /scatterFigure\(x, y\): y is undefined/);
  const tensorLike = { shape: [3], dataSync: () => new Float32Array(3) } as unknown as number[];
  assert.throws(
    () => scatterFigure(tensorLike, [1, 2, 3]),
    /x is a tensor of shape \[3\].*await t\.data\(\)/,
  );
});

Deno.test("scatterFigure() reports data and fit of mismatched length with both numbers", () => {
  assert.throws(
    () => scatterFigure([0, 1, 2], [0, 1]),
    /scatterFigure\(\): the data has 3 x values but 2 y values\. Pass one y per x/,
  );
  assert.throws(
    () => scatterFigure([0, 1], [0, 1], { fit: { x: [0, 1, 2], y: [0, 1] } }),
    /scatterFigure\(\): options\.fit has 3 x values but 2 y values/,
  );
  assert.throws(
    () =>
      scatterFigure([0, 1], [0, 1], {
        fit: { y: [0, 1] } as unknown as { x: number[]; y: number[] },
      }),
    /scatterFigure\(x, y, options\): options\.fit\.x is undefined, expected an array of numbers \(or pass a function x => y\)/,
  );
});

Deno.test("lineFigure({ logX, logY }) sets log axes; without them the axes are linear", () => {
  const fig = lineFigure([1e-4, 1e-2, 1], [3, 2, 9], { logX: true, logY: true });
  assert.equal(fig.layout.xaxis?.type, "log");
  assert.equal(fig.layout.yaxis?.type, "log");
  const plain = lineFigure([1, 2], [3, 4]);
  assert.equal(plain.layout.xaxis?.type, undefined);
  assert.equal(plain.layout.yaxis?.type, undefined);
});
