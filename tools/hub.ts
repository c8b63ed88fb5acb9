// deno-lint-ignore-file no-console -- a command-line script: the console is its interface
/**
 * `deno task hub`: a JupyterHub for a class on these lessons (see README, "Teaching a
 * class on JupyterHub", and `deno task hub --help`).
 *
 * `start` prepares the state folder (hub/prepare.ts), writes the settings that
 * hub/jupyterhub_config.py reads, runs JupyterHub in the foreground and, when it stops,
 * checks that no process of the hub is left (hub/hub_process.ts). `update` hands the
 * current lessons to every learner (hub/lesson_sync.ts), `prepare` only builds the state
 * folder (the Dockerfile uses it), `stop` stops a hub started elsewhere.
 *
 * @module
 */
import { ROOT } from "./notebooks.ts";
import {
  type HubOptions,
  HubUsageError,
  learnerNamePattern,
  parseHubArgs,
  USAGE,
} from "../hub/options.ts";
import {
  closedToOthers,
  copyCourse,
  type HubPaths,
  hubPaths,
  isRoot,
  learnerDeno,
  warmDenoDir,
  writeLearnerKernel,
} from "../hub/prepare.ts";
import {
  freePort,
  hubProcesses,
  jupyterhubMissing,
  livePid,
  MARKER_ENV,
  portProblem,
  proxyEnv,
  stopHubProcesses,
  waitForHub,
} from "../hub/hub_process.ts";
import { LESSONS_FOLDER } from "../hub/learner_config.ts";

/** Where the wrapper (this script) keeps its own pid while a hub runs. */
const WRAPPER_PID = "tfjs-hub.pid";

function fail(message: string): never {
  console.error(message);
  Deno.exit(1);
}

function defaultState(): string {
  return isRoot() ? "/var/lib/tfjs-training-hub" : `${ROOT}/build/hub`;
}

/** Copy the course, write the kernelspec, warm the cache; say what was done. */
async function prepare(paths: HubPaths, options: HubOptions): Promise<string> {
  if (isRoot()) {
    // Learners' accounts must be able to reach the state folder (its parent for now).
    const parent = paths.state.replace(/\/[^/]+\/?$/, "") || "/";
    await Deno.mkdir(parent, { recursive: true });
    const closed = await closedToOthers(parent);
    if (closed) {
      fail(
        `Learners' accounts cannot enter ${closed} (no x permission for others), so they ` +
          `could not reach the course in ${paths.state}. Put the state folder elsewhere, ` +
          "e.g. --state=/var/lib/tfjs-training-hub, or chmod o+x " + closed + ".",
      );
    }
  }
  try {
    await Deno.stat(`${options.lessons}`);
  } catch {
    fail(`--lessons=${options.lessons}: no such folder. Pass the folder of .ipynb lessons.`);
  }
  await Deno.mkdir(paths.state, { recursive: true, mode: 0o755 });
  await Deno.chmod(paths.state, 0o755);
  for (const dir of [paths.hub, paths.learners]) await Deno.mkdir(dir, { recursive: true });
  await Deno.chmod(paths.hub, 0o700);
  await Deno.mkdir(paths.homes, { recursive: true, mode: 0o711 });
  await copyCourse(paths, ROOT, options.lessons);
  const deno = await learnerDeno(paths);
  await writeLearnerKernel(paths, deno);
  console.log(`tfjs-training hub: warming the learners' Deno cache in ${paths.denoDir} ...`);
  const warm = await warmDenoDir(paths, deno);
  console.log(
    `tfjs-training hub: cache ready (${warm.megabytes.toFixed(0)} MB, ${
      warm.seconds.toFixed(1)
    } s), read-only for learners.`,
  );
  return deno;
}

async function demoPassword(paths: HubPaths, options: HubOptions): Promise<string> {
  const given = options.password ?? Deno.env.get("TFJS_HUB_PASSWORD");
  if (given) return given;
  const file = `${paths.hub}/demo-password`;
  try {
    return (await Deno.readTextFile(file)).trim();
  } catch {
    const bytes = crypto.getRandomValues(new Uint8Array(9));
    const password = btoa(String.fromCharCode(...bytes)).replace(/[+/]/g, "x");
    await Deno.writeTextFile(file, password + "\n", { mode: 0o600 });
    return password;
  }
}

/** Pipe JupyterHub's log to this terminal and to STATE/hub/jupyterhub.log. */
async function teeLog(stream: ReadableStream<Uint8Array>, logPath: string): Promise<void> {
  const log = await Deno.open(logPath, { create: true, append: true });
  try {
    for await (const chunk of stream) {
      await log.write(chunk);
      await Deno.stderr.write(chunk);
    }
  } finally {
    log.close();
  }
}

async function start(options: HubOptions, paths: HubPaths): Promise<void> {
  const running = await livePid(`${paths.hub}/${WRAPPER_PID}`) ??
    await livePid(`${paths.hub}/jupyterhub.pid`);
  if (running !== null) {
    fail(
      `A hub for ${paths.state} is already running (pid ${running}). Stop it first: ` +
        `deno task hub stop --state=${paths.state}`,
    );
  }
  const port = portProblem(options.ip, options.port);
  if (port) fail(port);
  const missing = await jupyterhubMissing();
  if (missing) fail(missing);
  const leftovers = await stopHubProcesses(paths.state);
  if (leftovers.length > 0) {
    console.log(`tfjs-training hub: stopped ${leftovers.length} processes of an earlier hub.`);
  }

  const deno = await prepare(paths, options);
  const password = options.auth === "demo" ? await demoPassword(paths, options) : "";
  const bindHost = options.ip.includes(":") ? `[${options.ip}]` : options.ip;
  const url = `http://${bindHost}:${options.port}/`;
  const denoBin = deno.replace(/\/[^/]+$/, "");
  const settings = {
    state: paths.state,
    course: paths.course,
    deno_dir: paths.denoDir,
    jupyter_path: paths.jupyterPath,
    homes: paths.homes,
    learners: paths.learners,
    hub_dir: paths.hub,
    lessons_folder: LESSONS_FOLDER,
    bind_url: url,
    hub_port: freePort(),
    proxy_api_port: freePort(),
    auth: options.auth,
    demo_password: password,
    admins: options.admins,
    idle_timeout: options.idleTimeout,
    user_prefix: options.userPrefix,
    username_pattern: learnerNamePattern(options.auth === "demo" ? options.userPrefix : ""),
    max_name_length: 32 - (options.auth === "demo" ? options.userPrefix.length : 0),
    path: [denoBin, "/usr/local/bin", "/usr/bin", "/bin"].join(":"),
    deno,
    marker_env: MARKER_ENV,
    poll_interval: 10,
    extra_config: options.config ? await Deno.realPath(options.config) : null,
  };
  const settingsPath = `${paths.hub}/settings.json`;
  await Deno.writeTextFile(settingsPath, JSON.stringify(settings, null, 2) + "\n", {
    mode: 0o600,
  });
  await Deno.writeTextFile(`${paths.hub}/${WRAPPER_PID}`, `${Deno.pid}\n`);

  // Detached: Ctrl-C reaches this script only, which stops JupyterHub once, cleanly.
  const child = new Deno.Command("jupyterhub", {
    args: ["-f", `${paths.course}/hub/jupyterhub_config.py`],
    cwd: paths.hub,
    env: {
      ...proxyEnv(),
      [MARKER_ENV]: paths.state,
      TFJS_HUB_SETTINGS: settingsPath,
      PYTHONUNBUFFERED: "1",
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    detached: true,
  }).spawn();
  const logPath = `${paths.hub}/jupyterhub.log`;
  const logs = Promise.all([teeLog(child.stdout, logPath), teeLog(child.stderr, logPath)]);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log("\ntfjs-training hub: stopping (learners' servers and kernels too) ...");
    try {
      child.kill("SIGTERM");
    } catch {
      // already exited
    }
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);

  try {
    await waitForHub(url, child.status);
  } catch (e) {
    stop();
    await child.status;
    await logs;
    await stopHubProcesses(paths.state);
    fail(`${(e as Error).message}\nLog: ${logPath}`);
  }
  const lines = [
    "",
    `tfjs-training hub: ready at ${url}`,
    options.auth === "demo"
      ? `  DEMO MODE: any learner name, shared password "${password}". Not for a real class: ` +
        "use --auth=pam or an authenticator in --config."
      : "  Learners log in with their system account (PAM).",
    isRoot()
      ? "  Each learner's server runs under their own account; lessons in ~/" + LESSONS_FOLDER
      : "  Not root: every learner's server runs as you. Their folders are separate, their code " +
        "is not kept apart. Run as root for a real class.",
    options.ip === "127.0.0.1" || options.ip === "::1" || options.ip === "localhost"
      ? "  Listening on this machine only (--ip to change)."
      : `  Listening on ${options.ip}: reachable from the network, over plain HTTP. Put HTTPS ` +
        "in front of it (c.JupyterHub.ssl_cert/ssl_key in --config, or a reverse proxy).",
    options.idleTimeout > 0
      ? `  Idle kernels, then idle servers, stop after ${options.idleTimeout} s.`
      : "  Idle culling is off.",
    `  Update everyone's lessons: deno task hub update --state=${paths.state}`,
    "  Stop: Ctrl-C (or deno task hub stop).",
    "",
  ];
  console.log(lines.join("\n"));

  const status = await child.status;
  await logs;
  const left = await stopHubProcesses(paths.state);
  await Deno.remove(`${paths.hub}/${WRAPPER_PID}`).catch(() => {});
  if (left.length > 0) {
    console.log(
      `tfjs-training hub: ${left.length} processes outlived JupyterHub and were stopped:\n` +
        left.map((p) => `  ${p.pid} ${p.command}`).join("\n"),
    );
  }
  console.log(`tfjs-training hub: stopped (JupyterHub exit code ${status.code}).`);
  Deno.exit(stopping ? 0 : status.code || 1);
}

async function stopCommand(paths: HubPaths): Promise<void> {
  const wrapper = await livePid(`${paths.hub}/${WRAPPER_PID}`);
  const target = wrapper ?? await livePid(`${paths.hub}/jupyterhub.pid`);
  if (target !== null) {
    // JupyterHub stops the learners' servers first; give it the time it takes.
    Deno.kill(target, "SIGTERM");
    const deadline = Date.now() + 60_000;
    const running = async () =>
      (await hubProcesses(paths.state)).length > 0 ||
      (wrapper !== null && await livePid(`${paths.hub}/${WRAPPER_PID}`) !== null);
    while (await running() && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const left = await stopHubProcesses(paths.state);
  if (target === null && left.length === 0) {
    console.log(`tfjs-training hub: no hub is running for ${paths.state}.`);
  } else {
    console.log(`tfjs-training hub: stopped${left.length ? ` (${left.length} forced)` : ""}.`);
  }
}

async function statusCommand(paths: HubPaths, json: boolean): Promise<void> {
  const processes = await hubProcesses(paths.state);
  if (json) {
    console.log(JSON.stringify(processes));
    return;
  }
  if (processes.length === 0) {
    console.log(`tfjs-training hub: nothing of the hub on ${paths.state} is running.`);
    return;
  }
  const threads = processes.reduce((n, p) => n + p.threads, 0);
  console.log(`${processes.length} processes, ${threads} threads:`);
  for (const p of processes) console.log(`  ${p.pid}  ${p.threads} threads  ${p.command}`);
}

/** One learner, as the spawner recorded them (STATE/learners/NAME.json). */
interface Learner {
  name: string;
  account: string;
  home: string;
}

async function updateCommand(paths: HubPaths, options: HubOptions): Promise<void> {
  const deno = await prepare(paths, options);
  const learners: Learner[] = [];
  for await (const entry of Deno.readDir(paths.learners)) {
    if (entry.name.endsWith(".json")) {
      learners.push(JSON.parse(await Deno.readTextFile(`${paths.learners}/${entry.name}`)));
    }
  }
  learners.sort((a, b) => a.name.localeCompare(b.name));
  let failed = 0;
  for (const learner of learners) {
    const sync = [
      deno,
      "run",
      "--quiet",
      "--no-config",
      "--allow-read",
      `--allow-write=${learner.home}`,
      "--allow-env=HOME",
      `${paths.course}/hub/lesson_sync.ts`,
      paths.course,
      `${learner.home}/${LESSONS_FOLDER}`,
    ];
    // As the learner: the sync can then only touch what the learner owns.
    const [cmd, ...args] = isRoot() ? ["runuser", "-u", learner.account, "--", ...sync] : sync;
    const out = await new Deno.Command(cmd, {
      args,
      cwd: "/",
      env: {
        HOME: learner.home,
        DENO_DIR: paths.denoDir,
        NO_COLOR: "1",
        PATH: "/usr/sbin:/usr/bin:/sbin:/bin",
      },
      clearEnv: true,
    }).output();
    const text = new TextDecoder().decode(out.stdout).trim().split("\n").slice(1);
    if (!out.success) {
      failed++;
      console.error(`${learner.name}: failed\n${new TextDecoder().decode(out.stderr)}`);
    } else console.log(`${learner.name}: ${text.join("; ")}`);
  }
  console.log(
    `tfjs-training hub: ${learners.length} learners updated from ${options.lessons}` +
      (failed ? `, ${failed} failed` : "") +
      ". Edited lessons were kept; the new version of each is beside it as NAME.updated.ipynb.",
  );
  if (failed) Deno.exit(1);
}

if (import.meta.main) {
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log(USAGE);
    Deno.exit(0);
  }
  let options: HubOptions;
  try {
    options = parseHubArgs(Deno.args, { state: defaultState(), lessons: `${ROOT}/notebooks` });
  } catch (e) {
    if (e instanceof HubUsageError) fail(e.message);
    throw e;
  }
  options.lessons = options.lessons.startsWith("/")
    ? options.lessons
    : `${Deno.cwd()}/${options.lessons}`;
  const paths = hubPaths(options.state);
  switch (options.command) {
    case "start":
      await start(options, paths);
      break;
    case "prepare":
      await prepare(paths, options);
      console.log(`tfjs-training hub: state folder ready: ${paths.state}`);
      break;
    case "update":
      await updateCommand(paths, options);
      break;
    case "stop":
      await stopCommand(paths);
      break;
    case "status":
      await statusCommand(paths, options.json);
      break;
  }
}
