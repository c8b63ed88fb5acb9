import assert from "node:assert/strict";
import { lossContourFigure } from "@lib/display/contour_figure.ts";

Deno.test("lossContourFigure() evaluates z[row = w1][col = w0] on the grid", () => {
  const fig = lossContourFigure((a, b) => a + 10 * b, {
    xRange: [0, 1],
    yRange: [0, 2],
    resolution: 3,
  });
  assert.deepEqual(fig.data[0].x, [0, 0.5, 1]);
  assert.deepEqual(fig.data[0].y, [0, 1, 2]);
  assert.deepEqual(fig.data[0].z, [[0, 0.5, 1], [10, 10.5, 11], [20, 20.5, 21]]);
});

Deno.test("lossContourFigure() draws the optimiser path and caps the grid", () => {
  const fig = lossContourFigure((a, b) => a * a + b * b, {
    resolution: 1000,
    path: [[1, 1], [0.5, 0.2]],
  });
  assert.equal(fig.data[0].z?.length, 150);
  assert.deepEqual(fig.data[1].x, [1, 0.5]);
  assert.equal(fig.layout.meta?.steps, 2);
});

Deno.test("lossContourFigure() logZ colours by log10 and leaves non-positive cells empty", () => {
  const fig = lossContourFigure((a) => a, {
    xRange: [0, 100],
    yRange: [0, 1],
    resolution: 2,
    logZ: true,
  });
  assert.deepEqual(fig.data[0].z, [[null, 2], [null, 2]]);
  assert.equal(fig.layout.meta?.nonFinite, 2);
});

Deno.test("lossContourFigure() names a bad loss, range or path step", () => {
  const bowl = (a: number, b: number) => a * a + b * b;
  assert.throws(
    () => lossContourFigure(undefined as unknown as typeof bowl),
    /lossContourFigure\(loss\): loss is undefined, expected a function \(w0, w1\) => loss/,
  );
  assert.throws(
    () => lossContourFigure(bowl, { xRange: [-1] as unknown as [number, number] }),
    /options\.xRange is an array of 1 \(-1\), expected \[lo, hi\]: two finite numbers/,
  );
  assert.throws(
    () => lossContourFigure(bowl, { path: [[1, 1], [0.5] as unknown as [number, number]] }),
    /lossContourFigure\(loss, options\): options\.path\[1\] is an array of 1, expected one step \[w0, w1\]/,
  );
});

Deno.test("lossContourFigure({ paths }) draws one coloured, named path each with a legend, no colour bar", () => {
  const fig = lossContourFigure((a, b) => a * a + b * b, {
    resolution: 3,
    paths: [{ name: "sgd", points: [[1, 1], [0.5, 0.5]] }, {
      name: "adam",
      points: [[1, 1], [0.9, 0.1]],
    }],
  });
  assert.deepEqual(fig.data.slice(1).map((t) => t.name), ["sgd", "adam"]);
  assert.deepEqual(fig.data[2].y, [1, 0.1]);
  assert.notEqual(fig.data[1].line?.color, fig.data[2].line?.color);
  assert.equal(fig.data[0].showscale, false);
  assert.equal(fig.layout.showlegend, true);
  assert.equal(fig.layout.meta?.paths, 2);
});

Deno.test("lossContourFigure({ paths }) names a path whose points are missing or a bad step", () => {
  const bowl = (a: number, b: number) => a * a + b * b;
  assert.throws(
    () =>
      lossContourFigure(bowl, {
        paths: [{ name: "a" } as unknown as { name: string; points: [number, number][] }],
      }),
    /options\.paths\[0\]\.points is undefined, expected an array of \[w0, w1\] steps/,
  );
  assert.throws(
    () =>
      lossContourFigure(bowl, {
        paths: [{ name: "a", points: [[1, 2], [3] as unknown as [number, number]] }],
      }),
    /options\.paths\[0\]\.points\[1\] is an array of 1, expected one step \[w0, w1\]/,
  );
});

Deno.test("lossContourFigure({ paths, colorBar, equalAxes }) keeps the colour bar below the legend, axes to scale, own colours", () => {
  const fig = lossContourFigure((a, b) => a * a + b * b, {
    resolution: 3,
    logZ: true,
    colorBar: true,
    equalAxes: true,
    paths: [{ name: "sgd", points: [[1, 1], [0.5, 0.5]], color: "#123456" }, {
      name: "adam",
      points: [[1, 1], [0.9, 0.1]],
    }],
  });
  assert.equal(fig.data[0].showscale, true);
  assert.deepEqual(fig.data[0].colorbar?.title, { text: "log10(loss)" });
  assert.equal(fig.layout.yaxis?.scaleanchor, "x");
  assert.deepEqual(fig.data.slice(1).map((t) => t.line?.color), ["#123456", "#000000"]);
  const plain = lossContourFigure((a, b) => a * a + b * b, { resolution: 3 });
  assert.equal(plain.data[0].showscale, undefined, "no paths: Plotly's default colour bar");
  assert.equal(plain.layout.yaxis?.scaleanchor, undefined);
});
