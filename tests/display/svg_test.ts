import assert from "node:assert/strict";
import { figureToSvg } from "@lib/display/svg.ts";
import {
  confusionMatrixFigure,
  heatmapFigure,
  histogramFigure,
  historyFigure,
  imageGridFigure,
  lineFigure,
  lossContourFigure,
  scatterFigure,
} from "@lib/display/mod.ts";
import type { Figure } from "@lib/display/figure.ts";

/** Tags open and close in order (a well-formedness check without an XML library). */
function assertBalanced(svg: string): void {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else stack.push(name);
  }
  assert.deepEqual(stack, [], "every element is closed");
}

const figures: Record<string, Figure> = {
  history: historyFigure({ loss: [1, 0.5, 0.2], val_loss: [1, 0.6, 0.4] }, { stoppedEpoch: 2 }),
  line: lineFigure([0, 1, 2], [0, 1, 4], { title: "a < b & c" }),
  scatter: scatterFigure([0, 1, 2], [0, 1, 4], { fit: (x) => x * x }),
  histogram: histogramFigure([1, 2, 2, 3]),
  heatmap: heatmapFigure([[1, 2], [3, 4]], { showValues: true }),
  confusion: confusionMatrixFigure([[3, 1], [0, 4]]),
  contour: lossContourFigure((a, b) => a * a + b * b, { path: [[1, 1], [0, 0]] }),
  images: imageGridFigure([new Float32Array(784)], { labels: [1] }),
  empty: historyFigure({}),
};

Deno.test("figureToSvg() draws every builder's figure as a balanced SVG document", () => {
  for (const [name, fig] of Object.entries(figures)) {
    const svg = figureToSvg(fig);
    assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), name);
    assertBalanced(svg);
    assert.ok(svg.length < 60_000, `${name}: ${svg.length} bytes`);
  }
});

Deno.test("figureToSvg() draws validation curves dashed and a legend entry per series", () => {
  const svg = figureToSvg(figures.history);
  assert.equal(svg.match(/<path d="M/g)?.length, 2);
  assert.match(svg, /stroke-dasharray="6,4"/);
  assert.match(svg, />loss \(train\)</);
  assert.match(svg, />loss \(validation\)</);
  assert.match(svg, /stroke-dasharray="2,3"/, "the early-stop line is dotted");
});

Deno.test("figureToSvg() escapes text", () => {
  assert.match(figureToSvg(figures.line), />a &lt; b &amp; c</);
});

/** The y axis' tick labels of an SVG, top to bottom (they are drawn right-aligned). */
function yTickLabels(svg: string): string[] {
  const ticks = [
    ...svg.matchAll(
      /<text x="[\d.]+" y="([\d.]+)" font-size="\d+" text-anchor="end"[^>]*>([^<]*)</g,
    ),
  ];
  return ticks.sort((a, b) => Number(a[1]) - Number(b[1])).map((m) => m[2]);
}

Deno.test("figureToSvg() breaks lines at gaps and labels log axes in decades", () => {
  const svg = figureToSvg(historyFigure({ loss: [100, 10, NaN, 1, 0.1] }, { logY: true }));
  assert.equal(svg.match(/<path d="M[^"]*"/)?.[0].match(/M/g)?.length, 2, "two segments");
  for (const tick of [">10²<", ">10<", ">1<", ">10⁻¹<"]) assert.ok(svg.includes(tick), tick);
});

Deno.test("figureToSvg() labels log axes in powers of ten, not SI prefixes or e-notation", () => {
  const x = [0, 1, 2, 3];
  const svg = figureToSvg(lineFigure(x, [1e-12, 1e-6, 1, 300], { logY: true }));
  assert.deepEqual(yTickLabels(svg), [
    "10²",
    "1",
    "10⁻²",
    "10⁻⁴",
    "10⁻⁶",
    "10⁻⁸",
    "10⁻¹⁰",
    "10⁻¹²",
  ]);
});

/** The x axis' tick labels of an SVG, left to right (they are drawn centred, 11 px). */
function xTickLabels(svg: string): string[] {
  return [...svg.matchAll(/font-size="11" text-anchor="middle" fill="#444">([^<]*)</g)]
    .map((m) => m[1]);
}

Deno.test("figureToSvg() labels a 12-decade log axis at decades only, nothing between", () => {
  const svg = figureToSvg(lineFigure([0, 1, 2, 3], [2.3, 1e-3, 1e-8, 1e-12], { logY: true }));
  assert.deepEqual(yTickLabels(svg), ["1", "10⁻²", "10⁻⁴", "10⁻⁶", "10⁻⁸", "10⁻¹⁰", "10⁻¹²"]);
});

Deno.test("figureToSvg() labels a 0.3–1 log axis with full values, not a bare 5", () => {
  const svg = figureToSvg(lineFigure([0, 1, 2], [1, 0.5, 0.3], { logY: true }));
  assert.deepEqual(yTickLabels(svg), ["1", "0.5", "0.3"]);
  const short = figureToSvg(lineFigure([0, 1, 2], [0.06, 0.3, 0.9], { logY: true }));
  assert.deepEqual(yTickLabels(short), ["1", "0.5", "0.2", "0.1"]);
});

Deno.test("figureToSvg() labels a batch-size log axis 8–512 with 20, 50, 200, 500 in full", () => {
  const svg = figureToSvg(lineFigure([8, 32, 128, 512], [0.9, 0.8, 0.7, 0.6], { logX: true }));
  assert.deepEqual(xTickLabels(svg), ["10", "20", "50", "100", "200", "500"]);
});

Deno.test("figureToSvg() writes short log-axis values in full, long ones as m·10ᵉ", () => {
  const big = figureToSvg(lineFigure([0, 1, 2], [2.1e7, 9e6, 4e6], { logY: true }));
  assert.deepEqual(yTickLabels(big), ["2·10⁷", "10⁷", "5·10⁶"]);
  const small = figureToSvg(lineFigure([0, 1, 2], [8e-4, 3e-4, 1.1e-4], { logY: true }));
  assert.deepEqual(yTickLabels(small), ["5·10⁻⁴", "3·10⁻⁴", "2·10⁻⁴"]);
  const mid = figureToSvg(lineFigure([0, 1, 2], [9e4, 4e4, 1.5e4], { logY: true }));
  assert.deepEqual(yTickLabels(mid), ["50000", "30000", "20000"]);
});

Deno.test("figureToSvg() labels a log axis under a third of a decade with plain values", () => {
  assert.deepEqual(yTickLabels(figureToSvg(lineFigure([0, 1], [2, 4], { logY: true }))), [
    "4",
    "3",
    "2",
  ]);
  assert.deepEqual(yTickLabels(figureToSvg(lineFigure([0, 1], [0.9, 1.1], { logY: true }))), [
    "1.10",
    "1.05",
    "1.00",
    "0.95",
    "0.90",
  ]);
});

/** The x axis' tick labels of an SVG, left to right, with their x positions. */
function xTicks(svg: string): [number, string][] {
  const ticks = [
    ...svg.matchAll(
      /<text x="([\d.]+)" y="[\d.]+" font-size="\d+" text-anchor="middle" fill="#444">([^<]*)</g,
    ),
  ];
  return ticks.map((m): [number, string] => [Number(m[1]), m[2]]).sort((a, b) => a[0] - b[0]);
}

Deno.test("figureToSvg() puts ticks at tickvals, labelled with ticktext, on a log axis", () => {
  const fig = lineFigure([8, 32, 128, 512], [1, 2, 3, 4], { logX: true });
  fig.layout.xaxis = {
    ...fig.layout.xaxis,
    tickvals: [8, 32, 128, 512],
    ticktext: ["8", "32", "128", "512"],
  };
  const ticks = xTicks(figureToSvg(fig));
  assert.deepEqual(ticks.map(([, label]) => label), ["8", "32", "128", "512"]);
  // each step is 4×, so the ticks are evenly spaced on the log axis
  const gaps = ticks.slice(1).map(([x], i) => x - ticks[i][0]);
  assert.ok(gaps.every((g) => Math.abs(g - gaps[0]) < 0.2), JSON.stringify(ticks));
  // without ticktext the values are formatted; values outside the range are left out
  fig.layout.xaxis = { ...fig.layout.xaxis, tickvals: [2, 8, 512, 4096], ticktext: undefined };
  assert.deepEqual(xTicks(figureToSvg(fig)).map(([, label]) => label), ["8", "512"]);
});

Deno.test("figureToSvg() embeds heatmaps as a PNG and writes cell values", () => {
  const svg = figureToSvg(figures.confusion);
  assert.match(svg, /<image [^>]*xlink:href="data:image\/png;base64,/);
  for (const v of [">3<", ">1<", ">0<", ">4<"]) assert.ok(svg.includes(v), v);
});

Deno.test("figureToSvg() keeps a 500×500 heatmap small", () => {
  const z = Array.from(
    { length: 500 },
    (_, r) => Array.from({ length: 500 }, (_, c) => Math.sin(r * c)),
  );
  const svg = figureToSvg({ data: [{ type: "heatmap", z }], layout: {} });
  assert.ok(svg.length < 1_500_000, `${svg.length} bytes`);
  assert.ok(!svg.includes('<rect x="0" y="0" width="1"'), "no per-cell rectangles");
});

Deno.test("figureToSvg() honours the size options", () => {
  assert.match(
    figureToSvg(figures.line, { width: 300, height: 200 }),
    /^<svg[^>]*width="300" height="200"/,
  );
});

Deno.test("figureToSvg() rejects what is not a figure, naming the call and what to pass", () => {
  assert.throws(
    () => figureToSvg({} as Figure),
    /^TypeError: figureToSvg\(figure\): figure\.data is undefined, expected an array of traces \(the figure is \{\}\)\. Pass a figure from one of the builders/,
  );
  assert.throws(
    () => figureToSvg(undefined as unknown as Figure),
    /figureToSvg\(figure\): expected a Plotly figure .*got undefined/,
  );
  assert.throws(
    () => figureToSvg({ data: [null], layout: {} } as unknown as Figure),
    /figureToSvg\(figure\): figure\.data\[0\] is null, expected a trace with a type/,
  );
});

Deno.test("figureToSvg() draws a colour bar asked for (showscale: true) below the legend", () => {
  const fig = lossContourFigure((a, b) => a * a + b * b, {
    resolution: 3,
    colorBar: true,
    paths: [{ name: "sgd", points: [[1, 1], [0.5, 0.5]] }, {
      name: "adam",
      points: [[1, 1], [0, 0]],
    }],
  });
  const svg = figureToSvg(fig);
  assert.match(svg, />sgd<\/text>/);
  assert.match(svg, /fill="url\(#cb\)"/);
  const without = figureToSvg(lossContourFigure((a, b) => a * a + b * b, {
    resolution: 3,
    paths: [{ name: "sgd", points: [[1, 1], [0.5, 0.5]] }],
  }));
  assert.doesNotMatch(without, /fill="url\(#cb\)"/);
});

Deno.test("figureToSvg() keeps a right-hand subplot's y title out of the subplot to its left", () => {
  const fig = historyFigure(
    {
      loss: [1, 0.5, 0.3],
      val_loss: [1, 0.6, 0.5],
      acc: [0.5, 0.8, 0.9],
      val_acc: [0.5, 0.7, 0.8],
    },
    { bestEpoch: false },
  );
  const svg = figureToSvg(fig);
  const frames = [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*stroke/g)]
    .map((m) => [Number(m[1]), Number(m[1]) + Number(m[2])]);
  assert.equal(frames.length, 2, "two subplot frames");
  const title = /<text x="([\d.]+)"[^>]*rotate\(-90[^>]*>acc<\/text>/.exec(svg);
  assert.ok(title, "the acc panel's y title");
  const cx = Number(title[1]);
  // rotated text: the glyphs lie about 9 px left of the baseline and 3 px right of it
  assert.ok(
    cx - 9 > frames[0][1],
    `title at ${cx} overlaps the left frame ending at ${frames[0][1]}`,
  );
  assert.ok(cx + 3 < frames[1][0], "and stays left of its own frame");
  // a lone subplot keeps the usual place
  const lone = figureToSvg(historyFigure({ loss: [1, 0.5] }, { bestEpoch: false }));
  const x0 = Number(/<rect x="([\d.]+)"[^>]*stroke/.exec(lone)![1]);
  const cxLone = Number(/<text x="([\d.]+)"[^>]*rotate\(-90/.exec(lone)![1]);
  assert.equal(Math.round(x0 - cxLone), 46);
});
