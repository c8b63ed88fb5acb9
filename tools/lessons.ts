// deno-lint-ignore-file no-console -- a command-line script: the console is its interface
/**
 * `deno task lessons`: the main job, headless. Executes every notebook in notebooks/
 * (or the ones named on the command line) through the real kernel, writes executed
 * copies and HTML exports to build/lessons/ (`--out=DIR` writes elsewhere), prints a
 * table and exits non-zero on any error or lost output. Outputs that arrive after their
 * cell's `idle` are kept and counted in the `late` column; with `--strict` they fail the
 * notebook. `--help` lists the flags.
 *
 * A notebook that fails leaves `build/lessons/NAME.failed.ipynb` (the executed copy, for
 * reading the error) and no `NAME.ipynb`/`NAME.html`, so the build folder never holds a
 * stale success next to a failure.
 *
 * @module
 */
import { describeFailure, executeNotebook, type NotebookRun, ROOT } from "./notebooks.ts";
import { ensureJupyter } from "./jupyter.ts";
import { commandLine } from "./_args.ts";
import { textTable } from "../lib/core/text_table.ts";

const { values, positionals: notebookArgs } = commandLine({
  usage: "deno task lessons [flags] [NOTEBOOK...]",
  summary: "Execute the notebooks headless through the real kernel, write executed copies " +
    "and HTML exports, print a table; exit 1 on any error or lost output.",
  positionals: "notebooks to run (default: every notebooks/*.ipynb)",
  flags: {
    out: {
      type: "string",
      value: "DIR",
      description: "where executed notebooks go (default: build/lessons)",
    },
    strict: { type: "boolean", description: "fail a notebook on late outputs too" },
  },
});
const BUILD = values.out ?? `${ROOT}/build/lessons`;
// --strict: a late output (kept here, dropped by stock nbconvert) fails the notebook too.
const strict = values.strict;
const passed = (run: NotebookRun) => run.ok && (run.robust || !strict);

async function listNotebooks(args: string[]): Promise<string[]> {
  if (args.length > 0) {
    for (const a of args) {
      try {
        await Deno.stat(a);
      } catch {
        throw new Error(
          `Notebook "${a}" does not exist. Pass paths like notebooks/00_setup.ipynb.`,
        );
      }
    }
    return args;
  }
  const names: string[] = [];
  for await (const e of Deno.readDir(`${ROOT}/notebooks`)) {
    if (e.isFile && e.name.endsWith(".ipynb")) names.push(`notebooks/${e.name}`);
  }
  return names.sort();
}

async function removeIfExists(path: string): Promise<void> {
  await Deno.remove(path).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
}

try {
  await ensureJupyter();
} catch (e) {
  console.error((e as Error).message);
  Deno.exit(1);
}
const notebooks = await listNotebooks(notebookArgs);
await Deno.mkdir(BUILD, { recursive: true });
const runs: NotebookRun[] = [];
for (const nb of notebooks) {
  const name = nb.split("/").at(-1)!.replace(/\.ipynb$/, "");
  const partial = {
    outIpynb: `${BUILD}/.${name}.partial.ipynb`,
    outHtml: `${BUILD}/.${name}.partial.html`,
  };
  console.log(`running ${nb} ...`);
  let run: NotebookRun;
  try {
    run = await executeNotebook(nb, partial);
  } catch (e) { // the executor itself failed (kernel did not start, unreadable notebook, ...)
    for (
      const f of [
        partial.outIpynb,
        partial.outHtml,
        `${BUILD}/${name}.ipynb`,
        `${BUILD}/${name}.html`,
      ]
    ) {
      await removeIfExists(f);
    }
    console.error(`${nb}: ${(e as Error).message}`);
    runs.push({
      notebook: nb,
      seconds: 0,
      cells: 0,
      executed: 0,
      outputs: [],
      late: [],
      ok: false,
      robust: true,
      errors: [{ cell: null, ename: "HarnessError", evalue: (e as Error).message }],
      executed_notebook: { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 },
    });
    continue;
  }
  runs.push(run);
  if (passed(run)) {
    if (!run.robust) console.warn(describeFailure(run));
    await Deno.rename(partial.outIpynb, `${BUILD}/${name}.ipynb`);
    await Deno.rename(partial.outHtml, `${BUILD}/${name}.html`);
    await removeIfExists(`${BUILD}/${name}.failed.ipynb`);
  } else {
    await Deno.rename(partial.outIpynb, `${BUILD}/${name}.failed.ipynb`);
    await removeIfExists(partial.outHtml);
    await removeIfExists(`${BUILD}/${name}.ipynb`);
    await removeIfExists(`${BUILD}/${name}.html`);
    console.error(describeFailure(run));
  }
}
const rows: string[][] = [];
for (const r of runs) {
  rows.push([
    r.notebook.split("/").at(-1)!,
    r.seconds.toFixed(1),
    `${r.executed}/${r.cells}`,
    String(r.outputs.reduce((a, b) => a + b, 0)),
    String(r.errors.length),
    String(r.late.length),
  ]);
}
const header = ["notebook", "seconds", "cells", "outputs", "errors", "late"];
console.log(
  `\n${textTable(header, rows, { rule: "-" })}\n\nexecuted notebooks and HTML exports: ${BUILD}/`,
);
const failed = runs.filter((r) => !passed(r));
if (failed.length > 0) {
  console.error(
    `${failed.length} of ${runs.length} notebooks failed: ${
      failed.map((r) => r.notebook).join(", ")
    }`,
  );
  Deno.exit(1);
}
