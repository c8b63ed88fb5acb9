/**
 * The kill-a-real-process harness of the crash tests (atomic saves, checkpoints, resumable
 * runs, SIGINT): start a Deno child on a script, wait until it prints a marker line or a
 * file appears, send it a signal, await its exit and return what it printed.
 *
 * Both sides of the marker protocol live here: the parent calls {@linkcode killChild}
 * (or {@linkcode runChild} for a run to the end), the child script calls {@linkcode say}.
 * Children run with `--allow-read --allow-write --allow-env`.
 *
 * @module
 */

/** When {@linkcode killChild} sends its signal. */
export type KillWhen =
  /** Once the child's stdout contains this text (e.g. `"saved 3\n"`). */
  | { stdout: string }
  /** Once this path exists. */
  | { file: string };

/** Options of {@linkcode killChild}. */
export interface KillOptions {
  /** What to wait for. */
  when: KillWhen;
  /** The signal. @default {"SIGKILL"} */
  signal?: Deno.Signal;
  /** Pause between seeing the marker and sending the signal, in ms. @default {0} */
  delayMs?: number;
  /** Give up (kill the child and throw) when the marker has not come after this long. @default {60_000} */
  timeoutMs?: number;
}

/** What a child printed and how it ended. */
export interface ChildRun {
  status: Deno.CommandStatus;
  stdout: string;
  stderr: string;
}

function command(script: URL, args: readonly string[]): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", "--allow-env", script.pathname, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  });
}

/** Read a stream to its end as text, handing each piece to `onText`. */
async function drain(stream: ReadableStream<Uint8Array>, onText: (text: string) => void) {
  const decoder = new TextDecoder();
  for await (const bytes of stream) onText(decoder.decode(bytes, { stream: true }));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Run `script` to its end.
 *
 * @param script The child script (e.g. `new URL("./_backup_child.ts", import.meta.url)`).
 * @param args Its arguments.
 * @returns Its exit status and output.
 */
export async function runChild(script: URL, args: readonly string[] = []): Promise<ChildRun> {
  const out = await command(script, args).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { status: out, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

/**
 * Start `script`, send it `signal` once `when` holds (after `delayMs`), and await its exit.
 *
 * @param script The child script.
 * @param args Its arguments.
 * @param options What to wait for, the signal, a pause before it, a time limit.
 * @returns Its exit status and everything it printed, before and after the signal.
 * @throws {Error} When the child ends or `timeoutMs` passes before `when` holds, or
 *   when a child sent SIGKILL did not die of it (it had already exited), with its output.
 */
export async function killChild(
  script: URL,
  args: readonly string[],
  options: KillOptions,
): Promise<ChildRun> {
  const { when, signal = "SIGKILL", delayMs = 0, timeoutMs = 60_000 } = options;
  const child = command(script, args).spawn();
  let stdout = "";
  let stderr = "";
  let seen = () => {};
  const marker = new Promise<void>((resolve) => seen = resolve);
  const output = Promise.all([
    drain(child.stdout, (text) => {
      stdout += text;
      if ("stdout" in when && stdout.includes(when.stdout)) seen();
    }),
    drain(child.stderr, (text) => stderr += text),
  ]);
  let waiting = true;
  const polling = (async () => {
    while ("file" in when && waiting) {
      if (await Deno.stat(when.file).then(() => true, () => false)) return seen();
      await sleep(2);
    }
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outcome = await Promise.race([
    marker.then(() => "marker" as const),
    child.status.then(() => "exited" as const),
    new Promise<"timeout">((resolve) => timer = setTimeout(() => resolve("timeout"), timeoutMs)),
  ]);
  waiting = false;
  clearTimeout(timer);
  await polling;
  if (outcome === "marker" && delayMs > 0) await sleep(delayMs);
  try {
    child.kill(outcome === "marker" ? signal : "SIGKILL");
  } catch {
    // It has exited already: the status below says how.
  }
  const status = await child.status;
  await output;
  const run = { status, stdout, stderr };
  const name = script.pathname.split("/").at(-1);
  const printed = `stdout:\n${stdout}\nstderr:\n${stderr}`;
  if (outcome !== "marker") {
    const why = outcome === "exited" ? `ended (code ${status.code})` : `ran ${timeoutMs} ms`;
    throw new Error(`${name} ${why} without ${JSON.stringify(when)}.\n${printed}`);
  }
  if (signal === "SIGKILL" && status.signal !== "SIGKILL") {
    throw new Error(`${name} exited (code ${status.code}) before SIGKILL reached it.\n${printed}`);
  }
  return run;
}

/**
 * In a child script: print one marker line for the parent's {@linkcode killChild}, and
 * return once it is written.
 *
 * @param line The line, without its newline.
 */
export async function say(line: string): Promise<void> {
  const bytes = new TextEncoder().encode(`${line}\n`);
  for (let done = 0; done < bytes.length;) done += await Deno.stdout.write(bytes.subarray(done));
}
