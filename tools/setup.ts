// deno-lint-ignore-file no-console -- a command-line script: the console is its interface
/**
 * Install this project's kernelspec for the Deno running this script, after checking that
 * Jupyter is present. `tools/install.sh` (which `deno task setup` runs) calls it.
 *
 * - `--check`: install nothing; exit 0 when the kernelspec is current, else print what is
 *   wrong and exit 1.
 * - `--quiet`: print nothing on success.
 *
 * @module
 */
import {
  findJupyterPython,
  installKernel,
  KERNEL_DISPLAY_NAME,
  KERNEL_NAME,
  kernelProblem,
} from "./jupyter.ts";

const known = ["--check", "--quiet"];
const unknown = Deno.args.filter((a) => !known.includes(a));
if (unknown.length > 0) {
  console.error(`Unknown option ${unknown.join(" ")}. Options: ${known.join(", ")}.`);
  Deno.exit(2);
}
const check = Deno.args.includes("--check");
const quiet = Deno.args.includes("--quiet");

const probe = await findJupyterPython();
if (!probe.ok) {
  console.error(probe.reason);
  Deno.exit(1);
}
if (check) {
  const problem = await kernelProblem(probe.python);
  if (problem !== null) console.log(problem);
  Deno.exit(problem === null ? 0 : 1);
}
const path = await installKernel(probe.python);
if (!quiet) {
  console.log(`Kernel "${KERNEL_DISPLAY_NAME}" (${KERNEL_NAME}) installed at ${path}`);
  console.log(`Jupyter's client: ${probe.python}. Open the lessons with \`deno task notebook\`.`);
}
