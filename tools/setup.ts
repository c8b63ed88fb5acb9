// deno-lint-ignore-file no-console -- a command-line script: the console is its interface
/**
 * `deno task setup`: check that Jupyter is present and install this project's kernelspec.
 *
 * @module
 */
import { findJupyterPython, installKernel, KERNEL_DISPLAY_NAME, KERNEL_NAME } from "./jupyter.ts";

const probe = await findJupyterPython();
if (!probe.ok) {
  console.error(probe.reason);
  Deno.exit(1);
}
const path = await installKernel(probe.python);
console.log(`Kernel "${KERNEL_DISPLAY_NAME}" (${KERNEL_NAME}) installed at ${path}`);
console.log(`Jupyter's client: ${probe.python}. Open the lessons with \`deno task notebook\`.`);
