/**
 * Running JupyterHub: finding it, checking its port, starting it, and making sure that
 * stopping it leaves nothing behind.
 *
 * Every process of a hub — JupyterHub, its proxy, each learner's server, each kernel —
 * carries the environment variable `TFJS_HUB_STATE=<state folder>` (set on JupyterHub,
 * inherited by the proxy, passed to learners' servers by the spawner, inherited by their
 * kernels). {@linkcode hubProcesses} finds them by it, which is how a stop is checked and
 * how stragglers are cleaned up.
 *
 * @module
 */

/** The environment variable that marks every process of one hub. */
export const MARKER_ENV = "TFJS_HUB_STATE";

/** The apt packages a hub needs, and the command that installs them. */
export const HUB_INSTALL_HINT = [
  "Install JupyterHub, then run `deno task hub` again:",
  "  tools/install.sh --hub     (the project's install script, as root or with sudo), or",
  "  sudo apt-get install -y jupyterhub node-configurable-http-proxy python3-nbgitpuller",
  "  (hub/install_packages.sh installs the same list)",
].join("\n");

/** Where a program is on `PATH`, or `null`. */
export async function onPath(program: string, path = Deno.env.get("PATH") ?? ""): Promise<
  string | null
> {
  for (const dir of path.split(":").filter(Boolean)) {
    try {
      const info = await Deno.stat(`${dir}/${program}`);
      if (info.isFile && (info.mode! & 0o111) !== 0) return `${dir}/${program}`;
    } catch {
      // not in this folder
    }
  }
  return null;
}

/**
 * The environment JupyterHub and its proxy need on top of this one. Debian's
 * `configurable-http-proxy` finds its modules in /usr/share/nodejs, which Debian's own
 * Node.js searches but other builds (NodeSource's, nvm's) do not: `NODE_PATH` adds it.
 */
export function proxyEnv(): Record<string, string> {
  const extra = ["/usr/share/nodejs", "/usr/lib/nodejs"].filter((dir) => {
    try {
      return Deno.statSync(dir).isDirectory;
    } catch {
      return false;
    }
  });
  const current = Deno.env.get("NODE_PATH");
  const nodePath = [...(current ? [current] : []), ...extra].join(":");
  return nodePath ? { NODE_PATH: nodePath } : {};
}

/**
 * Why JupyterHub cannot run here (with the fix), or `null` when `jupyterhub`,
 * `jupyterhub-singleuser` and a working `configurable-http-proxy` are on `PATH`.
 *
 * @param path The `PATH` to look in. @default {$PATH}
 */
export async function jupyterhubMissing(path?: string): Promise<string | null> {
  const missing = [];
  for (const program of ["jupyterhub", "configurable-http-proxy", "jupyterhub-singleuser"]) {
    if (await onPath(program, path) === null) missing.push(program);
  }
  if (missing.length > 0) {
    const names = missing.join(", ");
    return `JupyterHub is not installed: ${names} not found on PATH.\n${HUB_INSTALL_HINT}`;
  }
  const proxy = await new Deno.Command("configurable-http-proxy", {
    args: ["--version"],
    env: { ...proxyEnv(), ...(path ? { PATH: path } : {}) },
    stdout: "null",
    stderr: "piped",
  }).output();
  if (proxy.success) return null;
  const stderr = new TextDecoder().decode(proxy.stderr);
  const why = stderr.split("\n").find((l) => /Error/.test(l)) ?? `exit code ${proxy.code}`;
  return `configurable-http-proxy (JupyterHub's proxy) does not start: ${why}.\n` +
    "Reinstall it (sudo apt-get install --reinstall node-configurable-http-proxy) or " +
    "install it for this Node.js: npm install -g configurable-http-proxy";
}

/**
 * Why nothing can listen on `ip:port` (in use, or an address this machine lacks), or `null`.
 */
export function portProblem(ip: string, port: number): string | null {
  try {
    Deno.listen({ hostname: ip, port }).close();
    return null;
  } catch (e) {
    if (e instanceof Deno.errors.AddrInUse) {
      return `Port ${port} on ${ip} is already in use (another hub, Jupyter, or any other ` +
        `server). Stop that program, or start the hub on another port: deno task hub --port=${
          port + 1
        }`;
    }
    if (e instanceof Deno.errors.AddrNotAvailable) {
      return `Cannot listen on ${ip}: this machine has no such address. Use --ip=127.0.0.1 ` +
        "(this machine only) or one of this machine's own addresses.";
    }
    if (e instanceof Deno.errors.PermissionDenied) {
      return `Port ${port} needs root (ports below 1024 are privileged): use --port=8000.`;
    }
    throw e;
  }
}

/** A free port on loopback, for the hub's internal API and the proxy's API. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** One process of a hub. */
export interface HubProcess {
  pid: number;
  /** Its command line, for messages. */
  command: string;
  /** Threads it runs (a Deno kernel's workers included). */
  threads: number;
  /** The account it runs as. */
  uid: number;
  /** Resident memory, MiB. */
  rssMiB: number;
}

/**
 * Every live process whose environment carries `TFJS_HUB_STATE=<state>`. Reads
 * `/proc/PID/environ`, which only root can read for other users' processes: run as the
 * hub's user. Deno lets only `--allow-all` read /proc (`deno task hub status --json`
 * gives the same list to a process with fewer permissions).
 */
export async function hubProcesses(state: string): Promise<HubProcess[]> {
  const needle = new TextEncoder().encode(`${MARKER_ENV}=${state}\0`);
  const found: HubProcess[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const environ = await Deno.readFile(`/proc/${entry.name}/environ`);
      if (!contains(environ, needle)) continue;
      const cmdline = await Deno.readTextFile(`/proc/${entry.name}/cmdline`);
      const status = await Deno.readTextFile(`/proc/${entry.name}/status`);
      if (/^State:\s+Z/m.test(status)) continue; // a zombie holds no resources but its pid
      found.push({
        pid: Number(entry.name),
        command: cmdline.split("\0").filter(Boolean).join(" ").slice(0, 200),
        threads: Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 1),
        uid: Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? -1),
        rssMiB: Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) / 1024,
      });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  // environ starts with a variable; every other one follows a NUL
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (i > 0 && haystack[i - 1] !== 0) continue;
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return true;
  }
  return false;
}

function alive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT"); // harmless; throws when the process is gone
    return true;
  } catch {
    return false;
  }
}

/**
 * Stop whatever of a hub is still running: SIGTERM, then SIGKILL after `graceMs`.
 *
 * @returns The processes that had to be stopped.
 */
export async function stopHubProcesses(state: string, graceMs = 5000): Promise<HubProcess[]> {
  const left = await hubProcesses(state);
  for (const p of left) {
    try {
      Deno.kill(p.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + graceMs;
  while (left.some((p) => alive(p.pid)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const p of left) {
    if (!alive(p.pid)) continue;
    try {
      Deno.kill(p.pid, "SIGKILL");
    } catch {
      // gone at the last moment
    }
  }
  return left;
}

/** The pid in a pid file, if that process is alive. */
export async function livePid(pidFile: string): Promise<number | null> {
  try {
    const pid = Number((await Deno.readTextFile(pidFile)).trim());
    return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Wait until the hub answers on `url` (its public REST API root needs no login).
 *
 * @throws Error when `child` exits first or `timeoutMs` passes.
 */
export async function waitForHub(
  url: string,
  exited: Promise<Deno.CommandStatus>,
  timeoutMs = 60_000,
): Promise<void> {
  let done = false;
  exited.then(() => done = true);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (done) throw new Error("JupyterHub exited before it was ready (its log is above).");
    try {
      const res = await fetch(`${url}hub/api/`, { signal: AbortSignal.timeout(2000) });
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`JupyterHub did not answer on ${url} within ${timeoutMs / 1000} s.`);
}
