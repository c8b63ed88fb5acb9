// deno-lint-ignore-file no-console -- a command-line script: the console is its interface
/**
 * Install this project's kernelspec for the Deno running this script, after checking that
 * Jupyter is present. `tools/install.sh` (which `deno task setup` runs) calls it.
 *
 * `--check` installs nothing: it exits 0 when the kernelspec is current, else says what is
 * wrong and exits 1. `--quiet` prints nothing on success; `--help` lists the flags.
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
import { commandLine } from "./_args.ts";

const { values } = commandLine({
  usage: "deno run -A tools/setup.ts [flags]",
  summary: `Install the "${KERNEL_DISPLAY_NAME}" kernelspec for this Deno, after checking ` +
    "that Jupyter is present (tools/install.sh runs this).",
  flags: {
    check: {
      type: "boolean",
      description: "install nothing; exit 0 when the kernelspec is current, else say why, exit 1",
    },
    quiet: { type: "boolean", description: "print nothing on success" },
  },
});
const { check, quiet } = values;

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
