import assert from "node:assert/strict";
import { cellBundles, cellText, numberAfter, ROOT } from "../../tools/notebooks.ts";
import { skipWithoutJupyter } from "../_gate.ts";
import { type ExerciseAnswers, runWithAnswers } from "./_lesson.ts";

/** Typical wrong answers to the two self-checking exercises, then the right one. */
const ANSWERS: ExerciseAnswers = {
  ex1: {
    wrong: [
      // the tensor itself, not its value
      `const verdict1 = await checkAnswer(ex1, model.predict(tf.tensor2d([[3]])));`,
      // the truth of the line at x = 3, rounded: close but not the model's own prediction
      `const verdict1 = await checkAnswer(ex1, 5.01);`,
    ],
    right: `const answer1 = (await (model.predict(tf.tensor2d([[3]])) as tf.Tensor).data())[0];
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

    // "a one-neuron model learns y = 2x - 1"
    const fit = cellText(nb, "model");
    assert.ok(Math.abs(numberAfter(fit, "w =") - 2) < 0.05, fit);
    assert.ok(Math.abs(numberAfter(fit, "b =") + 1) < 0.05, fit);
    assert.ok(numberAfter(fit, "final loss") < 1e-3, fit);

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
    const loss = numberAfter(fit, "final loss");
    assert.ok(loss < 1e-11, fit);
    assert.equal(layout.layout.meta.bestEpoch, null, "no best-epoch marker on a falling curve");
    assert.ok(!layout.data.some((t) => t.marker?.symbol === "star"), "no star trace");

    // "The two times are close": the tiny model costs about the same on both backends,
    // each a median of 3 warm runs with its range
    const timing = cellText(nb, "timing");
    const chosen = backendName(cellText(nb, "backend"));
    const [chosenS, cpuS] = [numberAfter(timing, `${chosen}:`), numberAfter(timing, "cpu:")];
    assert.ok(chosenS > 0 && cpuS > 0, timing);
    assert.match(timing, /\(range [\d.]+–[\d.]+\)/);
    const tinyRatio = numberAfter(timing, `cpu time ÷ ${chosen} time:`);
    assert.ok(Math.abs(tinyRatio - cpuS / chosenS) < 0.02, timing);
    assert.ok(tinyRatio < 3 && tinyRatio > 1 / 3, `"close": ${timing}`);
    // "On a large matrix product the chosen backend is many times faster than cpu"
    const matMul = cellText(nb, "matmul-run");
    const bigRatio = numberAfter(matMul, `cpu time ÷ ${chosen} time:`);
    assert.ok(bigRatio > 5 && bigRatio > 3 * tinyRatio, matMul);
    // "under a thousand FLOPs … in nanoseconds, yet each step takes a fraction of a millisecond"
    const stepMs = numberAfter(matMul, "one training step:");
    const arithmeticNs = numberAfter(matMul, "GFLOP/s would take");
    assert.ok(stepMs < 10 && arithmeticNs < 1000 && stepMs * 1e6 > 1000 * arithmeticNs, matMul);
    const perStep = new RegExp(`^${chosen}: .*?([\\d.]+) ms per step`, "m").exec(timing)?.[1];
    assert.equal(Number(perStep), stepMs, "the step quoted is the chosen backend's");

    // self-checking exercises: ✗ with a hint when wrong, ✓ when right
    const verdict = (id: string) => cellText(nb, id).trim();
    assert.match(verdict("ex1"), /^✗ 00-predict: Got undefined/);
    assert.match(verdict("ex1-wrong1"), /^✗ 00-predict: Got a .*tensor/);
    assert.match(verdict("ex1-wrong2"), /^✗ 00-predict: .*model\.predict/);
    assert.match(verdict("ex1-right"), /^✓ 00-predict: right/);
    assert.match(verdict("ex2"), /^✗ 00-updates: Got undefined/);
    assert.match(verdict("ex2-wrong1"), /^✗ 00-updates: 360 is not it.*last 4/);
    assert.match(verdict("ex2-right"), /^✓ 00-updates: right/);
  },
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
