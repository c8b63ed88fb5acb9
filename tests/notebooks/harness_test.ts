import assert from "node:assert/strict";
import { cellText, describeFailure, executeNotebook, ROOT } from "../../tools/notebooks.ts";
import type { Notebook } from "../../tools/notebooks.ts";
import { skipWithoutJupyter } from "../_gate.ts";

const FIXTURES = `${ROOT}/tests/notebooks/fixtures`;

Deno.test({
  name: "executeNotebook() reports the failing cell, its error, and runs nothing after it",
  ignore: skipWithoutJupyter,
  async fn() {
    const run = await executeNotebook(`${FIXTURES}/broken.ipynb`);
    assert.equal(run.ok, false);
    assert.equal(run.cells, 3);
    assert.equal(run.executed, 2);
    assert.equal(run.errors.length, 1);
    assert.equal(run.errors[0].cell, 2);
    assert.equal(run.errors[0].ename, "RangeError");
    assert.match(run.errors[0].evalue, /deliberate failure/);
    assert.match(describeFailure(run), /cell 2: RangeError: deliberate failure/);
    assert.match(cellText(run.executed_notebook, "ok"), /answer 42/);
    assert.equal(cellText(run.executed_notebook, "never"), "");
  },
});

Deno.test({
  name: "executeNotebook() catches an output sent after the kernel said idle, and keeps it",
  ignore: skipWithoutJupyter,
  async fn() {
    const run = await executeNotebook(`${FIXTURES}/lossy.ipynb`);
    assert.equal(run.errors.length, 0);
    assert.deepEqual(run.late, [{ cell: 1, type: "stream" }]);
    assert.equal(run.robust, false, "a notebook that would lose outputs is flagged");
    assert.match(describeFailure(run), /arrived after the kernel said idle/);
    assert.match(cellText(run.executed_notebook, "late"), /sent after idle/);
  },
});

/** outputs.ipynb with its code cells (after the imports) repeated `times` times. */
async function repeated(times: number): Promise<{ path: string; expected: number[] }> {
  const nb = JSON.parse(await Deno.readTextFile(`${FIXTURES}/outputs.ipynb`)) as Notebook;
  const [intro, imports, ...body] = nb.cells;
  const cells = [intro, imports];
  for (let k = 0; k < times; k++) {
    cells.push(...body.map((c) => ({ ...c, id: `${c.id}-${k}` })));
  }
  // Beside the fixtures, so the kernel finds deno.json (and "@lib") from its working directory.
  const path = await Deno.makeTempFile({ dir: FIXTURES, prefix: ".repeated-", suffix: ".ipynb" });
  await Deno.writeTextFile(path, JSON.stringify({ ...nb, cells }));
  // show: 3 outputs, display: 1, log: 1, update: 1 (updated in place, not added)
  const perRound = [3, 1, 1, 1];
  return { path, expected: [0, ...Array.from({ length: times }, () => perRound).flat()] };
}

Deno.test({
  name: "lib's output helpers deliver every output before idle (3 kernels x 25 rounds x 4 cells)",
  ignore: skipWithoutJupyter,
  async fn() {
    const runs = Number(Deno.env.get("OUTPUT_RUNS") ?? 3);
    const { path, expected } = await repeated(25);
    try {
      for (let r = 0; r < runs; r++) {
        const run = await executeNotebook(path);
        assert.ok(run.ok && run.robust, describeFailure(run));
        assert.deepEqual(run.outputs, expected, `run ${r}: outputs per cell`);
        const last = cellText(run.executed_notebook, "update-24");
        assert.equal(last, "step 20", "the in-place output ends at its last update");
      }
    } finally {
      await Deno.remove(path);
    }
  },
});
