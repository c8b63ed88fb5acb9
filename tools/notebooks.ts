/**
 * The notebook harness: executes a notebook headless through the real Deno kernel with
 * Jupyter's own client (nbclient, via tools/nbexec.py) and reads the executed result.
 *
 * Used by `deno task lessons` and by the tests in tests/notebooks/.
 *
 * @module
 */
import { ensureJupyter, KERNEL_NAME } from "./jupyter.ts";

/** Root of the repository (this file lives in `tools/`). */
export const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const NBEXEC = `${ROOT}/tools/nbexec.py`;

/** One output of an executed cell, as nbformat stores it. */
export interface NotebookOutput {
  output_type: "stream" | "display_data" | "execute_result" | "error";
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** A cell as nbformat stores it. */
export interface NotebookCell {
  id?: string;
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: NotebookOutput[];
  execution_count?: number | null;
}

/** A notebook as nbformat stores it. */
export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/** An error raised by a cell (or by the kernel, with `cell: null`). */
export interface CellError {
  cell: number | null;
  ename: string;
  evalue: string;
  source?: string;
}

/** What executing one notebook produced. */
export interface NotebookRun {
  /** Path of the source notebook. */
  notebook: string;
  /** Wall-clock seconds, kernel start to last cell. */
  seconds: number;
  /** Number of code cells. */
  cells: number;
  /** Code cells that ran. */
  executed: number;
  /** Number of outputs of each code cell, in order. */
  outputs: number[];
  /** Errors raised by cells. */
  errors: CellError[];
  /** Outputs that arrived after their cell's `idle`: stock headless clients would drop them. */
  late: { cell: number; type: string }[];
  /** The executed notebook. */
  executed_notebook: Notebook;
  /** Every code cell executed and none raised an error. */
  ok: boolean;
  /**
   * No output arrived after its cell's `idle`. The harness keeps late outputs, but
   * stock headless clients (nbconvert, papermill) would have dropped them.
   */
  robust: boolean;
}

/** Options of {@linkcode executeNotebook}. */
export interface ExecuteOptions {
  /** Write the executed notebook here. @default {undefined} (not written) */
  outIpynb?: string;
  /** Write an HTML export here. @default {undefined} (not written) */
  outHtml?: string;
  /** Seconds one cell may run. @default {600} */
  cellTimeout?: number;
  /** Seconds to keep listening after the last cell's `idle`. @default {1} */
  grace?: number;
}

/**
 * Execute a notebook through the real kernel and return what it produced.
 *
 * Fails fast with install instructions when Jupyter is missing; installs the
 * kernelspec when it is missing or stale.
 *
 * @param path The `.ipynb` to run.
 * @param options Where to write the executed copy and HTML export, timeouts.
 * @returns The run: errors, late outputs, counts and the executed notebook.
 */
export async function executeNotebook(
  path: string,
  options: ExecuteOptions = {},
): Promise<NotebookRun> {
  const { outIpynb, outHtml, cellTimeout = 600, grace = 1 } = options;
  const python = await ensureJupyter();
  const tmpDir = await Deno.makeTempDir({ prefix: "nbexec-" });
  const executedPath = outIpynb ?? `${tmpDir}/executed.ipynb`;
  try {
    const args = [
      NBEXEC,
      path,
      "--kernel",
      KERNEL_NAME,
      "--timeout",
      String(cellTimeout),
      "--grace",
      String(grace),
      "--out",
      executedPath,
      ...(outHtml ? ["--html", outHtml] : []),
    ];
    const result = await new Deno.Command(python, {
      args,
      env: { NO_COLOR: "1", PYTHONWARNINGS: "ignore" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(result.stdout).trim();
    if (!result.success || !stdout) {
      throw new Error(
        `Could not execute ${path} (nbexec.py exited ${result.code}):\n` +
          new TextDecoder().decode(result.stderr).slice(-4000),
      );
    }
    const summary = JSON.parse(stdout.split("\n").at(-1)!) as Omit<
      NotebookRun,
      "executed_notebook" | "ok" | "robust"
    >;
    const executed_notebook = JSON.parse(await Deno.readTextFile(executedPath)) as Notebook;
    const ok = summary.errors.length === 0 && summary.executed === summary.cells;
    const robust = summary.late.length === 0;
    return { ...summary, notebook: path, executed_notebook, ok, robust };
  } finally {
    await Deno.remove(tmpDir, { recursive: true });
  }
}

/** Join nbformat's "string or list of strings" text. */
export function joinText(text: string | string[] | undefined): string {
  return Array.isArray(text) ? text.join("") : text ?? "";
}

/**
 * The code cell with this `id` (nbformat 4.5 cell ids; lessons give the cells whose
 * outputs tests read a readable id such as `"lr-sweep"`).
 *
 * @throws Error naming the id and the ids that exist.
 */
export function cellById(nb: Notebook, id: string): NotebookCell {
  const cell = nb.cells.find((c) => c.id === id);
  if (!cell) {
    const ids = nb.cells.filter((c) => c.cell_type === "code").map((c) => c.id);
    throw new Error(`No cell with id "${id}". Code cell ids: ${ids.join(", ")}`);
  }
  return cell;
}

/**
 * Everything a cell showed as text: stream text plus each output's `text/plain`,
 * one per line, in order. What a test reads to check a lesson's claims.
 */
export function cellText(nb: Notebook, id: string): string {
  return (cellById(nb, id).outputs ?? []).map((o) =>
    o.output_type === "stream" ? joinText(o.text) : joinText(o.data?.["text/plain"] as string)
  ).join("\n");
}

/** The MIME bundles (display data / results) a cell showed, in order. */
export function cellBundles(nb: Notebook, id: string): Record<string, unknown>[] {
  return (cellById(nb, id).outputs ?? []).flatMap((o) => o.data ? [o.data] : []);
}

/**
 * Read the number printed after `label` in a cell's text, e.g.
 * `numberAfter(text, "val_loss")` on `"best val_loss: 0.1234"` gives `0.1234`.
 *
 * @throws Error when the label is not followed by a number.
 */
export function numberAfter(text: string, label: string): number {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`${escaped}\\W*?(-?(?:\\d+\\.?\\d*|\\.\\d+)(?:e[-+]?\\d+)?|NaN)`, "i")
    .exec(text);
  if (!match) throw new Error(`No number after "${label}" in:\n${text.slice(0, 2000)}`);
  return Number(match[1]);
}

/** Describe a run's problems in words: which notebook, which cell, which error or late output. */
export function describeFailure(run: NotebookRun): string {
  const lines = [`${run.notebook}: ${run.executed}/${run.cells} code cells ran`];
  for (const e of run.errors) {
    const where = e.cell === null ? "kernel" : `cell ${e.cell}`;
    lines.push(`  ${where}: ${e.ename}: ${e.evalue}`);
    if (e.source) lines.push(...e.source.split("\n").slice(0, 6).map((l) => `    | ${l}`));
  }
  for (const l of run.late) {
    lines.push(
      `  cell ${l.cell}: a ${l.type} output arrived after the kernel said idle (kept here; ` +
        "nbconvert and papermill would drop it). End the cell with `await show(...)` or " +
        "`await flush()` from @lib instead of a bare expression or a trailing console.log.",
    );
  }
  return lines.join("\n");
}
