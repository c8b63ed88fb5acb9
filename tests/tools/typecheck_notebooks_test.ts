import assert from "node:assert/strict";
import { ROOT } from "../../tools/notebooks.ts";
import {
  describeTypeError,
  notebookModule,
  typecheckNotebooks,
} from "../../tools/typecheck_notebooks.ts";

const FIXTURE = `${ROOT}/tests/tools/fixtures/type_error.ipynb`;

Deno.test("typecheckNotebooks() names the notebook, the cell and the line of each type error", async () => {
  const errors = await typecheckNotebooks([FIXTURE]);
  assert.deepEqual(errors.map(describeTypeError), [
    `${FIXTURE}, cell 3 (id "wrong"), line 2:7: TS2322 Type 'string' is not assignable to type 'number'.`,
    `${FIXTURE}, cell 4 (id "later"), line 1:15: TS2551 Property 'lenght' does not exist on type ` +
    "'number[]'. Did you mean 'length'?",
  ]);
  const left = [...Deno.readDirSync(`${ROOT}/tests/tools/fixtures`)].map((e) => e.name);
  assert.ok(!left.some((n) => n.endsWith(".typecheck.ts")), "the module is removed afterwards");
});

Deno.test("typecheckNotebooks() passes every lesson in notebooks/", async () => {
  const lessons = [...Deno.readDirSync(`${ROOT}/notebooks`)]
    .filter((e) => e.name.endsWith(".ipynb"))
    .map((e) => `${ROOT}/notebooks/${e.name}`);
  assert.ok(lessons.length > 0);
  const errors = await typecheckNotebooks(lessons);
  assert.deepEqual(errors.map(describeTypeError), []);
});

Deno.test("notebookModule() keeps cells in order, one module, markdown left out", () => {
  const nb = JSON.parse(Deno.readTextFileSync(FIXTURE));
  const { text, cells } = notebookModule(nb);
  assert.deepEqual(cells.map((c) => c.id), ["imports", "fine", "wrong", "later"]);
  const lines = text.split("\n");
  assert.equal(lines[cells[2].firstLine - 1 + 1], 'const n: number = "a";');
  assert.ok(!text.includes("# A notebook"));
  assert.ok(text.trimEnd().endsWith("export {};"), "a module, so top-level await is allowed");
});

Deno.test("typecheckNotebooks() names a file that is not a notebook", async () => {
  const file = await Deno.makeTempFile({ suffix: ".ipynb" });
  await Deno.writeTextFile(file, "not json");
  await assert.rejects(() => typecheckNotebooks([file]), /cannot read .* as a notebook/);
  await Deno.remove(file);
});
