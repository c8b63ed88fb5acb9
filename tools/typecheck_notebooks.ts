// deno-lint-ignore-file no-console -- a command-line script: the console is its interface
/**
 * `deno task check:notebooks [NOTEBOOK...]` (part of `deno task check`): type-check every
 * notebook's code cells, in order, as one TypeScript module per notebook (top-level
 * `await` allowed), and name the notebook, the cell and the error for each problem.
 *
 * Deno's Jupyter kernel does not type-check cells (`const n: number = "a"` runs), and
 * `deno check` does not read `.ipynb`; this closes that gap. A learner can run it on a
 * notebook they edited: `deno task check:notebooks notebooks/02_overfitting_regularization.ipynb`.
 *
 * @module
 */
import { commandLine } from "./_args.ts";
import { joinText, type Notebook, ROOT } from "./notebooks.ts";

/** One type error, placed in its notebook cell. */
export interface CellTypeError {
  /** The notebook's path as given. */
  notebook: string;
  /** Position of the cell among all cells (0-based). */
  cellIndex: number;
  /** The cell's id, if it has one. */
  cellId?: string;
  /** Line in the cell (1-based). */
  line: number;
  /** Column (1-based). */
  column: number;
  /** TypeScript's code and message, e.g. `TS2322 Type 'string' is not assignable…`. */
  message: string;
}

/** Where each code cell starts in the module built from a notebook. */
interface CellSpan {
  index: number;
  id?: string;
  firstLine: number; // 1-based line of the cell's first source line in the module
  lines: number;
}

/**
 * The module a notebook's code cells make, in order, and where each cell starts.
 *
 * @param nb The notebook.
 * @returns The module's text and the cells' spans.
 */
export function notebookModule(nb: Notebook): { text: string; cells: CellSpan[] } {
  const out: string[] = [];
  const cells: CellSpan[] = [];
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const source = joinText(cell.source).replace(/\r\n/g, "\n");
    // A cell may start with Jupyter magics or shell escapes, which Deno's kernel does not
    // support either; they are not TypeScript, so they would be errors here too.
    const lines = source.split("\n");
    out.push(`// cell ${index}${cell.id ? ` (${cell.id})` : ""}`);
    cells.push({ index, id: cell.id, firstLine: out.length + 1, lines: lines.length });
    out.push(...lines, ";");
  });
  out.push("export {};");
  return { text: out.join("\n") + "\n", cells };
}

/** TypeScript errors as `deno check` prints them: code, message, then `at file:…:L:C`. */
function parseDenoCheck(
  stderr: string,
): Array<{ file: string; line: number; column: number; message: string }> {
  const errors: Array<{ file: string; line: number; column: number; message: string }> = [];
  const text = stderr; // the child runs with NO_COLOR=1: no escape codes to strip
  const blocks = text.split(/\n(?=TS\d+ \[ERROR\]: )/);
  for (const block of blocks) {
    const head = /^(TS\d+) \[ERROR\]: ([^\n]*)/m.exec(block);
    const at = /at (file:\/\/[^\s]+):(\d+):(\d+)/.exec(block);
    if (!head || !at) continue;
    errors.push({
      file: decodeURIComponent(new URL(at[1]).pathname),
      line: Number(at[2]),
      column: Number(at[3]),
      message: `${head[1]} ${head[2].trim()}`,
    });
  }
  return errors;
}

/**
 * Type-check notebooks' code cells with `deno check`, one module per notebook, written
 * next to the notebook (so `@lib`, relative imports and deno.json resolve as in the
 * kernel) and removed afterwards.
 *
 * @param paths Notebook files.
 * @returns Every type error, placed in its cell; empty when all notebooks check.
 * @throws When a notebook cannot be read or parsed, naming it.
 */
export async function typecheckNotebooks(paths: readonly string[]): Promise<CellTypeError[]> {
  const modules = new Map<string, { notebook: string; cells: CellSpan[] }>();
  try {
    for (const path of paths) {
      let nb: Notebook;
      try {
        nb = JSON.parse(await Deno.readTextFile(path)) as Notebook;
      } catch (error) {
        throw new Error(
          `check:notebooks: cannot read ${path} as a notebook (${
            error instanceof Error ? error.message : error
          }).`,
        );
      }
      const { text, cells } = notebookModule(nb);
      const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : ".";
      const name = path.slice(path.lastIndexOf("/") + 1).replace(/\.ipynb$/, "");
      const file = await Deno.realPath(dir).then((d) => `${d}/.${name}.typecheck.ts`);
      await Deno.writeTextFile(file, text);
      modules.set(file, { notebook: path, cells });
    }
    if (modules.size === 0) return [];
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", "--config", `${ROOT}/deno.json`, ...modules.keys()],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(run.stderr);
    const found = parseDenoCheck(stderr);
    if (!run.success && found.length === 0) {
      throw new Error(`check:notebooks: deno check failed without a type error:\n${stderr}`);
    }
    return found.flatMap((e) => {
      const module = modules.get(e.file);
      if (module === undefined) {
        // An error in an imported module (lib/…): report it as it is.
        return [{
          notebook: e.file,
          cellIndex: -1,
          line: e.line,
          column: e.column,
          message: e.message,
        }];
      }
      const cell = module.cells.find((c) =>
        e.line >= c.firstLine && e.line < c.firstLine + c.lines
      );
      return [{
        notebook: module.notebook,
        cellIndex: cell?.index ?? -1,
        cellId: cell?.id,
        line: cell ? e.line - cell.firstLine + 1 : e.line,
        column: e.column,
        message: e.message,
      }];
    });
  } finally {
    for (const file of modules.keys()) await Deno.remove(file).catch(() => {});
  }
}

/** One line per error: `notebook, cell N (id), line L:C: TS… message`. */
export function describeTypeError(e: CellTypeError): string {
  const where = e.cellIndex < 0
    ? `line ${e.line}:${e.column}`
    : `cell ${e.cellIndex}${e.cellId ? ` (id "${e.cellId}")` : ""}, line ${e.line}:${e.column}`;
  return `${e.notebook}, ${where}: ${e.message}`;
}

if (import.meta.main) {
  const { positionals } = commandLine({
    usage: "deno task check:notebooks [NOTEBOOK...]",
    summary: "Type-check the notebooks' code cells, in order, one module per notebook; " +
      "exit 1 naming the notebook, cell and error of every problem.",
    positionals: "notebooks to check (default: every notebooks/*.ipynb)",
    flags: {},
  });
  const paths = positionals.length > 0 ? positionals : [];
  if (paths.length === 0) {
    for await (const e of Deno.readDir(`${ROOT}/notebooks`)) {
      if (e.name.endsWith(".ipynb")) paths.push(`notebooks/${e.name}`);
    }
    paths.sort();
  }
  const errors = await typecheckNotebooks(paths);
  for (const e of errors) console.error(describeTypeError(e));
  if (errors.length > 0) {
    console.error(
      `check:notebooks: ${errors.length} type error(s) in ${paths.length} notebook(s).`,
    );
    Deno.exit(1);
  }
  console.log(`check:notebooks: ${paths.length} notebook(s) type-check.`);
}
