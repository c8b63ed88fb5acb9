import assert from "node:assert/strict";
import { cellBundles, cellText, numberAfter, ROOT } from "../../tools/notebooks.ts";
import { skipWithoutJupyter } from "../_gate.ts";
import { runLesson } from "./_lesson.ts";

Deno.test({
  name: "00_setup.ipynb runs clean: versions, a backend, a learned line and a plot",
  ignore: skipWithoutJupyter,
  async fn() {
    const nb = await runLesson("00_setup");

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

    // Exercise 1's run times are measured on both backends, and "are close" (tiny steps)
    const timing = cellText(nb, "timing");
    const chosen = numberAfter(timing, `${backendName(cellText(nb, "backend"))}:`);
    const cpu = numberAfter(timing, "cpu:");
    assert.ok(chosen > 0 && cpu > 0, timing);
    assert.ok(Math.max(chosen, cpu) / Math.min(chosen, cpu) < 3, timing);
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
