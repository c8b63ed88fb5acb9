/**
 * The hub's state folder, built before JupyterHub starts (and again by `deno task hub
 * update`): a read-only copy of the course, the learners' kernelspec, and one shared,
 * pre-warmed, read-only Deno cache.
 *
 * ```
 * STATE/
 *   course/        lib/, notebooks/, deno.json, hub/ — what learners run, read-only
 *   deno_dir/      DENO_DIR for every learner: tfjs & co. downloaded and compiled once
 *   node_modules/  the npm packages lib/ finds by Node's file lookup (plotly.js), read-only
 *   jupyter/       JUPYTER_PATH for learners: kernels/tfjs-training/kernel.json
 *   bin/deno       only when this Deno's own path is not open to other users
 *   home/NAME/     demo learners' homes (0700, owned by the learner's account)
 *   learners/      one NAME.json per learner who ever started a server (for `update`)
 *   hub/           JupyterHub's database, cookie secret, pid files, settings, logs
 * ```
 *
 * @module
 */
import {
  INTERRUPT_MODE,
  KERNEL_DISPLAY_NAME,
  KERNEL_NAME,
  type KernelSpec,
} from "../tools/jupyter.ts";

/** The paths inside a state folder (see the module description). */
export interface HubPaths {
  state: string;
  course: string;
  denoDir: string;
  jupyterPath: string;
  bin: string;
  homes: string;
  learners: string;
  hub: string;
}

/** The paths inside `state` (absolute). */
export function hubPaths(state: string): HubPaths {
  const s = state.startsWith("/") ? state : `${Deno.cwd()}/${state}`;
  return {
    state: s,
    course: `${s}/course`,
    denoDir: `${s}/deno_dir`,
    jupyterPath: `${s}/jupyter`,
    bin: `${s}/bin`,
    homes: `${s}/home`,
    learners: `${s}/learners`,
    hub: `${s}/hub`,
  };
}

/** Whether the process runs as root (and so can run each learner under their own account). */
export function isRoot(): boolean {
  return Deno.uid() === 0;
}

/**
 * The first folder on the way to `path` that other users cannot enter, or `null`.
 * Learners' accounts must reach the course, the cache and Deno itself.
 */
export async function closedToOthers(path: string): Promise<string | null> {
  const parts = path.split("/").filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const dir = "/" + parts.slice(0, i).join("/");
    const info = await Deno.stat(dir);
    const needed = info.isDirectory ? 0o001 : 0o005;
    if ((info.mode! & needed) !== needed) return dir;
  }
  return null;
}

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true, mode: 0o755 });
  for await (const entry of Deno.readDir(from)) {
    if (entry.name === ".ipynb_checkpoints" || entry.name === "__pycache__") continue;
    const src = `${from}/${entry.name}`;
    const dst = `${to}/${entry.name}`;
    if (entry.isDirectory) await copyTree(src, dst);
    else if (entry.isFile) {
      await Deno.copyFile(src, dst);
      const executable = ((await Deno.stat(src)).mode! & 0o100) !== 0;
      await Deno.chmod(dst, executable ? 0o755 : 0o644);
    }
  }
}

/** Make a tree read-only for everyone (`chmod -R a-w`), or writable again for its owner. */
export async function setWritable(path: string, writable: boolean): Promise<void> {
  let info;
  try {
    info = await Deno.lstat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw e;
  }
  if (info.isSymlink) return;
  const mode = info.mode! & 0o7777;
  if (writable) await Deno.chmod(path, mode | 0o200);
  if (info.isDirectory) {
    for await (const entry of Deno.readDir(path)) {
      await setWritable(`${path}/${entry.name}`, writable);
    }
  }
  if (!writable) await Deno.chmod(path, mode & ~0o222);
}

/**
 * Copy the course — `lib/`, the lessons, `deno.json`, `hub/` — into `STATE/course`,
 * replacing the previous copy in one rename, read-only for everyone.
 *
 * @param root The project checkout.
 * @param lessons The folder of lessons to hand out.
 */
export async function copyCourse(paths: HubPaths, root: string, lessons: string): Promise<void> {
  const next = `${paths.course}.next`;
  const old = `${paths.course}.old`;
  for (const dir of [next, old]) {
    await setWritable(dir, true);
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  await copyTree(`${root}/lib`, `${next}/lib`);
  await copyTree(`${root}/hub`, `${next}/hub`);
  await copyTree(lessons, `${next}/notebooks`);
  await Deno.copyFile(`${root}/deno.json`, `${next}/deno.json`);
  await Deno.chmod(`${next}/deno.json`, 0o644);
  await setWritable(next, false);
  await Deno.chmod(next, 0o755); // the folder itself stays renameable
  const hadCourse = await Deno.stat(paths.course).then(() => true, () => false);
  if (hadCourse) {
    await Deno.chmod(paths.course, 0o755);
    await Deno.rename(paths.course, old);
  }
  await Deno.rename(next, paths.course);
  await Deno.chmod(paths.course, 0o555);
  if (hadCourse) {
    await setWritable(old, true);
    await Deno.remove(old, { recursive: true });
  }
}

/**
 * The Deno that learners run: this one, or a copy in `STATE/bin` when this one's path is
 * closed to other users (e.g. a project-local Deno under a private home).
 */
export async function learnerDeno(paths: HubPaths): Promise<string> {
  const deno = Deno.execPath();
  if (!isRoot() || await closedToOthers(deno) === null) return deno;
  const copy = `${paths.bin}/deno`;
  const same = await Deno.stat(copy).then((s) => s.size === Deno.statSync(deno).size, () => false);
  if (!same) {
    await Deno.mkdir(paths.bin, { recursive: true, mode: 0o755 });
    await Deno.copyFile(deno, `${copy}.tmp`);
    await Deno.chmod(`${copy}.tmp`, 0o755);
    await Deno.rename(`${copy}.tmp`, copy);
  }
  return copy;
}

/** The learners' kernelspec: the project's (`tools/jupyter.ts`), plus the shared cache. */
export function learnerKernelSpec(deno: string, paths: HubPaths): KernelSpec {
  return {
    argv: [deno, "jupyter", "--kernel", "--conn", "{connection_file}"],
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
    interrupt_mode: INTERRUPT_MODE,
    env: { NO_COLOR: "1", DENO_DIR: paths.denoDir, DENO_NO_UPDATE_CHECK: "1" },
  };
}

/**
 * Write the learners' kernelspec to `STATE/jupyter/kernels/tfjs-training/` — a folder only
 * the hub's learners look in (their servers get `JUPYTER_PATH=STATE/jupyter`), so the
 * kernelspec of whoever runs the hub is left alone.
 *
 * @returns The path of the kernel.json written.
 */
export async function writeLearnerKernel(paths: HubPaths, deno: string): Promise<string> {
  const dir = `${paths.jupyterPath}/kernels/${KERNEL_NAME}`;
  await Deno.mkdir(dir, { recursive: true, mode: 0o755 });
  const path = `${dir}/kernel.json`;
  await Deno.writeTextFile(
    `${path}.tmp`,
    JSON.stringify(learnerKernelSpec(deno, paths), null, 2) + "\n",
    { mode: 0o644 },
  );
  await Deno.rename(`${path}.tmp`, path);
  return path;
}

/**
 * npm packages that lib/ locates with Node's `require.resolve` (a `node_modules/` folder
 * above the file asking), which the shared cache alone does not provide:
 * lib/display/plotly_js.ts reads `plotly.js-dist-min/plotly.min.js` to inline it.
 */
export const FILE_PACKAGES = ["plotly.js-dist-min"];

/** Copy {@linkcode FILE_PACKAGES} from the warm cache to `STATE/node_modules/`, read-only. */
async function copyFilePackages(paths: HubPaths): Promise<void> {
  const { imports = {} } = JSON.parse(await Deno.readTextFile(`${paths.course}/deno.json`)) as {
    imports?: Record<string, string>;
  };
  const target = `${paths.state}/node_modules`;
  await setWritable(target, true);
  await Deno.remove(target, { recursive: true }).catch(() => {});
  for (const name of FILE_PACKAGES) {
    const version = /^npm:(?:@[^/]+\/)?[^@]+@(.+)$/.exec(imports[name] ?? "")?.[1];
    if (!version) {
      throw new Error(`deno.json maps "${name}" to ${imports[name]}, not npm:${name}@VERSION.`);
    }
    const cached = `${paths.denoDir}/npm/registry.npmjs.org/${name}/${version}`;
    await copyTree(cached, `${target}/${name}`);
  }
  await setWritable(target, false);
}

/** What warming the cache did. */
export interface WarmReport {
  seconds: number;
  megabytes: number;
}

async function du(path: string): Promise<number> {
  let bytes = 0;
  for await (const entry of Deno.readDir(path)) {
    const p = `${path}/${entry.name}`;
    if (entry.isDirectory) bytes += await du(p);
    else if (entry.isFile) bytes += (await Deno.stat(p)).size;
  }
  return bytes;
}

/**
 * Fill `STATE/deno_dir` with everything the lessons import, as a learner's kernel would
 * load it (npm packages, compiled library, V8 code cache), then make it read-only.
 *
 * The warm-up imports `@lib` and starts the WebAssembly backend from a folder laid out
 * like a learner's, so the cache holds exactly the module URLs the learners' kernels ask
 * for.
 *
 * @throws Error with Deno's output when a download or the warm-up fails.
 */
export async function warmDenoDir(paths: HubPaths, deno: string): Promise<WarmReport> {
  const started = performance.now();
  await Deno.mkdir(paths.denoDir, { recursive: true, mode: 0o755 });
  await setWritable(paths.denoDir, true);
  const { courseFiles } = await import("./lesson_sync.ts");
  const warm = await Deno.makeTempDir({ prefix: "tfjs-hub-warm-" });
  try {
    const config = (await courseFiles(paths.course)).find((f) => f.path === "deno.json")!;
    await Deno.writeTextFile(`${warm}/deno.json`, config.text);
    await Deno.writeTextFile(
      `${warm}/warm.ts`,
      [
        'import * as tf from "@tensorflow/tfjs";',
        'import { selectBackend } from "@lib";',
        'await selectBackend({ prefer: "wasm" });',
        "tf.tidy(() => tf.ones([2, 2]).matMul(tf.ones([2, 2])).dataSync());",
      ].join("\n"),
    );
    const env = { DENO_DIR: paths.denoDir, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" };
    // Packages lib/ reads as files, not modules: downloaded here, copied next to the course.
    await Deno.writeTextFile(
      `${warm}/files.ts`,
      FILE_PACKAGES.map((name) => `import "${name}";`).join("\n"),
    );
    const steps = [
      ["cache", "--quiet", "warm.ts", "files.ts", `${paths.course}/lib/mod.ts`],
      ["run", "--quiet", "-A", "warm.ts"],
      ["cache", "--quiet", "--no-config", `${paths.course}/hub/lesson_sync.ts`],
    ];
    for (const args of steps) {
      const out = await new Deno.Command(deno, { args, cwd: warm, env, stdin: "null" }).output();
      if (!out.success) {
        throw new Error(
          `Warming the learners' Deno cache failed (deno ${args.join(" ")} in ${warm}):\n` +
            new TextDecoder().decode(out.stderr).slice(-3000),
        );
      }
    }
  } finally {
    await Deno.remove(warm, { recursive: true });
  }
  await copyFilePackages(paths);
  await setWritable(paths.denoDir, false);
  return {
    seconds: (performance.now() - started) / 1000,
    megabytes: await du(paths.denoDir) / 2 ** 20,
  };
}
