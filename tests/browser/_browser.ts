/**
 * Shared setup of the browser tests: Debian's Chromium, headless, driven by
 * playwright-core. Tests are skipped with a printed reason when Chromium (or Jupyter)
 * is missing, and fail with that reason when the environment variable CI is set.
 *
 * @module
 */
import type { BrowserContext } from "playwright-core";
import { ROOT } from "../../tools/notebooks.ts";
import { findJupyterPython, KERNEL_NAME } from "../../tools/jupyter.ts";

/** Where Debian installs Chromium. */
export const CHROMIUM = Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium";

/** Screenshots and exports the browser tests keep (git-ignored). */
export const ARTIFACTS = `${ROOT}/tests/artifacts`;

/** The flags the issue asks for; `--user-data-dir` is a fresh directory per launch. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const inCI = Boolean(Deno.env.get("CI"));

async function chromiumProblem(): Promise<string | null> {
  try {
    const info = await Deno.stat(CHROMIUM);
    return info.isFile ? null : `${CHROMIUM} is not a file`;
  } catch {
    return `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`;
  }
}

/** Reason the browser tests cannot run here, or `null`. */
export const chromiumMissing: string | null = await chromiumProblem();

const jupyter = await findJupyterPython();
/** Reason the notebook tests cannot run here, or `null`. */
export const jupyterMissing: string | null = jupyter.ok ? null : jupyter.reason;

/** `ignore` for tests that need Chromium: skip when missing, unless CI is set. */
export const skipWithoutChromium: boolean = chromiumMissing !== null && !inCI;

/** `ignore` for tests that need Chromium and Jupyter. */
export const skipWithoutNotebook: boolean = (chromiumMissing !== null || jupyterMissing !== null) &&
  !inCI;

for (const reason of [chromiumMissing, jupyterMissing]) {
  if (reason === null) continue;
  // deno-lint-ignore no-console
  console.log(
    inCI ? `CI is set, so browser tests run and will fail: ${reason}` : `Skipping: ${reason}`,
  );
}

/** A running Chromium with a fresh profile; `close()` removes the profile. */
export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launch headless Chromium with a fresh `--user-data-dir`.
 *
 * @param options `offline`: abort every request that is not `file:` or loopback;
 *   `javaScript`: whether pages run scripts.
 */
export async function launchChromium(
  options: { offline?: boolean; javaScript?: boolean } = {},
): Promise<Chromium> {
  const { offline = false, javaScript = true } = options;
  if (chromiumMissing) throw new Error(chromiumMissing);
  // playwright-core probes /proc/sys/fs/binfmt_misc/WSLInterop at import time (is-wsl),
  // which Deno only allows with --allow-all; the probe is skipped when this variable is
  // set (it then runs lazily, never on Linux launches). So import it here, after setting it.
  Deno.env.set("__IS_WSL_TEST__", "1");
  const { chromium } = await import("playwright-core");
  const profile = await Deno.makeTempDir({ prefix: "chromium-profile-" });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    javaScriptEnabled: javaScript,
    viewport: { width: 1200, height: 900 },
  });
  if (offline) {
    await context.route("**/*", (route) => {
      const url = route.request().url();
      const local = url.startsWith("file:") || url.startsWith("data:") || url.startsWith("blob:") ||
        /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url);
      return local ? route.continue() : route.abort();
    });
  }
  return {
    context,
    async close() {
      await context.close();
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}

/** Make the artifacts folder and return a path in it. */
export async function artifact(name: string): Promise<string> {
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  return `${ARTIFACTS}/${name}`;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** A Jupyter Notebook server on loopback with the project's kernel as the default. */
export interface NotebookServer {
  /** `http://127.0.0.1:PORT`. */
  base: string;
  /** The URL of a notebook in the served folder, with the token. */
  url(notebook: string): string;
  /** The end of the server's log (it says why it failed to start). */
  log(): string;
  close(): Promise<void>;
}

/**
 * Start classic Jupyter Notebook serving `dir` (fresh config and runtime folders), and wait
 * until it answers.
 *
 * @param dir The folder to serve; put it under the repository so the kernel finds deno.json.
 */
export async function startNotebook(dir: string, seconds = 60): Promise<NotebookServer> {
  const python = jupyter.ok ? jupyter.python : "python3";
  const config = await Deno.makeTempDir({ prefix: "jupyter-config-" });
  const port = freePort();
  const token = crypto.randomUUID();
  const server = new Deno.Command(python, {
    args: [
      "-m",
      "notebook",
      "--no-browser",
      "--ip=127.0.0.1",
      `--port=${port}`,
      `--NotebookApp.token=${token}`,
      `--NotebookApp.notebook_dir=${dir}`,
      `--MappingKernelManager.default_kernel_name=${KERNEL_NAME}`,
      ...(Deno.uid() === 0 ? ["--allow-root"] : []),
    ],
    env: { JUPYTER_CONFIG_DIR: config, JUPYTER_RUNTIME_DIR: config, NO_COLOR: "1" },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  // Keep the server's log without blocking its pipe.
  let log = "";
  const reading = server.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (chunk) => void (log = (log + chunk).slice(-4000)) }),
  ).catch(() => {});
  const base = `http://127.0.0.1:${port}`;
  const close = async () => {
    try {
      server.kill("SIGTERM");
    } catch { /* already exited */ }
    await server.status;
    await reading;
    await Deno.remove(config, { recursive: true }).catch(() => {});
  };
  const status = `${base}/api/status?token=${token}`;
  const deadline = Date.now() + seconds * 1000;
  let last = "";
  while (true) {
    try {
      const res = await fetch(status);
      await res.body?.cancel();
      if (res.ok) break;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = String(e);
    }
    const exited = await Promise.race([
      server.status.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), 250)),
    ]);
    if (exited || Date.now() > deadline) {
      await close();
      throw new Error(
        exited
          ? `Jupyter Notebook exited before serving ${status}:\n${log}`
          : `Jupyter Notebook did not answer ${status} within ${seconds}s (${last})`,
      );
    }
  }
  return {
    base,
    url: (notebook) => `${base}/notebooks/${notebook}?token=${token}`,
    log: () => log,
    close,
  };
}
