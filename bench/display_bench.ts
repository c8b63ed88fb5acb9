/**
 * Display benchmarks (issue #5): bytes each figure adds to a notebook, time to build a
 * figure's MIME bundle, and how fast the live dashboard can redraw.
 *
 *   deno run -A bench/display_bench.ts [--runs=20] [--no-kernel] [--json=build/bench/display.json]
 *
 * Parts:
 * 1. per figure kind: median time of `figureBundle()` (Plotly JSON + HTML + static SVG +
 *    text) and its size per MIME type (no kernel needed);
 * 2. plotly.js: bytes inlined once per notebook (gzip+base64 and plain), one-time cost;
 * 3. dashboard, no kernel: time and bytes per in-place update of `liveCurves()`;
 * 4. with Jupyter: a real kernel doing in-place updates (updates/s it sustains), and the
 *    bytes an executed notebook with 8 figures carries (tests/browser/fixtures/figures.ipynb).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  compareRunsFigure,
  confusionMatrixFigure,
  type Figure,
  figureBundle,
  heatmapFigure,
  historyFigure,
  imageGridFigure,
  layerWeights,
  lossContourFigure,
  scatterFigure,
  weightHistogramFigure,
} from "../lib/display/mod.ts";
import type { MimeBundle } from "../lib/core/mod.ts";
import { liveCurves } from "../lib/callbacks/mod.ts";
import { plotlyJsSource, plotlyScriptTag } from "../lib/display/plotly_js.ts";
import { executeNotebook, joinText, type Notebook, ROOT } from "../tools/notebooks.ts";
import { findJupyterPython } from "../tools/jupyter.ts";
import { commandLine } from "../tools/_args.ts";
import { textTable } from "../lib/core/text_table.ts";
import { silenceNodeBanner } from "../lib/backend/quiet.ts";

const { values: args } = commandLine({
  usage: "deno run -A bench/display_bench.ts [flags]",
  summary: "Display benchmarks: bytes and build time per figure, plotly.js once per " +
    "notebook, live-dashboard updates without and with a Jupyter kernel.",
  flags: {
    runs: { type: "integer", description: "timed runs per measurement, median", default: 20 },
    "no-kernel": { type: "boolean", description: "skip part 4 (needs Jupyter)" },
    json: {
      type: "string",
      value: "PATH",
      description: "where the JSON goes (default: build/bench/display.json)",
    },
  },
});
silenceNodeBanner(); // tfjs on Deno would print its "use tfjs-node" banner at the first op
const RUNS = args.runs;
const JSON_OUT = args.json ?? `${ROOT}/build/bench/display.json`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => unknown, runs = RUNS): number {
  fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return median(out);
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
const size = (v: unknown) => (typeof v === "string" ? v.length : JSON.stringify(v).length);

// 1. Figures -----------------------------------------------------------------------------
function curve<T>(n: number, f: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => f(i));
}
await tf.setBackend("cpu");
const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: 64, inputShape: [784], activation: "relu" }),
    tf.layers.dense({ units: 10, activation: "softmax" }),
  ],
});
const modelWeights = await layerWeights(model);
const history = (n: number) => ({
  loss: curve(n, (i) => 1 / (i + 1) + 0.05),
  val_loss: curve(n, (i) => 1 / (i + 1) + 0.1 + 0.001 * i),
  acc: curve(n, (i) => 1 - 1 / (i + 2)),
  val_acc: curve(n, (i) => 0.95 - 1 / (i + 2)),
});
const figures: Array<[string, () => Figure]> = [
  ["history, 20 epochs × 2 metrics", () => historyFigure(history(20), { stoppedEpoch: 17 })],
  ["history, 5,000 epochs (decimated)", () => historyFigure(history(5000))],
  [
    "scatter 200 points + fit",
    () =>
      scatterFigure(curve(200, (i) => i / 20), curve(200, (i) => Math.sin(i / 20)), {
        fit: Math.sin,
      }),
  ],
  [
    "3 runs compared, 50 epochs",
    () => compareRunsFigure({ a: history(50), b: history(50), c: history(50) }),
  ],
  ["weight histograms, 50k weights", () => weightHistogramFigure(modelWeights)],
  [
    "loss contour 60×60 + path",
    () => lossContourFigure((a, b) => a * a + 5 * b * b, { path: [[1, 1], [0.5, 0.2], [0.1, 0]] }),
  ],
  [
    "digit grid, 100 × 28×28",
    () =>
      imageGridFigure(curve(100 * 784, (p) => ((p * 7919) % 255) / 255), {
        labels: curve(100, (i) => i % 10),
      }),
  ],
  [
    "confusion matrix 10×10",
    () => confusionMatrixFigure(curve(10, (r) => curve(10, (c) => (r === c ? 90 : r + c)))),
  ],
  [
    "heatmap 1000×1000 (pooled)",
    () =>
      heatmapFigure(curve(1000, (r) => curve(1000, (c) => Math.sin(r / 50) * Math.cos(c / 40)))),
  ],
];
interface FigureRow {
  figure: string;
  buildFigureMs: number;
  bundleMs: number;
  bytes: Record<string, number>;
  total: number;
}
const rows: FigureRow[] = [];
for (const [name, make] of figures) {
  const fig = make();
  const buildFigureMs = time(make, Math.min(RUNS, 10));
  const bundleMs = time(() => figureBundle(fig));
  const bundle: MimeBundle = figureBundle(fig);
  const bytes = Object.fromEntries(Object.entries(bundle).map(([k, v]) => [k, size(v)]));
  rows.push({
    figure: name,
    buildFigureMs,
    bundleMs,
    bytes,
    total: Object.values(bytes).reduce((a, b) => a + b, 0),
  });
}
model.dispose();

// 2. plotly.js ----------------------------------------------------------------------------
let t = performance.now();
const plain = plotlyJsSource().length;
const readMs = performance.now() - t;
t = performance.now();
const packed = plotlyScriptTag().length;
const packMs = performance.now() - t;

// 3. Dashboard without a kernel -----------------------------------------------------------
const updateBytes: number[] = [];
const live = liveCurves({
  throttleMs: 0,
  sink: (bundle, options) => {
    // In-place updates only (the final frame, with text/html, is sent once).
    if (options.update && !("text/html" in bundle)) updateBytes.push(JSON.stringify(bundle).length);
    return Promise.resolve();
  },
});
const EPOCHS = 200;
await live.onTrainBegin();
t = performance.now();
for (let e = 0; e < EPOCHS; e++) {
  await live.onEpochEnd(e, { loss: 1 / (e + 1), val_loss: 1.1 / (e + 1), acc: e / EPOCHS });
}
const perUpdateMs = (performance.now() - t) / EPOCHS;
await live.onTrainEnd();

// 4. With a kernel ------------------------------------------------------------------------
interface KernelResult {
  updatesPerSecond: number;
  updates: number;
  notebookBytes: number;
  libraryBytes: number;
  figureOutputs: number;
  bytesPerFigure: number;
  late: number;
}
let kernel: KernelResult | string = "skipped (--no-kernel)";
if (!args["no-kernel"]) {
  const probe = await findJupyterPython();
  if (!probe.ok) {
    kernel = `skipped: ${probe.reason}`;
  } else {
    const dir = `${ROOT}/build/bench`;
    await Deno.mkdir(dir, { recursive: true });
    const path = `${dir}/display_updates.ipynb`;
    const code = (id: string, source: string) => ({
      id,
      cell_type: "code",
      metadata: {},
      execution_count: null,
      outputs: [],
      source,
    });
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        cells: [
          code("imports", 'import { display, figureBundle, historyFigure, show } from "@lib";'),
          code(
            "updates",
            [
              "const h: Record<string, number[]> = { loss: [], val_loss: [] };",
              'await display({ "text/plain": "start" }, { displayId: "bench" });',
              "const n = 300;",
              "const t0 = performance.now();",
              "for (let e = 0; e < n; e++) {",
              "  h.loss.push(1 / (e + 1));",
              "  h.val_loss.push(1.2 / (e + 1));",
              "  const b = figureBundle(historyFigure(h), { html: false });",
              '  await display(b, { displayId: "bench", update: true });',
              "}",
              "const s = (performance.now() - t0) / 1000;",
              "await show(`updates/s ${(n / s).toFixed(1)} updates ${n}`);",
            ].join("\n"),
          ),
        ],
        metadata: {
          kernelspec: {
            name: "tfjs-training",
            display_name: "Deno (tfjs-training)",
            language: "typescript",
          },
        },
        nbformat: 4,
        nbformat_minor: 5,
      }),
    );
    const run = await executeNotebook(path);
    const text = run.executed_notebook.cells.flatMap((c) => c.outputs ?? [])
      .map((o) => joinText(o.data?.["text/plain"] as string | string[])).join("\n");
    const rate = Number(/updates\/s ([\d.]+)/.exec(text)?.[1] ?? NaN);

    const out = `${dir}/figures.executed.ipynb`;
    const figs = await executeNotebook(`${ROOT}/tests/browser/fixtures/figures.ipynb`, {
      outIpynb: out,
    });
    const nb = JSON.parse(await Deno.readTextFile(out)) as Notebook;
    let libraryBytes = 0;
    let figureBytes = 0;
    let figureOutputs = 0;
    for (const o of nb.cells.flatMap((c) => c.outputs ?? [])) {
      if (!o.data || !("application/vnd.plotly.v1+json" in o.data)) continue;
      figureOutputs++;
      const html = joinText(o.data["text/html"] as string | string[]);
      const lib =
        /<script type="text\/javascript">\(function \(\) \{\n {2}if \(window\.Plotly\)[\s\S]*?<\/script>/
          .exec(html)?.[0].length ?? 0;
      libraryBytes += lib;
      figureBytes += JSON.stringify(o.data).length - lib;
    }
    kernel = {
      updatesPerSecond: rate,
      updates: 300,
      notebookBytes: (await Deno.stat(out)).size,
      libraryBytes,
      figureOutputs,
      bytesPerFigure: Math.round(figureBytes / Math.max(1, figureOutputs)),
      late: run.late.length + figs.late.length,
    };
  }
}

// Report ----------------------------------------------------------------------------------
const lines: string[] = [];
lines.push(`Display benchmarks (median of ${RUNS} runs; ${Deno.build.os}/${Deno.build.arch})`);
lines.push("");
lines.push(textTable(
  ["figure", "figure ms", "bundle ms", "plotly json", "html", "svg", "total"],
  rows.map((r) => [
    r.figure,
    r.buildFigureMs.toFixed(2),
    r.bundleMs.toFixed(2),
    kb(r.bytes["application/vnd.plotly.v1+json"]),
    kb(r.bytes["text/html"]),
    kb(r.bytes["image/svg+xml"]),
    kb(r.total),
  ]),
  { gap: "   " },
));
lines.push("");
lines.push(
  `plotly.js, once per notebook: ${kb(packed)} inlined (gzip+base64), ${
    kb(plain)
  } plain; first read ${readMs.toFixed(0)} ms, packing ${packMs.toFixed(0)} ms (once per session)`,
);
lines.push(
  `liveCurves without a kernel: ${perUpdateMs.toFixed(2)} ms per update (${
    (1000 / perUpdateMs).toFixed(0)
  }/s ceiling), largest update ${kb(Math.max(...updateBytes))} after ${EPOCHS} epochs`,
);
if (typeof kernel === "string") {
  lines.push(`kernel: ${kernel}`);
} else {
  lines.push(
    `kernel: ${kernel.updatesPerSecond} in-place updates/s sustained (${kernel.updates} updates of a growing learning-curve figure)`,
  );
  lines.push(
    `executed notebook with ${kernel.figureOutputs} figures: ${kb(kernel.notebookBytes)} = ${
      kb(kernel.libraryBytes)
    } plotly.js (once) + ${
      kb(kernel.bytesPerFigure)
    } per figure + code/text; late outputs: ${kernel.late}`,
  );
}
// deno-lint-ignore no-console
console.log(lines.join("\n"));
await Deno.mkdir(JSON_OUT.replace(/\/[^/]+$/, ""), { recursive: true });
await Deno.writeTextFile(
  JSON_OUT,
  JSON.stringify(
    {
      figures: rows,
      plotly: { packed, plain, readMs, packMs },
      dashboard: { perUpdateMs, maxUpdateBytes: Math.max(...updateBytes) },
      kernel,
    },
    null,
    2,
  ),
);
