import assert from "node:assert/strict";
import { formatProblem, hygieneProblems, strip } from "../../tools/hygiene.ts";
import type { Notebook } from "../../tools/notebooks.ts";
import { ROOT } from "../../tools/notebooks.ts";

const dirty: Notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: "deno" } },
  cells: [
    { id: "a", cell_type: "markdown", source: "# t", metadata: {} },
    {
      id: "b",
      cell_type: "code",
      source: "1",
      metadata: {},
      execution_count: 3,
      outputs: [{ output_type: "execute_result", data: { "text/plain": "1" } }],
    },
    { cell_type: "code", source: "2", metadata: {}, execution_count: null, outputs: [] },
  ],
};

Deno.test("hygieneProblems() names the kernel, outputs, counts and missing ids", () => {
  assert.deepEqual(hygieneProblems(dirty), [
    'kernelspec is "deno", expected "tfjs-training"',
    "cell 1 has 1 outputs",
    "cell 1 has execution_count 3",
    "cell 2 has no id",
  ]);
});

Deno.test("strip() removes outputs and counts and sets the kernel, keeping sources", () => {
  const clean = strip(dirty);
  assert.deepEqual(hygieneProblems(clean), ["cell 2 has no id"]);
  assert.deepEqual(clean.cells.map((c) => c.source), ["# t", "1", "2"]);
});

Deno.test("every committed notebook is clean", async () => {
  for await (const e of Deno.readDir(`${ROOT}/notebooks`)) {
    if (!e.name.endsWith(".ipynb")) continue;
    const nb = JSON.parse(await Deno.readTextFile(`${ROOT}/notebooks/${e.name}`)) as Notebook;
    assert.deepEqual(hygieneProblems(nb), [], e.name);
  }
});

Deno.test("formatProblem() flags a notebook deno fmt would change, and passes a formatted one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const clean = `${dir}/clean.ipynb`;
    const messy = `${dir}/messy.ipynb`;
    await Deno.copyFile(`${ROOT}/tests/notebooks/fixtures/broken.ipynb`, clean);
    const text = await Deno.readTextFile(clean);
    await Deno.writeTextFile(
      messy,
      text.replace("const answer: number = 42;", "const  answer:number=42"),
    );
    assert.equal(await formatProblem(clean, `${ROOT}/deno.json`), null);
    assert.equal(await formatProblem(messy, `${ROOT}/deno.json`), "not formatted by `deno fmt`");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
