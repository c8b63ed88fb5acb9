/**
 * The real user flow: start Jupyter Notebook with the project's kernel on loopback, open
 * a notebook in Chromium, run all cells through the UI, and see every plot drawn and the
 * live dashboard update in place while training runs. Screenshots go to tests/artifacts/.
 */
import assert from "node:assert/strict";
import { KERNEL_NAME } from "../../tools/jupyter.ts";
import { ROOT } from "../../tools/notebooks.ts";
import { artifact, launchChromium, skipWithoutNotebook, startNotebook } from "./_browser.ts";

const FIXTURES = `${ROOT}/tests/browser/fixtures`;
const FIGURES_IN_NOTEBOOK = 8;

Deno.test({
  name: "Notebook UI: Run All draws every plot and the live dashboard updates in place",
  ignore: skipWithoutNotebook,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // A copy beside the fixture (git-ignored), so the kernel finds deno.json and "@lib",
    // and so autosave never touches the committed notebook.
    const dir = await Deno.makeTempDir({ dir: FIXTURES, prefix: ".ui-" });
    await Deno.copyFile(`${FIXTURES}/figures.ipynb`, `${dir}/figures.ipynb`);
    const server = await startNotebook(dir);
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(server.url("figures.ipynb"));
      await page.waitForFunction(
        () => {
          // deno-lint-ignore no-explicit-any
          const nb = (globalThis as any).Jupyter?.notebook;
          return nb?.kernel?.is_connected?.() && nb.kernel.name !== undefined;
        },
        null,
        { timeout: 60_000 },
      );
      const kernelName = await page.evaluate(() =>
        // deno-lint-ignore no-explicit-any
        (globalThis as any).Jupyter.notebook.kernel.name
      );
      assert.equal(kernelName, KERNEL_NAME);

      // Record every frame the live cell's output shows while it runs (the page is too
      // busy drawing for polling from here to see each one).
      const liveIndex = await page.evaluate(() => {
        // deno-lint-ignore no-explicit-any
        const cells = (globalThis as any).Jupyter.notebook.get_cells();
        // deno-lint-ignore no-explicit-any
        const i = cells.findIndex((c: any) => c.get_text().includes("liveCurves({"));
        const cell = cells[i];
        const seen: Array<{ outputs: number; frame: string }> = [];
        // deno-lint-ignore no-explicit-any
        (globalThis as any).__liveFrames = seen;
        new MutationObserver(() => {
          if (!cell.element[0].classList.contains("running")) return;
          const svg = cell.output_area.element[0].querySelector(".output_svg svg");
          if (!svg) return;
          seen.push({
            outputs: cell.output_area.outputs.length,
            frame: `${svg.outerHTML.length}:${svg.querySelectorAll("circle").length}`,
          });
        }).observe(cell.output_area.element[0], { childList: true, subtree: true });
        return i;
      });
      assert.ok(liveIndex > 0, "the fixture has a liveCurves cell");

      // Run All through the menu, as a learner would.
      await page.click("#celllink");
      await page.click("#run_all_cells > a");

      let liveShot = false;
      const deadline = Date.now() + 180_000;
      while (Date.now() < deadline) {
        const state = await page.evaluate(() => {
          // deno-lint-ignore no-explicit-any
          const g = globalThis as any;
          const cells = g.Jupyter.notebook.get_cells();
          return {
            frames: g.__liveFrames.length as number,
            busy: cells.some((c: { element: HTMLElement[] }) =>
              c.element[0].classList.contains("running")
            ),
            done: cells.every((c: { cell_type: string; input_prompt_number?: unknown }) =>
              c.cell_type !== "code" || typeof c.input_prompt_number === "number"
            ),
          };
        });
        if (!liveShot && state.frames >= 3 && state.busy) {
          await page.evaluate(
            (i) =>
              // deno-lint-ignore no-explicit-any
              (globalThis as any).Jupyter.notebook.get_cell(i).element[0].scrollIntoView(),
            liveIndex,
          );
          await page.screenshot({ path: await artifact("notebook_ui_live.png") });
          liveShot = true;
        }
        if (state.done && !state.busy) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const seen = await page.evaluate(() =>
        // deno-lint-ignore no-explicit-any
        (globalThis as any).__liveFrames as Array<{ outputs: number; frame: string }>
      );
      const frames = new Set(seen.map((f) => f.frame));
      const outputsWhileRunning = Math.max(...seen.map((f) => f.outputs));
      assert.ok(frames.size >= 3, `the dashboard redrew in place (${frames.size} frames seen)`);
      assert.equal(outputsWhileRunning, 1, "updates replace the output instead of adding one");

      await page.waitForFunction(
        (n) => document.querySelectorAll(".tfjs-plot[data-drawn]").length >= n,
        FIGURES_IN_NOTEBOOK,
        { timeout: 60_000 },
      );
      const counts = await page.evaluate(() => ({
        drawn: document.querySelectorAll(".tfjs-plot[data-drawn]").length,
        errors: document.querySelectorAll(".output_error").length,
        tables: document.querySelectorAll(".tfjs-model-summary table").length,
      }));
      await page.screenshot({ path: await artifact("notebook_ui.png"), fullPage: true });
      assert.deepEqual(counts, { drawn: FIGURES_IN_NOTEBOOK, errors: 0, tables: 1 });
      assert.deepEqual(errors, [], "no page errors");
    } finally {
      await browser.close();
      await server.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
