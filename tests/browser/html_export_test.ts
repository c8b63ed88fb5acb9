/**
 * An executed notebook exported to HTML (nbconvert) opens offline in Chromium and every
 * figure is drawn by plotly.js (shipped inside the notebook, no CDN), with no console
 * errors; with JavaScript off, every figure still shows its static SVG.
 */
import assert from "node:assert/strict";
import {
  describeFailure,
  executeNotebook,
  joinText,
  type Notebook,
  ROOT,
} from "../../tools/notebooks.ts";
import { artifact, launchChromium, skipWithoutNotebook } from "./_browser.ts";

const FIGURES = `${ROOT}/tests/browser/fixtures/figures.ipynb`;

/** Outputs in an executed notebook that carry a Plotly figure. */
function figureOutputs(nb: Notebook): number {
  let n = 0;
  for (const cell of nb.cells) {
    for (const out of cell.outputs ?? []) {
      if (out.data && "application/vnd.plotly.v1+json" in out.data) n++;
    }
  }
  return n;
}

Deno.test({
  name: "HTML export: every figure is drawn offline with no console errors",
  ignore: skipWithoutNotebook,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const html = await artifact("figures.html");
    const run = await executeNotebook(FIGURES, { outHtml: html });
    assert.ok(run.ok, describeFailure(run));
    const figures = figureOutputs(run.executed_notebook);
    assert.equal(figures, 8, "scatter, history, runs, weights, contour, digits, confusion, live");
    const library = run.executed_notebook.cells.flatMap((c) => c.outputs ?? [])
      .filter((o) => joinText(o.data?.["text/html"] as string[]).includes("__tfjsPlotlyLoading"));
    assert.equal(library.length, 1, "plotly.js is in the notebook exactly once");

    const browser = await launchChromium({ offline: true });
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      const external: string[] = [];
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("request", (r) => !/^(file|data|blob):/.test(r.url()) && external.push(r.url()));
      await page.goto(`file://${html}`);
      await page.waitForFunction(
        (n) => document.querySelectorAll(".tfjs-plot[data-drawn]").length >= n,
        figures,
        { timeout: 60_000 },
      );
      const counts = await page.evaluate(() => ({
        divs: document.querySelectorAll(".tfjs-plot").length,
        drawn: document.querySelectorAll(".tfjs-plot[data-drawn]").length,
        plots: [...document.querySelectorAll(".tfjs-plot")].filter((d) =>
          d.querySelector(".main-svg")
        )
          .length,
      }));
      assert.deepEqual(counts, { divs: figures, drawn: figures, plots: figures });
      await page.screenshot({ path: await artifact("html_export.png"), fullPage: true });
      assert.deepEqual(errors, [], "no console errors");
      assert.deepEqual(external, [], "no request leaves the machine");
    } finally {
      await browser.close();
    }
  },
});

Deno.test({
  name: "HTML export with JavaScript off (GitHub, untrusted): every figure shows its SVG",
  ignore: skipWithoutNotebook,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const html = await artifact("figures.html");
    try {
      await Deno.stat(html);
    } catch {
      const run = await executeNotebook(FIGURES, { outHtml: html });
      assert.ok(run.ok, describeFailure(run));
    }
    const browser = await launchChromium({ offline: true, javaScript: false });
    try {
      const page = await browser.context.newPage();
      await page.goto(`file://${html}`);
      const shown = await page.evaluate(() =>
        [...document.querySelectorAll(".tfjs-plot > svg")].filter((svg) => {
          const box = svg.getBoundingClientRect();
          return box.width > 100 && box.height > 100;
        }).length
      );
      assert.equal(shown, 8);
      await page.screenshot({ path: await artifact("html_export_static.png"), fullPage: true });
    } finally {
      await browser.close();
    }
  },
});
