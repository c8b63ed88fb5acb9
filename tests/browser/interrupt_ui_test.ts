// deno-lint-ignore-file no-explicit-any -- the page's Jupyter object has no types
/**
 * The stop button in the Notebook UI: open lesson 02 in classic Jupyter Notebook (Chromium,
 * loopback), run it up to its first training run (made long), press ■ in the toolbar, and
 * see the cell end with the library's message; the next cell (which reads that run's
 * history) still runs.
 * A screenshot goes to tests/artifacts/interrupt_ui.png.
 */
import assert from "node:assert/strict";
import { ROOT } from "../../tools/notebooks.ts";
import { artifact, launchChromium, skipWithoutNotebook, startNotebook } from "./_browser.ts";

const LESSON = "02_overfitting_regularization.ipynb";
const FIXTURES = `${ROOT}/tests/browser/fixtures`;

interface Cell {
  cell_type: string;
  source: string[] | string;
}

/** Index of the first cell whose source contains `text`. */
function cellWith(cells: Cell[], text: string): number {
  const i = cells.findIndex((c) => [c.source].flat().join("").includes(text));
  if (i < 0) throw new Error(`${LESSON} has no cell containing ${JSON.stringify(text)}`);
  return i;
}

Deno.test({
  name: "Notebook UI: ■ on a lesson's long fit ends the cell with the message; the next cell runs",
  ignore: skipWithoutNotebook,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const notebook = JSON.parse(await Deno.readTextFile(`${ROOT}/notebooks/${LESSON}`));
    const cells = notebook.cells as Cell[];
    // The lesson up to its first training run, that run, and the cell after it (which
    // reads the run's history).
    const fit = cellWith(cells, "await train({}, 1)");
    const needed = cells.flatMap((c, i) => i < fit && c.cell_type === "code" ? [i] : []);
    const next = cells.findIndex((c, i) => i > fit && c.cell_type === "code");
    // The lesson trains until validation stops improving (seconds); make the cap and the
    // patience long enough to press ■ mid-way.
    const limits = /const \[MAX_EPOCHS, PATIENCE\] = \[\d+, \d+\];/;
    const epochsCell = cellWith(cells, "const [MAX_EPOCHS, PATIENCE] = ");
    const source = [cells[epochsCell].source].flat().join("");
    assert.match(source, limits);
    cells[epochsCell].source = source.replace(
      limits,
      "const [MAX_EPOCHS, PATIENCE] = [3000, 3000];",
    );
    // A copy beside the fixtures (git-ignored), so the kernel finds deno.json and "@lib".
    const dir = await Deno.makeTempDir({ dir: FIXTURES, prefix: ".ui-" });
    await Deno.writeTextFile(`${dir}/${LESSON}`, JSON.stringify(notebook));
    const server = await startNotebook(dir);
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.goto(server.url(LESSON));
      await page.waitForFunction(
        () => (globalThis as any).Jupyter?.notebook?.kernel?.is_connected?.(),
        null,
        { timeout: 60_000 },
      );
      const prompt = (i: number) =>
        (globalThis as any).Jupyter.notebook.get_cell(i).input_prompt_number;
      await page.evaluate((indices) => {
        (globalThis as any).Jupyter.notebook.execute_cells(indices);
      }, [...needed, fit]);
      // The setup cells have run, so the fit cell is training now.
      await page.waitForFunction(
        (indices) =>
          indices.every((i) =>
            typeof (globalThis as any).Jupyter.notebook.get_cell(i).input_prompt_number === "number"
          ),
        needed,
        { timeout: 120_000, polling: 200 },
      );
      await new Promise((r) => setTimeout(r, 2000));
      assert.notEqual(typeof (await page.evaluate(prompt, fit)), "number", "the fit still runs");
      const pressed = Date.now();
      await page.click('button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]');
      await page.waitForFunction(
        (i) =>
          typeof (globalThis as any).Jupyter.notebook.get_cell(i).input_prompt_number === "number",
        fit,
        { timeout: 30_000, polling: 100 },
      );
      const seconds = (Date.now() - pressed) / 1000;
      const ended = await page.evaluate((i) => {
        const area = (globalThis as any).Jupyter.notebook.get_cell(i).output_area.element[0];
        return { text: area.innerText, errors: area.querySelectorAll(".output_error").length };
      }, fit);
      assert.match(
        ended.text,
        /Training stopped by ■ in epoch \d+ of 3000, after batch \d+ of \d+/,
      );
      // The rest of the cell ran on the epochs that finished (the lesson's own summary line).
      assert.match(ended.text, /no regularization\b.*validation loss (is )?lowest at\s+epoch \d+/s);
      assert.equal(ended.errors, 0, ended.text);
      assert.ok(seconds < 5, `the cell ended ${seconds} s after ■`);
      // The kernel kept the run: the next cell reads and plots its history.
      await page.evaluate((i) => {
        (globalThis as any).Jupyter.notebook.execute_cells([i]);
      }, next);
      await page.waitForFunction(
        (i) =>
          typeof (globalThis as any).Jupyter.notebook.get_cell(i).input_prompt_number === "number",
        next,
        { timeout: 60_000, polling: 100 },
      );
      const after = await page.evaluate((i) => {
        const cell = (globalThis as any).Jupyter.notebook.get_cell(i);
        const area = cell.output_area.element[0] as HTMLElement;
        return {
          errors: area.querySelectorAll(".output_error").length,
          outputs: cell.output_area.outputs.length,
        };
      }, next);
      await page.evaluate(
        (i) => (globalThis as any).Jupyter.notebook.get_cell(i).element[0].scrollIntoView(),
        fit,
      );
      await page.screenshot({ path: await artifact("interrupt_ui.png") });
      assert.equal(after.errors, 0, server.log());
      assert.ok(after.outputs >= 1, `the next cell showed its outputs: ${JSON.stringify(after)}`);
    } finally {
      await browser.close();
      await server.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
