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
  },
});

Deno.test("every notebook in notebooks/ has a test that checks its claims", async () => {
  const tests = new Set<string>();
  for await (const e of Deno.readDir(`${ROOT}/tests/notebooks`)) tests.add(e.name);
  for await (const e of Deno.readDir(`${ROOT}/notebooks`)) {
    if (!e.name.endsWith(".ipynb")) continue;
    const expected = `lesson_${e.name.replace(/\.ipynb$/, "")}_test.ts`;
    assert.ok(tests.has(expected), `notebooks/${e.name} needs tests/notebooks/${expected}`);
  }
});
