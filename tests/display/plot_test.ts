import assert from "node:assert/strict";
import { figureBundle, figureSummary, plot, PLOTLY_MIME } from "@lib/display/plot.ts";
import { historyFigure, imageGridFigure, lineFigure } from "@lib/display/mod.ts";
import type { Figure, Layout } from "@lib/display/figure.ts";

const fig = historyFigure({ loss: [1, 0.5, 0.25], val_loss: [1.2, 0.5, 0.7] });

Deno.test("figureBundle() carries Plotly JSON, HTML with the SVG fallback, SVG and a summary", () => {
  const bundle = figureBundle(fig);
  assert.deepEqual(
    Object.keys(bundle).sort(),
    [
      PLOTLY_MIME,
      "image/svg+xml",
      "text/html",
      "text/plain",
    ].sort(),
  );
  const json = bundle[PLOTLY_MIME] as { data: unknown[]; layout: unknown };
  assert.deepEqual(json.data, fig.data);
  const html = bundle["text/html"] as string;
  assert.ok(
    html.includes(bundle["image/svg+xml"] as string),
    "the SVG shows where scripts do not run",
  );
  assert.match(html, /Plotly\.newPlot\(el, figure\.data, figure\.layout, figure\.config\)/);
  assert.ok(html.length < 30_000, "no library unless asked");
  assert.ok(!html.includes("cdn"), "no CDN");
});

Deno.test("figureBundle() inlines plotly.js only when asked, and escapes </script> in data", () => {
  const withLib = figureBundle(lineFigure([0, 1], [0, 1], { title: "</script><b>" }), {
    includePlotlyJs: true,
  });
  const html = withLib["text/html"] as string;
  assert.ok(html.length > 1_000_000);
  assert.equal(html.match(/<\/script>/g)?.length, 2, "library script + figure script");
});

Deno.test("figureBundle() gives each plot its own element id", () => {
  const id = (b: Record<string, unknown>) =>
    /id="(tfjs-plot-[^"]+)"/.exec(b["text/html"] as string)?.[1];
  assert.notEqual(id(figureBundle(fig)), id(figureBundle(fig)));
});

Deno.test("figureSummary() names each trace with its size and last value", () => {
  assert.equal(
    figureSummary(fig),
    [
      'Figure "Learning curves"',
      "  loss (train): 3 points, last 0.25",
      "  loss (validation): 3 points, last 0.7",
      "  best val_loss (epoch 2): 1 points, last 0.5",
    ].join("\n"),
  );
  assert.match(
    figureSummary(imageGridFigure(new Float32Array(784 * 3))),
    /image grid: 3 of 3 images/,
  );
  assert.match(
    figureSummary(historyFigure({ loss: [1, NaN] })),
    /1 non-finite values \(NaN\/Infinity\) shown as gaps/,
  );
});

Deno.test("plot() outside a kernel prints the text summary", async () => {
  const printed: unknown[] = [];
  // deno-lint-ignore no-console -- capture what display() prints outside a kernel
  const original = console.log;
  // deno-lint-ignore no-console
  console.log = (...args: unknown[]) => printed.push(...args);
  try {
    await plot(lineFigure([0, 1], [1, 0], { title: "down" }));
  } finally {
    // deno-lint-ignore no-console
    console.log = original;
  }
  assert.deepEqual(printed, ['Figure "down"\n  y: 2 points, last 0']);
});

Deno.test('figureBundle() gives every log axis exponentformat "power", in a copy of the layout', () => {
  const logFig = lineFigure([0, 1, 2], [1e-12, 1e-6, 1], { logY: true });
  const bundle = figureBundle(logFig);
  const layout = (bundle[PLOTLY_MIME] as { layout: Layout }).layout;
  assert.equal(layout.yaxis?.exponentformat, "power");
  assert.equal(layout.yaxis?.type, "log", "the rest of the axis is kept");
  assert.equal(layout.xaxis?.exponentformat, undefined, "linear axes keep Plotly's default");
  assert.equal(logFig.layout.yaxis?.exponentformat, undefined, "the figure is not changed");
  assert.match(bundle["text/html"] as string, /"exponentformat":"power"/);
});

Deno.test("figureBundle() keeps an exponentformat the figure chose, on every subplot's axis", () => {
  const fig: Figure = {
    data: [{ type: "scatter", y: [1, 10] }, { type: "scatter", y: [1, 10], yaxis: "y2" }],
    layout: {
      yaxis: { type: "log", exponentformat: "e" },
      yaxis2: { type: "log" },
      xaxis2: { type: "log" },
    },
  };
  const layout = (figureBundle(fig)[PLOTLY_MIME] as { layout: Layout }).layout;
  assert.equal(layout.yaxis?.exponentformat, "e");
  assert.equal(layout.yaxis2?.exponentformat, "power");
  assert.equal(layout.xaxis2?.exponentformat, "power");
});

/** The layout `figureBundle` hands Plotly. */
function plotlyLayoutOf(figure: Figure): Layout {
  return (figureBundle(figure)[PLOTLY_MIME] as { layout: Layout }).layout;
}

Deno.test("figureBundle() labels a 12-decade log axis every n-th decade (dtick), nothing between", () => {
  const y =
    plotlyLayoutOf(lineFigure([0, 1, 2, 3], [2.3, 1e-3, 1e-8, 1e-12], { logY: true })).yaxis;
  assert.equal(y?.dtick, 2, "13 decades in view: every 2nd, at most 8 labels");
  assert.equal(y?.tickvals, undefined);
});

Deno.test("figureBundle() labels a 0.3–1 log axis at full values (tickvals/ticktext)", () => {
  const y = plotlyLayoutOf(lineFigure([0, 1, 2], [1, 0.5, 0.3], { logY: true })).yaxis;
  assert.deepEqual(y?.tickvals, [0.3, 0.5, 1]);
  assert.deepEqual(y?.ticktext, ["0.3", "0.5", "1"]);
  assert.equal(y?.dtick, undefined);
});

Deno.test("figureBundle() labels a batch-size log axis 8–512 with 20, 50, 200, 500 in full", () => {
  const x = plotlyLayoutOf(lineFigure([8, 32, 128, 512], [0.9, 0.8, 0.7, 0.6], { logX: true }))
    .xaxis;
  assert.deepEqual(x?.ticktext, ["10", "20", "50", "100", "200", "500"]);
  assert.deepEqual(x?.tickvals, [10, 20, 50, 100, 200, 500]);
});

Deno.test("figureBundle() keeps a log axis' own dtick or tickvals", () => {
  const fig: Figure = {
    data: [{ type: "scatter", x: [8, 512], y: [1e-6, 1] }],
    layout: { xaxis: { type: "log", tickvals: [8, 64, 512] }, yaxis: { type: "log", dtick: 3 } },
  };
  const layout = plotlyLayoutOf(fig);
  assert.deepEqual(layout.xaxis, { type: "log", tickvals: [8, 64, 512], exponentformat: "power" });
  assert.deepEqual(layout.yaxis, { type: "log", dtick: 3, exponentformat: "power" });
});

Deno.test("plot(), figureBundle() and figureSummary() of undefined say which call got what", async () => {
  const notAFigure = undefined as unknown as Figure;
  await assert.rejects(
    () => plot(notAFigure),
    /plot\(figure\): expected a Plotly figure \{ data: \[\.\.\.\], layout: \{\.\.\.\} \}, got undefined\. Pass a figure from one of the builders, e\.g\. plot\(lineFigure\(x, y\)\)/,
  );
  assert.throws(() => figureBundle(notAFigure), /figureBundle\(figure\): expected a Plotly figure/);
  assert.throws(
    () => figureSummary(notAFigure),
    /figureSummary\(figure\): expected a Plotly figure/,
  );
  assert.throws(
    () => figureBundle({ layout: {} } as unknown as Figure),
    /figureBundle\(figure\): figure\.data is undefined, expected an array of traces \(the figure is an object with keys layout\)/,
  );
});
