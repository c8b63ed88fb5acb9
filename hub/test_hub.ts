/**
 * A throw-away hub on loopback, for tests/hub/ and bench/hub_load.ts: `deno task hub`
 * itself (tools/hub.ts) in a temporary state folder, on a free port, with a demo
 * password and an account prefix of its own, so that its learners' accounts can be
 * found and removed afterwards.
 *
 * @module
 */
import { ROOT } from "../tools/notebooks.ts";
import { freePort, type HubProcess } from "./hub_process.ts";

/** A running throw-away hub. */
export interface TestHub {
  /** Its URL, ending in `/`. */
  url: string;
  port: number;
  state: string;
  /** The lessons it hands out (a copy of notebooks/ unless given). */
  lessons: string;
  password: string;
  /** Demo accounts are `${prefix}NAME`. */
  prefix: string;
  /** Everything tools/hub.ts printed so far. */
  output(): string;
  /** Stop it (SIGTERM, as Ctrl-C would) and wait; resolves to its exit code. */
  stop(): Promise<number>;
}

/** Options of {@linkcode startTestHub}. */
export interface TestHubOptions {
  /** Reuse this state folder (a restart). @default {undefined} (a new temporary folder) */
  state?: string;
  /** Lessons folder. @default {undefined} (a temporary copy of notebooks/) */
  lessons?: string;
  /** Account prefix. @default {undefined} (`t` + 4 random hex digits + `-`) */
  prefix?: string;
  /** More arguments for tools/hub.ts, e.g. `["--idle-timeout=1"]`. @default {[]} */
  args?: string[];
  /** Port. @default {undefined} (a free one) */
  port?: number;
}

/** A temporary copy of the project's lessons, which a test may change as a teacher would. */
export async function copyLessons(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "hub-lessons-" });
  for await (const e of Deno.readDir(`${ROOT}/notebooks`)) {
    if (e.isFile) await Deno.copyFile(`${ROOT}/notebooks/${e.name}`, `${dir}/${e.name}`);
  }
  return dir;
}

/**
 * Start `deno task hub` and wait until it says it is ready.
 *
 * @throws Error with the hub's output when it exits or is not ready in time.
 */
export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const state = options.state ?? await Deno.makeTempDir({ prefix: "hub-state-" });
  const lessons = options.lessons ?? await copyLessons();
  const prefix = options.prefix ??
    `t${crypto.getRandomValues(new Uint16Array(1))[0].toString(16).padStart(4, "0")}-`;
  const port = options.port ?? freePort();
  const password = "demo-password-for-tests";
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${ROOT}/tools/hub.ts`,
      `--state=${state}`,
      `--lessons=${lessons}`,
      `--port=${port}`,
      `--password=${password}`,
      `--user-prefix=${prefix}`,
      ...(options.args ?? []),
    ],
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  };
  const collected = Promise.all([collect(child.stdout), collect(child.stderr)]);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const deadline = Date.now() + 180_000;
  while (!text.includes("tfjs-training hub: ready at")) {
    if (exited || Date.now() > deadline) {
      if (!exited) child.kill("SIGTERM");
      await status;
      await collected;
      throw new Error(`tools/hub.ts did not become ready:\n${text.slice(-6000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    state,
    lessons,
    password,
    prefix,
    output: () => text,
    async stop() {
      if (!exited) child.kill("SIGTERM");
      const { code } = await status;
      await collected;
      return code;
    },
  };
}

/** The system accounts whose names start with `prefix` (from /etc/passwd). */
export async function accountsWithPrefix(prefix: string): Promise<{ name: string; uid: number }[]> {
  const passwd = await Deno.readTextFile("/etc/passwd");
  return passwd.split("\n").filter((l) => l.startsWith(prefix)).map((l) => {
    const [name, , uid] = l.split(":");
    return { name, uid: Number(uid) };
  });
}

/** Remove the demo accounts a test hub made (their homes are in its state folder). */
export async function removeAccounts(prefix: string): Promise<void> {
  for (const { name } of await accountsWithPrefix(prefix)) {
    await new Deno.Command("userdel", { args: [name], stdout: "null", stderr: "null" }).output();
  }
}

/** Pids of live processes run by any of these accounts (`ps`, since Deno reads /proc only with -A). */
export async function processesOf(uids: number[]): Promise<number[]> {
  if (uids.length === 0) return [];
  const out = await new Deno.Command("ps", { args: ["-o", "pid=,stat=", "-u", uids.join(",")] })
    .output();
  return new TextDecoder().decode(out.stdout).split("\n").map((l) => l.trim().split(/\s+/))
    .filter(([pid, stat]) => pid && !stat?.startsWith("Z")).map(([pid]) => Number(pid));
}

/** The hub's processes, as `deno task hub status --json` lists them. */
export async function hubStatus(state: string): Promise<HubProcess[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}/tools/hub.ts`, "status", `--state=${state}`, "--json"],
    env: { NO_COLOR: "1" },
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout));
}
