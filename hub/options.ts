/**
 * `deno task hub`'s command line: what it accepts, its defaults, and the errors it gives
 * for input it cannot use. Pure: nothing here touches the network or the disk.
 *
 * @module
 */
import { parseArgs } from "node:util";

/** What `deno task hub` can do. */
export type HubCommand = "start" | "update" | "prepare" | "stop" | "status";

/** How learners log in. */
export type AuthMode = "demo" | "pam";

/** Everything `deno task hub` is told, with defaults applied. */
export interface HubOptions {
  command: HubCommand;
  /** Address the hub listens on. @default {"127.0.0.1"} (this machine only) */
  ip: string;
  /** Port the hub listens on. @default {8000} */
  port: number;
  /** Folder for the hub's state: database, course copy, Deno cache, demo homes. */
  state: string;
  /** `demo`: any name, one shared password, throw-away accounts. `pam`: system users. @default {"demo"} */
  auth: AuthMode;
  /** Demo mode's shared password. @default {undefined} (generated once, kept in the state folder) */
  password?: string;
  /** Hub users with the admin page (teachers). @default {[]} */
  admins: string[];
  /** Seconds before an idle kernel, then an idle server, is shut down; 0: never. @default {3600} */
  idleTimeout: number;
  /** Extra JupyterHub config, loaded after the project's (another authenticator, limits). */
  config?: string;
  /** The folder of lessons handed out. @default {"notebooks/" of this project} */
  lessons: string;
  /** Demo mode: the system account of learner `alice` is `<prefix>alice`. @default {"tfjs-"} */
  userPrefix: string;
  /** `status`: print JSON instead of a table. @default {false} */
  json: boolean;
}

/** Input `deno task hub` cannot use; the message says which and what to do. */
export class HubUsageError extends Error {
  override name = "HubUsageError";
}

/** Longest Linux user name (useradd's limit). */
const MAX_SYSTEM_NAME = 32;

/** The usage text, printed by `--help` and after a usage error. */
export const USAGE = `deno task hub [start|update|prepare|stop|status] [options]

  start     (default) start JupyterHub for a class, in the foreground; Ctrl-C stops it
  update    give every learner the current lessons and library (edited lessons are kept)
  prepare   only build the state folder: course copy, kernelspec, warm Deno cache
  stop      stop the hub running on --state
  status    list the hub's processes (hub, proxy, learners' servers, kernels); --json for JSON

  --ip=ADDR            listen address (default 127.0.0.1: this machine only)
  --port=N             port (default 8000)
  --state=DIR          state folder (default /var/lib/tfjs-training-hub as root, else build/hub)
  --auth=demo|pam      demo: shared password, any learner name (default); pam: system users
  --password=TEXT      demo password (default: generated once, kept in DIR/hub/demo-password)
  --admin=NAME[,NAME]  teachers: hub admins
  --idle-timeout=SEC   shut idle kernels, then idle servers, after SEC seconds (default 3600; 0 = never)
  --config=FILE        extra JupyterHub config, loaded last (another authenticator, limits)
  --lessons=DIR        lessons to hand out (default notebooks/)
  --user-prefix=TEXT   demo mode: learner alice runs as system user TEXTalice (default tfjs-)`;

/**
 * Why `name` cannot be a learner's name, or `null` when it can.
 *
 * Learner names become Linux account names (demo mode prefixes them), so they follow
 * useradd's portable rule: lowercase letter first, then lowercase letters, digits, `-`
 * and `_`, at most 32 characters with the prefix.
 *
 * @param name The name, as typed at the login page (the hub lower-cases it first).
 * @param prefix Demo mode's account prefix ({@linkcode HubOptions.userPrefix}).
 * @example
 * ```ts
 * import { learnerNameProblem } from "./options.ts";
 * if (learnerNameProblem("alice", "tfjs-") !== null) throw new Error("alice is fine");
 * if (learnerNameProblem("Alice Smith", "tfjs-") === null) throw new Error("spaces are not");
 * ```
 */
export function learnerNameProblem(name: string, prefix: string): string | null {
  const max = MAX_SYSTEM_NAME - prefix.length;
  if (new RegExp(learnerNamePattern(prefix)).test(name)) return null;
  const suggestion = name.toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^[^a-z]+/, "")
    .slice(0, max) || "alice";
  return `"${name}" is not a valid learner name: use a lowercase letter, then lowercase ` +
    `letters, digits, "-" or "_", at most ${max} characters (for example "${suggestion}").`;
}

/** The regular expression (JupyterHub's `username_pattern`) behind {@linkcode learnerNameProblem}. */
export function learnerNamePattern(prefix: string): string {
  return `^[a-z][a-z0-9_-]{0,${MAX_SYSTEM_NAME - prefix.length - 1}}$`;
}

function integer(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new HubUsageError(
      `--${flag}=${text} is not a whole number from ${min} to ${max}.`,
    );
  }
  return n;
}

/**
 * Parse `deno task hub`'s arguments.
 *
 * @param args The arguments after the task name.
 * @param defaults The defaults that depend on the machine: state folder and lessons folder.
 * @returns The options, defaults applied.
 * @throws HubUsageError naming the argument and what would work.
 */
export function parseHubArgs(
  args: string[],
  defaults: { state: string; lessons: string },
): HubOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        ip: { type: "string", default: "127.0.0.1" },
        port: { type: "string", default: "8000" },
        state: { type: "string", default: defaults.state },
        auth: { type: "string", default: "demo" },
        password: { type: "string" },
        admin: { type: "string", multiple: true, default: [] },
        "idle-timeout": { type: "string", default: "3600" },
        config: { type: "string" },
        lessons: { type: "string", default: defaults.lessons },
        "user-prefix": { type: "string", default: "tfjs-" },
        json: { type: "boolean", default: false },
      },
    });
  } catch (e) {
    throw new HubUsageError(`${(e as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const commands: HubCommand[] = ["start", "update", "prepare", "stop", "status"];
  const command = (positionals[0] ?? "start") as HubCommand;
  if (!commands.includes(command) || positionals.length > 1) {
    throw new HubUsageError(`Unknown command "${positionals.join(" ")}".\n\n${USAGE}`);
  }
  const auth = values.auth as AuthMode;
  if (auth !== "demo" && auth !== "pam") {
    throw new HubUsageError(
      `--auth=${values.auth} is not a mode: use --auth=demo (shared password) or --auth=pam ` +
        "(system users); for any other JupyterHub authenticator, set it in --config=FILE.",
    );
  }
  const userPrefix = values["user-prefix"];
  if (!/^[a-z][a-z0-9_-]{0,15}$/.test(userPrefix)) {
    throw new HubUsageError(
      `--user-prefix=${userPrefix} cannot start a Linux user name: use up to 16 lowercase ` +
        'letters, digits, "-" or "_", starting with a letter (e.g. --user-prefix=class-).',
    );
  }
  const admins = values.admin.flatMap((a) => a.split(",")).map((a) => a.trim()).filter(Boolean);
  for (const admin of admins) {
    const problem = learnerNameProblem(admin, auth === "demo" ? userPrefix : "");
    if (problem) throw new HubUsageError(`--admin: ${problem}`);
  }
  if (values.password !== undefined && values.password.length < 8) {
    throw new HubUsageError("--password must have at least 8 characters: learners share it.");
  }
  return {
    command,
    ip: values.ip,
    port: integer("port", values.port, 1, 65535),
    state: values.state,
    auth,
    password: values.password,
    admins,
    idleTimeout: integer("idle-timeout", values["idle-timeout"], 0, 365 * 24 * 3600),
    config: values.config,
    lessons: values.lessons,
    userPrefix,
    json: values.json,
  };
}
