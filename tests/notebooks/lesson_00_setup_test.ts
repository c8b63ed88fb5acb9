import assert from "node:assert/strict";
import { cellBundles, cellText, numberAfter, ROOT } from "../../tools/notebooks.ts";
import { skipWithoutJupyter } from "../_gate.ts";
import { assertCellsRerun, type ExerciseAnswers, runWithAnswers } from "./_lesson.ts";

/** Typical wrong answers to the two self-checking exercises, then the right one. */
const ANSWERS: ExerciseAnswers = {
  ex1: {
    wrong: [
      // the tensor itself, not its value
      `const verdict1 = await checkAnswer(ex1, tf.mean(tf.square(ys)));`,
      // the History's first value, which is an average over epoch 1
      `const verdict1 = await checkAnswer(ex1, history.history.loss[0]);`,
    ],
    right: `const answer1 = (await tf.mean(tf.square(tf.sub(ys, 0))).data())[0];
const verdict1 = await checkAnswer(ex1, answer1);`,
  },
  ex2: {
    // 64 / 10 batches per epoch, the last short batch forgotten
    wrong: [`const verdict2 = await checkAnswer(ex2, 60 * Math.floor(64 / 10));`],
    right: `const verdict2 = await checkAnswer(ex2, 60 * Math.ceil(64 / 10));`,
  },
};

Deno.test({
  name: "00_setup.ipynb runs clean: versions, a backend, a learned line and a plot",
  ignore: skipWithoutJupyter,
  async fn() {
    const nb = await runWithAnswers("00_setup", ANSWERS);

    assert.match(cellText(nb, "versions"), new RegExp(`Deno ${Deno.version.deno}`));
    assert.match(cellText(nb, "versions"), /TensorFlow\.js 4\.22\.0/);

    // "reports what it chose": one of the three backends is named as the one in use.
    assert.match(cellText(nb, "backend"), /\b(webgpu|wasm|cpu)\b/);

    // "a one-neuron model learns y = 2x - 1", scored by evaluate; the seeded data
    const fit = cellText(nb, "model");
    assert.ok(Math.abs(numberAfter(fit, "w =") - 2) < 0.05, fit);
    assert.ok(Math.abs(numberAfter(fit, "b =") + 1) < 0.05, fit);
    assert.ok(numberAfter(fit, "final loss") < 1e-10, fit);
    assert.match(cellText(nb, "data"), /x starts -?0\.\d{4}, -?0\.\d{4}, -?0\.\d{4}$/);
    // "a roughly constant factor per epoch": the median factor, and the History's range
    const factor = numberAfter(fit, "median factor");
    assert.ok(factor > 0.4 && factor < 0.9, fit);
    assert.ok(numberAfter(fit, "(from") > 1, "the first epoch's average is above 1");

    // "its learning curve, drawn by the project's plotting helpers": a Plotly figure bundle
    const [figure] = cellBundles(nb, "curve");
    assert.ok(figure?.["application/vnd.plotly.v1+json"], "the curve cell shows a Plotly figure");
    assert.ok(figure?.["text/html"], "with an HTML fallback for front ends without the extension");

    // "its ticks are powers of ten": Plotly is told so, and the static SVG says 10⁻¹², not 1p
    const layout = figure["application/vnd.plotly.v1+json"] as {
      layout: { yaxis: { type?: string; exponentformat?: string }; meta: { bestEpoch: unknown } };
      data: { marker?: { symbol?: string } }[];
    };
    assert.equal(layout.layout.yaxis.type, "log");
    assert.equal(layout.layout.yaxis.exponentformat, "power");
    const svg = String(figure["image/svg+xml"]);
    const ticks = [...svg.matchAll(/>([^<]{1,8})<\/text>/g)].map((m) => m[1]);
    assert.ok(ticks.includes("10⁻¹²") && ticks.includes("10⁻⁶"), ticks.join(" "));
    assert.ok(!ticks.some((t) => /^\d+(\.\d+)?[pnµmkMGTB]$/.test(t)), `SI-prefixed tick: ${ticks}`);
    // "falls by twelve orders of magnitude … only goes down … no marker"
    const last = numberAfter(fit, " to ");
    assert.ok(last < 1e-11 && numberAfter(fit, "(from") / last > 1e11, `twelve decades: ${fit}`);
    assert.equal(layout.layout.meta.bestEpoch, null, "no best-epoch marker on a falling curve");
    assert.ok(!layout.data.some((t) => t.marker?.symbol === "star"), "no star trace");

    // The timings: medians and ranges on both backends, 240 steps
    const chosen = backendName(cellText(nb, "backend"));
    assert.equal(cellText(nb, "timing").trim(), `timed on ${chosen} and cpu; back on ${chosen}`);
    const table = cellText(nb, "timing-table");
    for (const name of [chosen, "cpu"]) {
      const row = table.split("\n").find((l) => l.startsWith(`${name} `));
      assert.ok(row, table);
      // median (min–max) in the first three columns, with min ≤ median ≤ max
      const cells = [...row.matchAll(/([\d.]+) \(([\d.]+)–([\d.]+)\)/g)];
      assert.equal(cells.length, 3, row);
      for (const [, m, lo, hi] of cells) assert.ok(+lo <= +m && +m <= +hi, row);
    }
    const ratios = cellText(nb, "ratios");
    const [train, small, big] = ["training", "one small operation", "the 512² product"].map((k) =>
      numberAfter(ratios, k)
    );
    // "both backends train it in about the same time"; the small op's cost "of the same order"
    assert.ok(train > 1 / 3 && train < 3, ratios);
    assert.ok(small > 1 / 5 && small < 5, ratios);
    // "on a large matrix product ... the chosen backend wins by far"
    assert.ok(big > 5 && big > 3 * train, ratios);
    // "one step costs as much as many small operations"
    assert.ok(numberAfter(ratios, "costs as much as") >= 10, ratios);

    // self-checking exercises: ✗ with a hint when wrong, ✓ when right
    const verdict = (id: string) => cellText(nb, id).trim();
    assert.match(verdict("ex1"), /^○ 00-untrained-loss: not answered yet/);
    assert.match(verdict("ex1-wrong1"), /^✗ 00-untrained-loss: Got a .*tensor/);
    assert.match(verdict("ex1-wrong2"), /^✗ 00-untrained-loss: .*too small.*predicts 0/);
    assert.match(verdict("ex1-right"), /^✓ 00-untrained-loss: right/);
    assert.match(verdict("ex2"), /^○ 00-updates: not answered yet/);
    assert.match(verdict("ex2-wrong1"), /^✗ 00-updates: 360 is not it.*the last ones/);
    assert.match(verdict("ex2-right"), /^✓ 00-updates: right/);
  },
});

Deno.test({
  name: "00_setup.ipynb: every code cell can run twice in a row (no redeclaration errors)",
  ignore: skipWithoutJupyter,
  fn: () => assertCellsRerun("00_setup"),
});

/** The backend the report names as chosen ("Backend: wasm (…)"). */
function backendName(report: string): string {
  const name = report.match(/Backend: (webgpu|wasm|cpu)\b/)?.[1];
  assert.ok(name, report);
  return name;
}

Deno.test("every notebook in notebooks/ has a test that checks its claims", async () => {
  const tests = new Set<string>();
  for await (const e of Deno.readDir(`${ROOT}/tests/notebooks`)) tests.add(e.name);
  for await (const e of Deno.readDir(`${ROOT}/notebooks`)) {
    if (!e.name.endsWith(".ipynb")) continue;
    const expected = `lesson_${e.name.replace(/\.ipynb$/, "")}_test.ts`;
    assert.ok(tests.has(expected), `notebooks/${e.name} needs tests/notebooks/${expected}`);
  }
});
