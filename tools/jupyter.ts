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

/**
 * How Jupyter interrupts the kernel: SIGINT to the kernelspec's process, which is the
 * launcher (tools/kernel_launcher.py); it decides what Deno's kernel gets.
 */
export const INTERRUPT_MODE = "signal";

/** The launcher the kernelspec starts in front of `deno jupyter --kernel`. */
export const LAUNCHER_SOURCE = new URL("./kernel_launcher.py", import.meta.url).pathname;
/** Its file name in the kernelspec's directory (a copy, so the kernelspec stands alone). */
export const LAUNCHER_NAME = "kernel_launcher.py";

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

/** The interpreter's own absolute path (`python3` on PATH becomes `/usr/bin/python3.11`). */
async function absolutePython(python: string): Promise<string> {
  const { stdout, success } = await new Deno.Command(python, {
    args: ["-c", "import sys; print(sys.executable)"],
    stderr: "null",
  }).output();
  const path = new TextDecoder().decode(stdout).trim();
  return success && path.startsWith("/") ? path : python;
}

/**
 * The kernelspec for a kernel directory: the launcher (with Jupyter's Python) in front of
 * this Deno's kernel, `interrupt_mode: "signal"` and `NO_COLOR=1`.
 *
 * @param python Absolute path of the Python that runs the launcher (it needs pyzmq and
 *   jupyter_client, which Jupyter itself brings).
 * @param dir The kernelspec's directory (holds the launcher's copy).
 * @returns The kernel.json content.
 */
export function kernelSpec(python: string, dir: string): KernelSpec {
  return {
    argv: [python, `${dir}/${LAUNCHER_NAME}`, "--deno", Deno.execPath(), "{connection_file}"],
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
    interrupt_mode: INTERRUPT_MODE,
    env: { NO_COLOR: "1" },
  };
}

/** Deno's logo files, from `deno jupyter --install` run into a scratch directory. */
async function copyDenoLogos(dir: string): Promise<void> {
  const scratch = await Deno.makeTempDir({ prefix: "deno-kernelspec-" });
  try {
    // Deno's installer ignores JUPYTER_DATA_DIR; it honours DENO_TEST_JUPYTER_PATH (and,
    // failing that, XDG_DATA_HOME / HOME), so all three point into the scratch directory.
    await new Deno.Command(Deno.execPath(), {
      args: ["jupyter", "--install", "--force", "--name", KERNEL_NAME],
      env: {
        NO_COLOR: "1",
        DENO_TEST_JUPYTER_PATH: scratch,
        XDG_DATA_HOME: scratch,
        HOME: scratch,
      },
      stdout: "null",
      stderr: "null",
    }).output();
    for await (const entry of Deno.readDir(`${scratch}/kernels/${KERNEL_NAME}`)) {
      if (entry.isFile && entry.name.startsWith("logo-")) {
        await Deno.copyFile(
          `${scratch}/kernels/${KERNEL_NAME}/${entry.name}`,
          `${dir}/${entry.name}`,
        );
      }
    }
  } catch {
    // The logos are cosmetic: Jupyter shows a generic icon without them.
  } finally {
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
}

/**
 * Install (or refresh) the `tfjs-training` kernelspec in Jupyter's data directory (which
 * honours `JUPYTER_DATA_DIR`): kernel.json, a copy of the launcher, Deno's logos.
 *
 * Why a launcher, measured with Deno 2.9.6's kernel: with `interrupt_mode: "message"`
 * Deno's kernel terminates synchronous code but wedges on an awaited cell (a `fit`); with
 * `"signal"` the SIGINT kills it. The launcher receives the SIGINT instead and picks what
 * works for the cell at hand (see tools/kernel_launcher.py and lib/callbacks/interrupt.ts).
 * It is on no message path, so cells run as fast as without it.
 *
 * @param python A Python that can import jupyter_client (see {@linkcode findJupyterPython}).
 * @returns The path of the kernel.json written.
 */
export async function installKernel(python: string): Promise<string> {
  const dir = await kernelDir(python);
  await Deno.mkdir(dir, { recursive: true });
  await copyDenoLogos(dir);
  await Deno.copyFile(LAUNCHER_SOURCE, `${dir}/${LAUNCHER_NAME}`);
  const spec = kernelSpec(await absolutePython(python), dir);
  const path = `${dir}/kernel.json`;
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
 * Whether the installed kernelspec is this project's current one: this Deno, the
 * launcher (an up-to-date copy), signal interrupts, `NO_COLOR=1`.
 *
 * @returns `null` when it is current, otherwise what is wrong with it.
 */
export async function kernelProblem(python: string): Promise<string | null> {
  const dir = await kernelDir(python);
  const path = `${dir}/kernel.json`;
  let spec: KernelSpec;
  try {
    spec = JSON.parse(await Deno.readTextFile(path));
  } catch {
    return `no kernelspec at ${path}`;
  }
  const want = kernelSpec(await absolutePython(python), dir);
  const argv = spec.argv ?? [];
  // The Deno is compared as a file: a kernelspec may name it through a symlink (/usr/bin/deno
  // into npm's folder) while Deno.execPath() is the resolved path.
  const denoAt = want.argv.indexOf("--deno") + 1;
  const same = argv.length === want.argv.length &&
    argv.every((arg, i) => i === denoAt ? sameFile(arg, want.argv[i]) : arg === want.argv[i]);
  if (!same) {
    return `kernelspec runs ${JSON.stringify(argv)}, not ${JSON.stringify(want.argv)}`;
  }
  if (spec.interrupt_mode !== INTERRUPT_MODE) {
    return `kernelspec has interrupt_mode ${spec.interrupt_mode}, not ${INTERRUPT_MODE}`;
  }
  if (spec.env?.NO_COLOR !== "1") return "kernelspec lacks NO_COLOR=1";
  const installed = await Deno.readTextFile(`${dir}/${LAUNCHER_NAME}`).catch(() => "");
  if (installed !== await Deno.readTextFile(LAUNCHER_SOURCE)) {
    return `the launcher in ${dir} is missing or differs from tools/${LAUNCHER_NAME}`;
  }
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
