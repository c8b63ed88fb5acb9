/**
 * Delivering outputs: the one path every display helper in `lib` uses to send a MIME
 * bundle to the notebook (or text to a terminal) and to make sure it arrived.
 *
 * Deno's Jupyter kernel can publish `status: idle` before a cell's last outputs, and
 * headless Jupyter clients (nbconvert, nbclient, papermill) stop reading at `idle`,
 * so outputs sent late are silently lost. Measured here (Deno 2.9.6): a bare
 * expression's value arrives after `idle` in 5–35% of cells; `console.log` without a
 * following macrotask in about 20%. An awaited `Deno.jupyter.display` followed by one
 * macrotask (`flush()`) arrived before `idle` in 1,800 of 1,800 cells. So helpers here
 * always `await` their sends and end with {@linkcode flush}.
 *
 * Large bundles need longer: the kernel serialises and signs a message after the
 * `await` returns, so a 5 MB output followed by `flush()` alone arrived after `idle` in
 * 9 of 12 cells (2 MB: 0 of 15 with a 40 ms wait). {@linkcode display} therefore waits
 * a little after every send, and about 50 ms per MB beyond 256 kB (see {@linkcode settleMs}).
 *
 * One race remains that no code in a cell can close: Deno's kernel now and then
 * publishes a cell's `idle` while the cell is still running (message timestamps show
 * outputs *created* after the `idle`). It needs synchronous work between awaits, as
 * training does: a cell of 20 × (1 ms busy loop + `await` a 2 ms timer) and a final
 * `display` hit it in 1 of 150 runs with no other output, while 200 runs of awaits
 * alone never did; fit cells with `liveCurves` hit it in 0.25–2% of runs. Jupyter's UIs
 * still show those outputs; headless runs need a client that keeps reading after
 * `idle` (tools/nbexec.py does).
 *
 * @module
 */

/** A Jupyter MIME bundle: MIME type → content. */
export type MimeBundle = Record<string, unknown>;

/** The symbol Deno's kernel looks up to show an object: `Symbol.for("Jupyter.display")`. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/** Objects that know how to show themselves in a notebook (the protocol Deno's kernel uses). */
export interface Displayable {
  [JUPYTER_DISPLAY](): MimeBundle;
}

/**
 * Whether this code runs inside Deno's Jupyter kernel.
 *
 * `Deno.jupyter` throws when read outside `deno jupyter`, so this probes it safely.
 *
 * @returns `true` in a notebook, `false` in `deno run` / `deno test`.
 * @example
 * ```ts
 * import { inKernel } from "@lib";
 * console.log(inKernel()); // false under `deno run`
 * ```
 */
export function inKernel(): boolean {
  try {
    return typeof Deno.jupyter?.display === "function";
  } catch {
    return false;
  }
}

/**
 * Wait one macrotask so that every output sent so far reaches the kernel's IOPub
 * socket before the cell ends. Cheap (well under a millisecond when idle).
 *
 * @example
 * ```ts
 * import { flush } from "@lib";
 * console.log("last line of a cell");
 * await flush();
 * ```
 */
export function flush(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Milliseconds {@linkcode display} waits after sending a bundle of this many characters,
 * so the kernel has put it on the wire before the cell can end: 2 ms (a margin), plus
 * 50 ms per MB beyond 256 kB (a figure carrying plotly.js, about 2 MB, waits ~100 ms).
 * Waiting does not close the early-`idle` race described in the module doc.
 *
 * @param chars Characters of text in the bundle.
 * @returns Milliseconds to wait.
 * @example
 * ```ts
 * import { settleMs } from "@lib";
 * console.log(settleMs(20_000), settleMs(2_000_000)); // 2 102
 * ```
 */
export function settleMs(chars: number): number {
  return 2 + (chars <= 256_000 ? 0 : Math.ceil(chars / 20_000));
}

/** Characters of text in a bundle: strings as they are, other values as JSON. */
function bundleChars(bundle: MimeBundle): number {
  let n = 0;
  for (const value of Object.values(bundle)) {
    n += typeof value === "string" ? value.length : JSON.stringify(value)?.length ?? 0;
  }
  return n;
}

/** Options of {@linkcode display}. */
export interface DisplayOptions {
  /** Id of the output, so it can be updated in place later. @default {undefined} */
  displayId?: string;
  /** Replace the output with this `displayId` instead of adding a new one. @default {false} */
  update?: boolean;
}

/**
 * Send a MIME bundle to the notebook and wait until it is delivered (one macrotask, plus
 * {@linkcode settleMs} for large bundles). Outside a kernel, prints the bundle's
 * `text/plain` (or nothing if it has none).
 *
 * @param bundle MIME type → content, e.g. `{ "text/html": "<b>hi</b>", "text/plain": "hi" }`.
 * @param options `displayId` / `update` for outputs that change in place.
 * @example
 * ```ts
 * import { display } from "@lib";
 * await display({ "text/plain": "hello", "text/html": "<b>hello</b>" });
 * ```
 */
export async function display(bundle: MimeBundle, options: DisplayOptions = {}): Promise<void> {
  const { displayId, update = false } = options;
  if (update && displayId === undefined) {
    throw new Error(
      "display(): `update: true` needs a `displayId` naming the output to replace. " +
        "Pass the id you gave when the output was first shown.",
    );
  }
  if (inKernel()) {
    await Deno.jupyter.display(bundle as Deno.jupyter.MediaBundle, {
      raw: true,
      ...(displayId === undefined ? {} : { display_id: displayId }),
      update,
    });
    await new Promise((resolve) => setTimeout(resolve, settleMs(bundleChars(bundle))));
  } else if (typeof bundle["text/plain"] === "string") {
    // deno-lint-ignore no-console -- outside a kernel, the terminal is the output
    console.log(bundle["text/plain"]);
  }
  await flush();
}

/**
 * The MIME bundle an object would show in a notebook: its own
 * `Symbol.for("Jupyter.display")` bundle if it has one, otherwise `text/plain` from
 * `Deno.inspect` (strings as they are).
 *
 * @param value Anything.
 * @returns A MIME bundle with at least `text/plain`.
 * @example
 * ```ts
 * import { bundleOf } from "@lib";
 * console.log(bundleOf("hi")); // { "text/plain": "hi" }
 * ```
 */
export function bundleOf(value: unknown): MimeBundle {
  if (value !== null && typeof value === "object" && JUPYTER_DISPLAY in value) {
    const own = (value as Displayable)[JUPYTER_DISPLAY]();
    if (typeof own["text/plain"] === "string") return own;
    return { ...own, "text/plain": Deno.inspect(value) };
  }
  if (typeof value === "string") return { "text/plain": value };
  return { "text/plain": Deno.inspect(value, { colors: false, depth: 4 }) };
}

/**
 * Show a value in the notebook and wait until it is delivered — use it instead of
 * ending a cell with a bare expression, whose output headless runs can lose.
 *
 * @param value Anything; objects with a Jupyter display bundle show it.
 * @param options `displayId` / `update`, as for {@linkcode display}.
 * @example
 * ```ts
 * import { show } from "@lib";
 * await show({ loss: 0.25 });
 * ```
 */
export function show(value: unknown, options: DisplayOptions = {}): Promise<void> {
  return display(bundleOf(value), options);
}
