/**
 * What every lesson test does: `runLesson()` executes the lesson once through the real
 * kernel and hands back the executed notebook whose outputs the test checks the
 * lesson's claims on; `assertCellsRerun()` runs every code cell twice, back to back,
 * as a learner re-running cells would, and fails on any error ("already declared",
 * stale backend, a checkpoint that cannot be overwritten…); `runWithAnswers()` runs the
 * lesson with wrong and right answers put after its self-checking exercises' answer cells,
 * so a test can check both verdicts.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  describeFailure,
  executeNotebook,
  type Notebook,
  type NotebookCell,
  ROOT,
} from "../../tools/notebooks.ts";

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

/** Answers to try after an exercise's answer cell (by the cell's id): wrong ones, then the right one. */
export type ExerciseAnswers = Record<string, { wrong: string[]; right: string }>;

function codeCell(id: string, source: string): NotebookCell {
  return { id, cell_type: "code", source, metadata: {}, outputs: [], execution_count: null };
}

/**
 * Execute the lesson as committed plus, after each answer cell named in `answers`, one
 * cell per wrong answer (ids `ID-wrong1`, …) and one with the right answer (`ID-right`).
 * Every committed cell runs as is; fails unless every cell ran without an error.
 *
 * @param name The lesson's file name in notebooks/, without `.ipynb`.
 * @param answers Answers by answer-cell id.
 * @returns The executed notebook.
 */
export async function runWithAnswers(name: string, answers: ExerciseAnswers): Promise<Notebook> {
  const nb = JSON.parse(await Deno.readTextFile(`${ROOT}/notebooks/${name}.ipynb`)) as Notebook;
  const ids = new Set(nb.cells.map((c) => c.id));
  const missing = Object.keys(answers).filter((id) => !ids.has(id));
  assert.deepEqual(missing, [], `${name}: no answer cell with id ${missing.join(", ")}`);
  nb.cells = nb.cells.flatMap((c) => {
    const a = answers[c.id ?? ""];
    if (!a) return [c];
    const wrong = a.wrong.map((src, i) => codeCell(`${c.id}-wrong${i + 1}`, src));
    return [c, ...wrong, codeCell(`${c.id}-right`, a.right)];
  });
  await Deno.mkdir(`${ROOT}/build`, { recursive: true });
  const dir = await Deno.makeTempDir({ dir: `${ROOT}/build`, prefix: "answers-" });
  try {
    const path = `${dir}/${name}_answers.ipynb`;
    await Deno.writeTextFile(path, JSON.stringify(nb));
    const run = await executeNotebook(path);
    assert.ok(run.ok, describeFailure(run));
    return run.executed_notebook;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
