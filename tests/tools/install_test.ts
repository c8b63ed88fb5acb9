/**
 * tools/install.sh and ./denow as a new user meets them: a copy of the project, a fresh HOME
 * and a PATH without deno. The npm download of Deno is cached in tests/artifacts/npm-cache (so
 * only the first run fetches it) and the sandbox shares this machine's DENO_DIR, where the npm
 * packages of deno.json already are: what is tested is the bootstrap, not the registry.
 *
 * The sandbox test needs npm and Jupyter (without Jupyter, install.sh would install it with
 * apt-get); it is skipped with the reason when they are missing, and fails when CI is set.
 *
 * @module
 */
import assert from "node:assert/strict";
import { ROOT } from "../../tools/notebooks.ts";
import { jupyterMissing } from "../_gate.ts";

const PINNED = (await Deno.readTextFile(`${ROOT}/.dvmrc`)).trim().replace(/^v/, "");
const OPTIONS = ["--test-extras", "--hub", "--no-kernel", "--check", "--deno-path", "--help"];
const inCI = Boolean(Deno.env.get("CI"));
const decoder = new TextDecoder();

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(cmd: string, args: string[], opts: Deno.CommandOptions = {}): Promise<Run> {
  const out = await new Deno.Command(cmd, { cwd: ROOT, ...opts, args }).output();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

function onPath(name: string): boolean {
  return (Deno.env.get("PATH") ?? "").split(":").some((dir) => {
    try {
      return Deno.statSync(`${dir}/${name}`).isFile;
    } catch {
      return false;
    }
  });
}

/**
 * This PATH with `names` taken out: each folder that holds one of them is replaced by a
 * folder of links to everything else in it.
 */
async function pathWithout(names: string[], scratch: string): Promise<string> {
  const dirs: string[] = [];
  for (const [i, dir] of (Deno.env.get("PATH") ?? "").split(":").entries()) {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(dir)];
    } catch {
      continue; // a PATH folder that does not exist
    }
    if (!entries.some((e) => names.includes(e.name))) {
      dirs.push(dir);
      continue;
    }
    const farm = `${scratch}/path-${i}`;
    await Deno.mkdir(farm, { recursive: true });
    for (const e of entries) {
      if (!names.includes(e.name)) await Deno.symlink(`${dir}/${e.name}`, `${farm}/${e.name}`);
    }
    dirs.push(farm);
  }
  return dirs.join(":");
}

/** The project's files (tracked, and new ones git does not ignore) copied into `dir`. */
async function copyProject(dir: string): Promise<void> {
  const list = await run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]);
  assert.equal(list.code, 0, list.stderr);
  for (const file of list.stdout.split("\0").filter(Boolean)) {
    try {
      if (!Deno.statSync(`${ROOT}/${file}`).isFile) continue;
    } catch {
      continue; // deleted in the working tree, not yet in the index
    }
    await Deno.mkdir(`${dir}/${file}`.replace(/\/[^/]*$/, ""), { recursive: true });
    await Deno.copyFile(`${ROOT}/${file}`, `${dir}/${file}`);
  }
}

async function denoDir(): Promise<string> {
  const info = await run(Deno.execPath(), ["info", "--json"]);
  return JSON.parse(info.stdout).denoDir;
}

/** The environment of a new user: fresh HOME, the given PATH, no Jupyter data folders. */
async function freshUserEnv(home: string, path: string): Promise<Record<string, string>> {
  const env = Deno.env.toObject();
  for (const key of ["JUPYTER_DATA_DIR", "JUPYTER_PATH", "XDG_DATA_HOME", "XDG_CACHE_HOME"]) {
    delete env[key];
  }
  await Deno.mkdir(`${ROOT}/tests/artifacts/npm-cache`, { recursive: true });
  return {
    ...env,
    HOME: home,
    PATH: path,
    NO_COLOR: "1",
    DENO_DIR: await denoDir(),
    npm_config_cache: `${ROOT}/tests/artifacts/npm-cache`,
  };
}

Deno.test("install.sh --help lists every option", async () => {
  const { code, stdout } = await run("bash", ["tools/install.sh", "--help"]);
  assert.equal(code, 0);
  for (const option of OPTIONS) assert.match(stdout, new RegExp(`^\\s+(-h, )?${option}\\s`, "m"));
});

Deno.test("install.sh with an unknown option names it, lists the options, exits 2", async () => {
  const { code, stdout, stderr } = await run("bash", ["tools/install.sh", "--bogus"]);
  assert.equal(code, 2);
  assert.equal(stdout, "");
  assert.match(stderr, /unknown option '--bogus'/);
  for (const option of OPTIONS) assert.ok(stderr.includes(option), `${option} in: ${stderr}`);
});

Deno.test("install.sh stops with the commands to run when Jupyter cannot be installed", async () => {
  // A JUPYTER_PYTHON that does not exist has no pip, and apt-get installs only into
  // /usr/bin/python3: no way is left, so the script must install nothing and say what to run.
  const { code, stderr } = await run("bash", ["tools/install.sh", "--no-kernel"], {
    env: { JUPYTER_PYTHON: "/nonexistent/python3", NO_COLOR: "1" },
  });
  assert.equal(code, 1, stderr);
  assert.match(stderr, /JUPYTER_PYTHON=\/nonexistent\/python3 cannot import nbclient/);
  const debian = /^(ID|ID_LIKE)=.*(debian|ubuntu)/m.test(
    await Deno.readTextFile("/etc/os-release").catch(() => ""),
  );
  assert.match(
    stderr,
    debian
      ? /\n {2}sudo apt-get install -y jupyter-notebook jupyter-nbconvert python3-nbclient\n/
      : /\n {2}~\/\.venvs\/jupyter\/bin\/pip install notebook nbclient nbconvert\n/,
  );
  assert.doesNotMatch(stderr, /installing/);
});

Deno.test("install.sh without Deno or npm prints how to install them, exits 1", async () => {
  const scratch = await Deno.makeTempDir({ prefix: "install-no-npm-" });
  try {
    await Deno.mkdir(`${scratch}/project/tools`, { recursive: true });
    for (const f of ["tools/install.sh", ".dvmrc", "deno.json", "deno.lock"]) {
      await Deno.copyFile(`${ROOT}/${f}`, `${scratch}/project/${f}`);
    }
    const { code, stderr } = await run("bash", ["tools/install.sh", "--check"], {
      cwd: `${scratch}/project`,
      env: { PATH: await pathWithout(["deno", "npm"], scratch), HOME: scratch },
    });
    assert.equal(code, 1, stderr);
    assert.match(stderr, new RegExp(`Deno ${PINNED} is missing \\(no deno on PATH\\)`));
    assert.match(stderr, /\n {2}sudo apt-get install -y npm\n/);
    assert.ok(stderr.includes(`curl -fsSL https://deno.land/install.sh | sh -s v${PINNED}`));
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
});

const sandboxMissing = !onPath("npm") ? "npm is not on PATH" : jupyterMissing;
if (sandboxMissing !== null) {
  // deno-lint-ignore no-console
  console.log(
    inCI
      ? `CI is set, so the install test runs and will fail: ${sandboxMissing}`
      : `Skipping the fresh-user install test: ${sandboxMissing}`,
  );
}

Deno.test({
  name:
    "./denow on a fresh HOME without deno installs the pinned Deno, then setup installs the rest; a second run installs nothing, in one line",
  ignore: sandboxMissing !== null && !inCI,
  async fn() {
    if (sandboxMissing !== null) throw new Error(sandboxMissing);
    const scratch = await Deno.makeTempDir({ prefix: "install-fresh-" });
    try {
      const project = `${scratch}/project`;
      const home = `${scratch}/home`;
      await Deno.mkdir(home);
      await copyProject(project);
      const env = await freshUserEnv(home, await pathWithout(["deno"], scratch));
      const inSandbox = (cmd: string, args: string[]) => run(cmd, args, { cwd: project, env });

      const check = await inSandbox("tools/install.sh", ["--check"]);
      assert.equal(check.code, 1, check.stderr);
      assert.match(
        check.stderr,
        new RegExp(
          `^install: --check: would install Deno ${PINNED} \\(npm, into \\.tools/deno-${PINNED}/\\), npm packages \\(deno install\\), kernelspec tfjs-training; already there: Jupyter \\(.*\\)\\n$`,
        ),
      );
      assert.equal(
        await Deno.stat(`${project}/.tools`).catch(() => null),
        null,
        "--check installs",
      );

      const first = await inSandbox("./denow", ["--version"]);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, new RegExp(`^deno ${PINNED} `));
      assert.match(first.stderr, new RegExp(`installing Deno ${PINNED} from npm`));

      const setup = await inSandbox("./denow", ["task", "setup"]);
      assert.equal(setup.code, 0, setup.stderr);
      assert.match(setup.stderr, /^install: installed npm packages \(deno install\), kernelspec/m);
      const spec = JSON.parse(
        await Deno.readTextFile(`${home}/.local/share/jupyter/kernels/tfjs-training/kernel.json`),
      );
      // argv: [python, kernel_launcher.py, "--deno", DENO, "{connection_file}"]
      assert.equal(
        await Deno.realPath(spec.argv[spec.argv.indexOf("--deno") + 1]),
        await Deno.realPath(`${project}/.tools/deno-${PINNED}/bin/deno`),
        "the kernelspec runs the project's Deno",
      );

      const again = await inSandbox("tools/install.sh", []);
      assert.equal(again.code, 0, again.stderr);
      assert.equal(again.stdout, "");
      assert.match(
        again.stderr,
        new RegExp(
          `^install: nothing to install: Deno ${PINNED} \\(\\.tools/deno-${PINNED}/bin/deno\\), Jupyter \\(.*\\), npm packages, kernelspec tfjs-training are there\\n$`,
        ),
      );
      const quiet = await inSandbox("./denow", ["--version"]);
      assert.equal(quiet.stderr, "", "./denow says nothing when Deno is there");
    } finally {
      await Deno.remove(scratch, { recursive: true });
    }
  },
});
