// deno-lint-ignore-file no-console -- a test gate: the printed reason is its interface
/**
 * Gate for tests that start a real JupyterHub: skipped with a printed reason when
 * JupyterHub is missing or the tests are not run as root (learners get accounts of their
 * own), required (the test fails with the reason) when the environment variable CI is
 * set — as tests/_gate.ts does for Jupyter.
 *
 * @module
 */
import { jupyterhubMissing } from "../../hub/hub_process.ts";
import { jupyterMissing } from "../_gate.ts";

const inCI = Boolean(Deno.env.get("CI"));

/** Reason the hub tests cannot run here, or `null` when they can. */
export const hubMissing: string | null = jupyterMissing ?? await jupyterhubMissing() ??
  (Deno.uid() === 0
    ? null
    : "the hub tests run each learner under a system account of their own, which needs root");

/** `ignore` value for `Deno.test`: skip when the hub cannot run, unless in CI. */
export const skipWithoutHub: boolean = hubMissing !== null && !inCI;

if (hubMissing !== null) {
  console.log(
    inCI
      ? `CI is set, so the JupyterHub tests run and will fail: ${hubMissing}`
      : `Skipping JupyterHub tests: ${hubMissing}`,
  );
}
