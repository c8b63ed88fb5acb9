// deno-lint-ignore-file no-console -- a command-line script: the console is its interface
/**
 * `deno task hygiene` (part of `deno task check`): committed notebooks carry no outputs
 * or execution counts, use this project's kernel, and give every cell an id.
 * `deno task strip` fixes what can be fixed (outputs, counts, kernel metadata) in place.
 *
 * @module
 */
import { KERNEL_DISPLAY_NAME, KERNEL_NAME } from "./jupyter.ts";
import type { Notebook } from "./notebooks.ts";
import { commandLine } from "./_args.ts";

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

/**
 * The notebook as `deno fmt` formats it, produced on a copy.
 *
 * Why a copy: Deno 2.9.6 reports every `.ipynb` as "not formatted" the first time it
 * sees it (a fresh clone fails `deno fmt --check`) although formatting leaves its bytes
 * unchanged. So deno.json excludes notebooks from `deno fmt`, and this tool formats and
 * checks them by formatting a copy outside the repository and comparing bytes.
 *
 * @returns The formatted text.
 * @throws Error with `deno fmt`'s message when the notebook cannot be formatted.
 */
export async function formatted(path: string, config: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "fmt-ipynb-" });
  try {
    const copy = `${dir}/notebook.ipynb`;
    await Deno.copyFile(path, copy);
    const res = await new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--quiet", "--config", config, copy],
      env: { NO_COLOR: "1" },
    }).output();
    if (!res.success) {
      throw new Error(`deno fmt failed: ${new TextDecoder().decode(res.stderr).trim()}`);
    }
    return await Deno.readTextFile(copy);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Whether `deno fmt` would change this notebook.
 *
 * @returns `null` when formatted, else the problem in words.
 */
export async function formatProblem(path: string, config: string): Promise<string | null> {
  try {
    const text = await formatted(path, config);
    return text === await Deno.readTextFile(path) ? null : "not formatted by `deno fmt`";
  } catch (e) {
    return (e as Error).message;
  }
}

/** Every `.ipynb` in the repository outside build/ and node_modules/, relative to `root`. */
async function allNotebooks(root: string, dir = ""): Promise<string[]> {
  const found: string[] = [];
  for await (const e of Deno.readDir(`${root}/${dir}`)) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory && !["build", "node_modules", ".git"].includes(e.name)) {
      found.push(...await allNotebooks(root, rel));
    } else if (e.isFile && e.name.endsWith(".ipynb") && !e.name.startsWith(".")) {
      found.push(rel);
    }
  }
  return found.sort();
}

if (import.meta.main) {
  const { values: { fix } } = commandLine({
    usage: "deno run -A tools/hygiene.ts [--fix]",
    summary: "Every committed lesson notebook: outputs stripped, kernel and cell ids in place, " +
      "and formatted as `deno fmt` would.",
    flags: {
      fix: { type: "boolean", description: "strip outputs and format in place (hygiene:fix)" },
    },
  });
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const config = `${root}/deno.json`;
  let bad = 0;
  for (const rel of await allNotebooks(root)) {
    const path = `${root}/${rel}`;
    const problems: string[] = [];
    if (rel.startsWith("notebooks/")) { // lessons: committed clean; fixtures may carry outputs
      let nb = JSON.parse(await Deno.readTextFile(path)) as Notebook;
      if (fix) {
        nb = strip(nb);
        await Deno.writeTextFile(path, JSON.stringify(nb, null, 1) + "\n");
      }
      problems.push(...hygieneProblems(nb));
    }
    if (fix) await Deno.writeTextFile(path, await formatted(path, config));
    const fmt = await formatProblem(path, config);
    if (fmt) problems.push(fmt);
    if (problems.length > 0) {
      bad++;
      console.error(`${rel}:\n  ${problems.join("\n  ")}`);
    }
  }
  if (bad > 0) {
    console.error("Run `deno task strip` to remove outputs and format the notebooks.");
    Deno.exit(1);
  }
  console.log("notebooks are clean and formatted");
}
