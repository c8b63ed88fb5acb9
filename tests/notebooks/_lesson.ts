/**
 * What every lesson test does: `runLesson()` executes the lesson once through the real
 * kernel and hands back the executed notebook whose outputs the test checks the
 * lesson's claims on; `assertCellsRerun()` runs every code cell twice, back to back,
 * as a learner re-running cells would, and fails on any error ("already declared",
 * stale backend, a checkpoint that cannot be overwritten…).
 *
 * @module
 */
import assert from "node:assert/strict";
import { describeFailure, executeNotebook, type Notebook, ROOT } from "../../tools/notebooks.ts";

/**
 * Execute `notebooks/NAME.ipynb` and fail, naming the cell and error, unless every code
 * cell ran without an error.
 *
 * @param name The lesson's file name in notebooks/, without `.ipynb`.
 * @returns The executed notebook.
 */
export async function runLesson(name: string): Promise<Notebook> {
  const run = await executeNotebook(`${ROOT}/notebooks/${name}.ipynb`);
  assert.ok(run.ok, describeFailure(run));
  return run.executed_notebook;
}

/**
 * @param name The lesson's file name in notebooks/, without `.ipynb`.
 * @param once Ids of code cells to run only once (e.g. a last cell that deletes files).
 */
export async function assertCellsRerun(name: string, once: string[] = []): Promise<void> {
  const nb = JSON.parse(await Deno.readTextFile(`${ROOT}/notebooks/${name}.ipynb`)) as Notebook;
  nb.cells = nb.cells.flatMap((c) =>
    c.cell_type === "code" && !once.includes(c.id ?? "") ? [c, { ...c, id: `${c.id}-again` }] : [c]
  );
  // Inside the repository, so the kernel finds deno.json and "@lib".
  await Deno.mkdir(`${ROOT}/build`, { recursive: true });
  const dir = await Deno.makeTempDir({ dir: `${ROOT}/build`, prefix: "rerun-" });
  try {
    const path = `${dir}/${name}_twice.ipynb`;
    await Deno.writeTextFile(path, JSON.stringify(nb));
    const run = await executeNotebook(path);
    // Errors are what this is about; the lesson's own test checks its outputs.
    assert.deepEqual(run.errors, [], describeFailure(run));
    assert.equal(run.executed, run.cells, describeFailure(run));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
