/**
 * `deno task hygiene` (part of `deno task check`): committed notebooks carry no outputs
 * or execution counts, use this project's kernel, and give every cell an id.
 * `deno task strip` fixes what can be fixed (outputs, counts, kernel metadata) in place.
 *
 * @module
 */
import { KERNEL_DISPLAY_NAME, KERNEL_NAME } from "./jupyter.ts";
import type { Notebook } from "./notebooks.ts";

/** The kernel metadata every lesson carries. */
export const KERNELSPEC = {
  name: KERNEL_NAME,
  display_name: KERNEL_DISPLAY_NAME,
  language: "typescript",
};

/**
 * What is wrong with a committed notebook.
 *
 * @returns One line per problem; empty when the notebook is clean.
 */
export function hygieneProblems(nb: Notebook): string[] {
  const problems: string[] = [];
  const spec = nb.metadata.kernelspec as Record<string, unknown> | undefined;
  if (spec?.name !== KERNEL_NAME) {
    problems.push(`kernelspec is "${spec?.name}", expected "${KERNEL_NAME}"`);
  }
  const ids = new Set<string>();
  nb.cells.forEach((cell, i) => {
    if (!cell.id) problems.push(`cell ${i} has no id`);
    else if (ids.has(cell.id)) problems.push(`cell ${i} repeats id "${cell.id}"`);
    else ids.add(cell.id);
    if (cell.cell_type !== "code") return;
    if (cell.outputs && cell.outputs.length > 0) {
      problems.push(`cell ${i} has ${cell.outputs.length} outputs`);
    }
    if (cell.execution_count !== null && cell.execution_count !== undefined) {
      problems.push(`cell ${i} has execution_count ${cell.execution_count}`);
    }
  });
  return problems;
}

/** The notebook with outputs and execution counts removed and the kernel metadata set. */
export function strip(nb: Notebook): Notebook {
  return {
    ...nb,
    metadata: {
      ...nb.metadata,
      kernelspec: KERNELSPEC,
      language_info: { name: "typescript", file_extension: ".ts" },
    },
    cells: nb.cells.map((c) =>
      c.cell_type === "code" ? { ...c, outputs: [], execution_count: null } : c
    ),
  };
}

if (import.meta.main) {
  const fix = Deno.args.includes("--fix");
  const root = new URL("../notebooks/", import.meta.url).pathname;
  let bad = 0;
  for await (const e of Deno.readDir(root)) {
    if (!e.isFile || !e.name.endsWith(".ipynb")) continue;
    const path = `${root}${e.name}`;
    let nb = JSON.parse(await Deno.readTextFile(path)) as Notebook;
    if (fix) {
      nb = strip(nb);
      await Deno.writeTextFile(path, JSON.stringify(nb, null, 1) + "\n");
    }
    const problems = hygieneProblems(nb);
    if (problems.length > 0) {
      bad++;
      console.error(`notebooks/${e.name}:\n  ${problems.join("\n  ")}`);
    }
  }
  if (bad > 0) {
    console.error("Run `deno task strip` to remove outputs, then `deno fmt notebooks/`.");
    Deno.exit(1);
  }
  console.log("notebooks are clean");
}
