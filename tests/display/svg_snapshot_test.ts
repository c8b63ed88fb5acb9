/**
 * Golden SVG snapshots: a handful of seeded figures from the public builders, drawn by
 * `figureToSvg` and compared byte for byte with `tests/display/snapshots/*.svg`.
 *
 * The files hold one SVG element per line (the renderer writes none of its own line
 * breaks, so the split is undone exactly), which keeps a changed snapshot a readable
 * `git diff`. After an intended change to the drawing, rewrite them and review the diff:
 *
 *     UPDATE_SNAPSHOTS=1 deno test -P tests/display/svg_snapshot_test.ts
 *     git diff tests/display/snapshots
 */
import assert from "node:assert/strict";
import { figureToSvg } from "@lib/display/svg.ts";
import type { Figure } from "@lib/display/figure.ts";
import { lineFigure, scatterFigure } from "@lib/display/line_figure.ts";
import { historyFigure } from "@lib/display/history_figure.ts";
import { histogramFigure } from "@lib/display/histogram_figure.ts";
import { confusionMatrixFigure, heatmapFigure } from "@lib/display/heatmap_figure.ts";
import { lossContourFigure } from "@lib/display/contour_figure.ts";
import { imageGridFigure } from "@lib/display/image_grid_figure.ts";
import { rng } from "@lib/data/rng.ts";

const SNAPSHOTS = new URL("./snapshots/", import.meta.url);
const UPDATE = Deno.env.get("UPDATE_SNAPSHOTS") === "1";
const HOW_TO_UPDATE = "If the change is intended, rewrite the snapshots and review the diff:\n" +
  "  UPDATE_SNAPSHOTS=1 deno test -P tests/display/svg_snapshot_test.ts\n" +
  "  git diff tests/display/snapshots";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Every figure is built from fixed numbers or a seeded generator: no clock, no live data. */
const FIGURES: Record<string, () => Figure> = {
  line: () => {
    const x = range(41).map((i) => i / 4);
    return lineFigure(x, [
      { name: "sin(x)", y: x.map(Math.sin) },
      { name: "cos(x) & <dashed>", y: x.map(Math.cos), dash: "dash" },
    ], { title: "Two lines", xTitle: "x", yTitle: "value" });
  },
  scatter_fit: () => {
    const r = rng(7);
    const x = range(30).map(() => r.uniform(-2, 2));
    const y = x.map((v) => 1.5 * v + 0.5 + r.normal(0, 0.4));
    return scatterFigure(x, y, { fit: (v) => 1.5 * v + 0.5, title: "Data vs fit" });
  },
  history: () =>
    historyFigure({
      loss: [1.2, 0.8, 0.55, 0.42, 0.36, 0.33, 0.31, 0.3],
      val_loss: [1.3, 0.9, 0.7, 0.62, 0.6, 0.61, 0.64, 0.68],
      acc: [0.4, 0.6, 0.72, 0.8, 0.84, 0.86, 0.88, 0.89],
      val_acc: [0.38, 0.55, 0.66, 0.72, 0.74, 0.74, 0.73, 0.72],
    }),
  histogram: () => {
    const r = rng(11);
    return histogramFigure({
      before: range(500).map(() => r.normal(0, 1)),
      after: range(500).map(() => r.normal(0, 0.4)),
    }, { bins: 24, title: "Weights", xTitle: "weight" });
  },
  heatmap: () => {
    const r = rng(3);
    const z = range(6).map((row) => range(8).map((col) => r.normal(row - col, 1)));
    z[2][5] = NaN;
    return heatmapFigure(z, { title: "Matrix with a gap", xTitle: "column", yTitle: "row" });
  },
  confusion: () =>
    confusionMatrixFigure([[48, 2, 0], [5, 40, 5], [1, 3, 46]], {
      classNames: ["cat", "dog", "bird"],
    }),
  contour: () =>
    lossContourFigure((a, b) => a * a + 10 * b * b, {
      resolution: 30,
      path: [[1.8, 1], [1.4, -0.6], [1.1, 0.4], [0.8, -0.2], [0.5, 0.1]],
    }),
  images: () => {
    const r = rng(5);
    const images = range(6).map(() => Float32Array.from(range(64), () => r.next()));
    return imageGridFigure(images, {
      width: 8,
      height: 8,
      columns: 3,
      labels: [0, 1, 2, 3, 4, 5],
      predictions: [0, 1, 7, 3, 4, 2],
      title: "Digits",
    });
  },
  log_y: () => {
    const x = range(30);
    return lineFigure(x, x.map((i) => 50 * 10 ** (-i / 2)), { logY: true, yTitle: "loss" });
  },
  nan_gaps: () => {
    // A narrow log axis (labelled 0.1, 0.2, 0.5, 1 in full, not 10⁻¹, 2, 5, 1) broken at NaN, Infinity and 0 (no log).
    const x = range(16);
    const y = x.map((
      i,
    ) => (i === 4 ? NaN : i === 8 ? Infinity : i === 11 ? 0 : 0.04 + 0.9 * 0.8 ** i));
    return lineFigure(x, y, { logY: true, title: "Gaps at NaN, Infinity and 0", yTitle: "loss" });
  },
};

/** The snapshot file's text: one element per line; exactly reversible (see the header). */
function toLines(svg: string): string {
  assert.ok(!svg.includes("\n"), "figureToSvg() writes no line breaks of its own");
  return svg.replaceAll("><", ">\n<") + "\n";
}

/** Where two texts first differ, with a few lines of each around it. */
function firstDifference(expected: string, actual: string): string {
  const want = expected.split("\n");
  const got = actual.split("\n");
  let i = 0;
  while (i < want.length && i < got.length && want[i] === got[i]) i++;
  const clip = (s: string | undefined) =>
    s === undefined ? "(end of file)" : s.length > 160 ? `${s.slice(0, 160)}…` : s;
  let changed = 0;
  for (let k = 0; k < Math.max(want.length, got.length); k++) if (want[k] !== got[k]) changed++;
  return `first difference at line ${i + 1} (${changed} of ${want.length} lines differ):\n` +
    `  snapshot: ${clip(want[i])}\n` +
    `  now:      ${clip(got[i])}`;
}

async function readText(url: URL): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(url);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

for (const [name, build] of Object.entries(FIGURES)) {
  Deno.test(`figureToSvg() draws the "${name}" figure as its snapshot ${name}.svg`, async () => {
    const file = new URL(`${name}.svg`, SNAPSHOTS);
    const actual = toLines(figureToSvg(build()));
    if (UPDATE) {
      await Deno.mkdir(SNAPSHOTS, { recursive: true });
      await Deno.writeTextFile(file, actual);
      return;
    }
    const expected = await readText(file);
    assert.ok(
      expected !== undefined,
      `tests/display/snapshots/${name}.svg is missing.\n${HOW_TO_UPDATE}`,
    );
    if (expected !== actual) {
      assert.fail(
        `figureToSvg() of "${name}" no longer matches tests/display/snapshots/${name}.svg: ` +
          `${firstDifference(expected, actual)}\n${HOW_TO_UPDATE}`,
      );
    }
  });
}

Deno.test("figureToSvg() snapshots: the same figure twice gives the same bytes", () => {
  for (const [name, build] of Object.entries(FIGURES)) {
    assert.equal(figureToSvg(build()), figureToSvg(build()), name);
  }
});
