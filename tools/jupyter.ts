/**
 * Finding Jupyter and installing this project's Deno kernelspec.
 *
 * Used by tools/setup.ts (the kernelspec step of tools/install.sh), `deno task lessons` and the
 * notebook tests.
 *
 * @module
 */

/** Name of the kernelspec every notebook in `notebooks/` uses. */
export const KERNEL_NAME = "tfjs-training";
/** What Jupyter's kernel menu shows for it. */
export const KERNEL_DISPLAY_NAME = "Deno (tfjs-training)";

/** How Jupyter interrupts the kernel: SIGINT, which `stopOnInterrupt()` turns into a clean stop. */
export const INTERRUPT_MODE = "signal";

/** How to install what is missing, shown in every "not found" error. */
export const INSTALL_HINT = [
  "Install Jupyter with `tools/install.sh` (what `./denow task setup` runs), or yourself, then run this again:",
  "  Debian/Ubuntu: sudo apt-get install -y jupyter-notebook jupyter-nbconvert python3-nbclient",
  "  any OS:        pip install jupyterlab nbclient nbconvert",
  "If Jupyter lives in another Python, point JUPYTER_PYTHON at it (e.g. JUPYTER_PYTHON=~/venv/bin/python).",
].join("\n");

/** A Python that can import nbclient and nbconvert, or why none was found. */
export type PythonProbe = { ok: true; python: string } | { ok: false; reason: string };

async function canImport(python: string, modules: string): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(python, {
      args: ["-c", `import ${modules}`],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false; // not on PATH / not executable
  }
}

let cachedPython: Promise<PythonProbe> | undefined;

/**
 * Find a Python interpreter with Jupyter's headless client (nbclient, nbconvert,
 * jupyter_client). Uses `$JUPYTER_PYTHON` when set; otherwise tries `/usr/bin/python3`
 * (Debian's packages), then `python3` and `python` on PATH.
 *
 * @returns The interpreter, or the reason none works (with install instructions).
 */
export function findJupyterPython(): Promise<PythonProbe> {
  cachedPython ??= (async (): Promise<PythonProbe> => {
    // An explicit JUPYTER_PYTHON is the only candidate: a wrong one is reported, not bypassed.
    const fromEnv = Deno.env.get("JUPYTER_PYTHON");
    const candidates = fromEnv ? [fromEnv] : ["/usr/bin/python3", "python3", "python"];
    for (const python of candidates) {
      if (await canImport(python, "nbclient, nbconvert, jupyter_client, nbformat")) {
        return { ok: true, python };
      }
    }
    return {
      ok: false,
      reason: `Jupyter's headless client was not found (tried ${
        candidates.join(", ")
      }: none can import nbclient and nbconvert).\n${INSTALL_HINT}`,
    };
  })();
  return cachedPython;
}

/** Where Jupyter looks for user kernelspecs: `<data dir>/kernels/<name>`. */
export async function kernelDir(python: string, name = KERNEL_NAME): Promise<string> {
  const { stdout, success, stderr } = await new Deno.Command(python, {
    args: ["-c", "from jupyter_core.paths import jupyter_data_dir; print(jupyter_data_dir())"],
  }).output();
  if (!success) {
    throw new Error(
      `Could not ask Jupyter for its data directory:\n${new TextDecoder().decode(stderr)}`,
    );
  }
  return `${new TextDecoder().decode(stdout).trim()}/kernels/${name}`;
}

/** The kernel.json this project installs (see {@linkcode installKernel}). */
export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode?: "signal" | "message";
  env?: Record<string, string>;
  metadata?: Record<string, unknown>;
}

/**
 * Install (or refresh) the `tfjs-training` kernelspec: Deno's own kernel, plus
 * `interrupt_mode: "signal"` and `NO_COLOR=1` (errors and logs without ANSI colour codes).
 *
 * Why signal, measured with Deno 2.9.6's kernel: with `"message"` the kernel ignores
 * Jupyter's interrupt request, so an awaited training cell runs on to its end (the
 * interrupt button does nothing). With `"signal"` Jupyter sends SIGINT: a kernel with no
 * SIGINT listener dies (state lost, as with Deno's default kernelspec), but once the
 * library's `stopOnInterrupt()` has installed its listener, an interrupt ends `fit` at
 * the next batch boundary and the kernel keeps every variable.
 *
 * @returns The path of the kernel.json written.
 */
export async function installKernel(python: string): Promise<string> {
  const install = await new Deno.Command(Deno.execPath(), {
    args: [
      "jupyter",
      "--install",
      "--force",
      "--name",
      KERNEL_NAME,
      "--display",
      KERNEL_DISPLAY_NAME,
    ],
    env: { NO_COLOR: "1" },
  }).output();
  if (!install.success) {
    throw new Error(
      `\`deno jupyter --install\` failed:\n${new TextDecoder().decode(install.stderr)}`,
    );
  }
  const path = `${await kernelDir(python)}/kernel.json`;
  const spec = JSON.parse(await Deno.readTextFile(path)) as KernelSpec;
  spec.interrupt_mode = INTERRUPT_MODE;
  spec.env = { ...spec.env, NO_COLOR: "1" };
  const tmp = `${path}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(spec, null, 2) + "\n");
  await Deno.rename(tmp, path);
  return path;
}

function sameFile(a: string | undefined, b: string): boolean {
  try {
    return a !== undefined && Deno.realPathSync(a) === Deno.realPathSync(b);
  } catch {
    return false; // a kernelspec pointing at a Deno that is gone
  }
}

/**
 * Whether the installed kernelspec is this project's and points at the running Deno.
 *
 * @returns `null` when it is current, otherwise what is wrong with it.
 */
export async function kernelProblem(python: string): Promise<string | null> {
  const path = `${await kernelDir(python)}/kernel.json`;
  let spec: KernelSpec;
  try {
    spec = JSON.parse(await Deno.readTextFile(path));
  } catch {
    return `no kernelspec at ${path}`;
  }
  // `deno jupyter --install` writes the path Deno was started by (/usr/bin/deno, a symlink into
  // npm's folder), Deno.execPath() the resolved one: compare the files, not the names.
  if (!sameFile(spec.argv?.[0], Deno.execPath())) {
    return `kernelspec runs ${spec.argv?.[0]}, not this Deno (${Deno.execPath()})`;
  }
  if (spec.interrupt_mode !== INTERRUPT_MODE) {
    return `kernelspec has interrupt_mode ${spec.interrupt_mode}, not ${INTERRUPT_MODE}`;
  }
  if (spec.env?.NO_COLOR !== "1") return "kernelspec lacks NO_COLOR=1";
  return null;
}

/**
 * Make sure Jupyter's client is present and the kernelspec is current; install the
 * kernelspec if needed.
 *
 * @returns The Python to run Jupyter's client with.
 * @throws Error with install instructions when Jupyter is missing.
 */
export async function ensureJupyter(): Promise<string> {
  const probe = await findJupyterPython();
  if (!probe.ok) throw new Error(probe.reason);
  if (await kernelProblem(probe.python)) await installKernel(probe.python);
  return probe.python;
}
