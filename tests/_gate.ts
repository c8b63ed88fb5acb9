// deno-lint-ignore-file no-console -- a command-line script: the console is its interface
/**
 * Gate for tests (in any folder) that need Jupyter: skipped with a printed reason when it is missing,
 * required (the test fails with the reason) when the environment variable CI is set.
 *
 * @module
 */
import { findJupyterPython } from "../tools/jupyter.ts";

const probe = await findJupyterPython();
const inCI = Boolean(Deno.env.get("CI"));

/** Reason the notebook tests cannot run here, or `null` when they can. */
export const jupyterMissing: string | null = probe.ok ? null : probe.reason;

/** `ignore` value for `Deno.test`: skip when Jupyter is missing, unless in CI. */
export const skipWithoutJupyter: boolean = jupyterMissing !== null && !inCI;

if (jupyterMissing !== null) {
  console.log(
    inCI
      ? `CI is set, so notebook tests run and will fail: ${jupyterMissing}`
      : `Skipping notebook tests: ${jupyterMissing}`,
  );
}

/** The Python that runs Jupyter's client (`python3` when none was found; tests are skipped then). */
export const jupyterPython: string = probe.ok ? probe.python : "python3";
