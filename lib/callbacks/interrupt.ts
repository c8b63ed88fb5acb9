/**
 * The stop button (■, Jupyter's interrupt) in this project's kernel: the library's side.
 *
 * The `tfjs-training` kernelspec starts Deno's kernel behind a small launcher
 * (tools/kernel_launcher.py). Jupyter's interrupt reaches the launcher, never Deno (a
 * SIGINT would kill Deno's kernel), and the launcher asks this module what to do over a
 * local connection it names in the environment variable `TFJS_TRAINING_INTERRUPT`. Once
 * `@lib` is imported in a kernel it connects, and an interrupt then:
 *
 * - stops a running `model.fit` / `fitDataset` at the next batch boundary (every fit gets
 *   a {@linkcode StopOnInterrupt} callback, see stop_on.ts);
 * - stops a hand-written loop at its next step when the loop asks
 *   {@linkcode interruptRequested};
 * - otherwise abandons what the cell awaits: pending timers are cleared and the cell's
 *   promise, no longer reachable, is garbage-collected, which Deno's kernel reports as the
 *   end of the cell (measured with Deno 2.9.6: "Promise was collected").
 *
 * Synchronous code never lets this module run; the launcher then has Deno terminate it
 * (V8's TerminateExecution, Jupyter's `interrupt_request`), and when that leaves an
 * awaited cell hanging it asks this module to abandon it as above.
 *
 * Outside the launcher (a terminal, or a kernelspec without it) interrupts arrive as
 * SIGINT, as before: a listener is installed while something subscribes.
 *
 * The protocol, one line per message, on 127.0.0.1:
 * launcher → library `interrupt N DEADLINE_MS`, `abandon N`, `idle N` (no cell runs),
 * `ended N`, `stuck N`, `done N` / `running N` (whether a cell that went on after ■ has
 * ended); library → launcher `cell N` (has it?), `hello TOKEN PID`, `ack N fit|loop|wait`,
 * `taken N` (a loop stopped), `abandoned N`, `alive` (training runs; every 500 ms at most), `rest` (it ended).
 *
 * @module
 */
import v8 from "node:v8";
import vm from "node:vm";
import { display, inKernel } from "../core/output.ts";
import { warn } from "./_log.ts";

/** Environment variable in which the launcher says where to connect: `HOST:PORT:TOKEN`. */
export const LAUNCHER_ENV = "TFJS_TRAINING_INTERRUPT";

/** How recently (ms) a loop must have asked {@linkcode interruptRequested} to be given the stop. */
const LOOP_RECENT_MS = 1_000;
/** How long (ms) an interrupt waits for the loop that was given it before the cell is abandoned. */
const LOOP_GRACE_MS = 1_000;
/** How often (ms, at most) running training tells the launcher it is alive. */
const HEARTBEAT_MS = 500;
/** How often (ms) {@linkcode interruptRequested} lets the event loop run. */
const YIELD_EVERY_MS = 25;

/** Where an interrupt comes from in this process. */
export type InterruptSource = "launcher" | "sigint";

/** A running fit that can be asked to stop (see {@linkcode onInterrupt}). */
export interface InterruptTarget {
  /** Ask it to stop at its next batch boundary. */
  stop(): void;
  /** Whether it still runs (a fit that threw never calls `onTrainEnd`). */
  running(): boolean;
}

/** What the ■ messages say, in one place. */
export const INTERRUPT_MESSAGES = {
  abandoned:
    "Interrupted (■): the cell was waiting (on a promise, a timer chain or other pending " +
    "work). Its pending timers were cancelled and the wait abandoned; every variable keeps " +
    "its value.",
  stuck: "The cell is still waiting: what it awaits cannot be cancelled from outside (I/O in " +
    "progress, or a promise that is still referenced, e.g. kept in a variable). It ends when " +
    "that work does; to end it now, restart the kernel (its variables are then lost).",
} as const;

interface State {
  source: InterruptSource | undefined;
  connection: Deno.TcpConn | undefined;
  targets: Set<InterruptTarget>;
  /** `performance.now()` of the last interruptRequested() call. */
  lastLoopPoll: number;
  /** The interrupt (its number) given to a hand-written loop and not yet taken. */
  loopPending: string | undefined;
  lastYield: number;
  sigintListening: boolean;
  guarded: boolean;
  /** `Deno.exit` and `Deno.addSignalListener` as Deno made them (before any guard). */
  realExit: typeof Deno.exit;
  realAddSignalListener: typeof Deno.addSignalListener;
  /**
   * The interrupt (its number) that stopped a fit or loop in the cell still running:
   * until the launcher says the cell ended (`done N`), every fit and loop it starts stops
   * at once, so ■ stops the cell, not just its first fit.
   */
  stickySeq: string | undefined;
  /** `performance.now()` of the last `alive` heartbeat sent. */
  lastHeartbeat: number;
  /** The newest timer id the last abandon cleared. */
  clearedUpTo: number;
  /** Sends a line to the launcher, once connected. */
  send: ((line: string) => Promise<void>) | undefined;
}

// One state per process, even if two copies of this module are loaded.
const KEY = Symbol.for("tfjs-training.interrupt");
const state: State = ((globalThis as Record<symbol, unknown>)[KEY] ??= {
  source: undefined,
  connection: undefined,
  targets: new Set(),
  lastLoopPoll: -Infinity,
  loopPending: undefined,
  lastYield: 0,
  sigintListening: false,
  guarded: false,
  realExit: Deno.exit,
  realAddSignalListener: Deno.addSignalListener,
  send: undefined,
  clearedUpTo: 0,
  lastHeartbeat: -Infinity,
  stickySeq: undefined,
} satisfies State) as State;

/**
 * Where interrupts come from here: `"launcher"` in this project's kernel once `@lib` is
 * imported, `"sigint"` after a subscriber installed the SIGINT fallback, else `undefined`.
 *
 * @returns The source, or `undefined` when nothing listens for interrupts.
 * @example
 * ```ts
 * import { interruptSource } from "@lib";
 * console.log(interruptSource()); // undefined under `deno run`
 * ```
 */
export function interruptSource(): InterruptSource | undefined {
  return state.source;
}

/**
 * Subscribe a running fit to interrupts (what {@linkcode StopOnInterrupt} does in
 * `onTrainBegin`). Outside the launcher this installs a SIGINT listener.
 *
 * @param target The fit to stop.
 * @returns A function that unsubscribes it (call it in `onTrainEnd`).
 * @example
 * ```ts
 * import { onInterrupt } from "@lib";
 * const off = onInterrupt({ stop: () => console.log("stop"), running: () => true });
 * off();
 * ```
 */
export function onInterrupt(target: InterruptTarget): () => void {
  state.targets.add(target);
  if (state.source !== "launcher") listenForSigint(true);
  return () => {
    state.targets.delete(target);
    // Outside a kernel Ctrl-C ends a script as usual once no fit listens; in a kernel the
    // listener stays, so a stray SIGINT cannot kill it.
    if (state.targets.size === 0 && state.source === "sigint" && !inKernel()) {
      listenForSigint(false);
    }
  };
}

/**
 * Called by a running fit after each batch (and by {@linkcode interruptRequested} at each
 * step): at most every 500 ms it tells the launcher that training is alive, so on ■ the
 * launcher waits for the next batch or step instead of terminating the code, which
 * could leave tfjs in the middle of a step (a model stuck "inside" `fit`).
 *
 * @example
 * ```ts
 * import { trainingAlive } from "@lib/callbacks/interrupt.ts";
 * trainingAlive(); // nothing to tell outside the kernel
 * ```
 */
export function trainingAlive(): void {
  const now = performance.now();
  if (state.send === undefined || now - state.lastHeartbeat < HEARTBEAT_MS) return;
  state.lastHeartbeat = now;
  state.send("alive").catch(() => {});
}

/**
 * Called when training ends (the last fit, or a loop that stopped on ■): the launcher no
 * longer waits for a next batch before terminating code.
 *
 * @example
 * ```ts
 * import { trainingRests } from "@lib/callbacks/interrupt.ts";
 * trainingRests();
 * ```
 */
export function trainingRests(): void {
  if (state.send === undefined || state.lastHeartbeat === -Infinity) return;
  state.lastHeartbeat = -Infinity;
  state.send("rest").catch(() => {});
}

/** Repairs run after code was terminated or abandoned (see {@linkcode afterTermination}). */
const repairs = new Set<() => void>();

/**
 * Register a repair for state that code killed mid-way may leave inconsistent (stop_on.ts
 * registers one for tfjs: open scopes, a model stuck inside `fit`). Run after the
 * launcher terminated synchronous code, and before an awaited cell is abandoned.
 *
 * @param repair Called with no arguments; must not throw.
 * @example
 * ```ts
 * import { afterTermination } from "@lib/callbacks/interrupt.ts";
 * afterTermination(() => {});
 * ```
 */
export function afterTermination(repair: () => void): void {
  repairs.add(repair);
}

function runRepairs(): void {
  for (const repair of repairs) {
    try {
      repair();
    } catch (e) {
      warn(`Repairing state after an interrupt failed: ${e}`);
    }
  }
}

/** Where a hand-written loop is, for the message {@linkcode interruptRequested} prints. */
export interface LoopPosition {
  /** 0-based epoch. */
  epoch?: number;
  /** 0-based batch (step) within the epoch. */
  batch?: number;
}

/**
 * For hand-written training loops: `true` once ■ (or Ctrl-C) has been pressed, so the loop
 * can stop at its next step, like `fit` does. Call it once per step and `break` when it
 * says so; it prints where the loop stopped. Every 25 ms it lets the event loop run (one
 * macrotask, about 0.1 ms), so the interrupt can arrive while the loop trains.
 *
 * @param where The step about to run, for the message (e.g. `{ epoch, batch }`).
 * @returns Whether to stop now (the interrupt is then used up).
 * @example
 * ```ts
 * import { interruptRequested } from "@lib";
 * for (let epoch = 0; epoch < 3; epoch++) {
 *   for (let batch = 0; batch < 10; batch++) {
 *     if (await interruptRequested({ epoch, batch })) break;
 *     // ... one training step ...
 *   }
 * }
 * ```
 */
export async function interruptRequested(where: LoopPosition = {}): Promise<boolean> {
  if (state.source === undefined && inKernel()) listenForSigint(true);
  state.lastLoopPoll = performance.now();
  trainingAlive();
  if (state.lastLoopPoll - state.lastYield >= YIELD_EVERY_MS) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    state.lastYield = performance.now();
    state.lastLoopPoll = state.lastYield;
  }
  const seq = state.loopPending;
  if (seq === undefined) {
    if (!(await cellInterrupted())) return false;
  } else {
    state.loopPending = undefined;
    await state.send?.(`taken ${seq}`);
  }
  trainingRests();
  await display({ "text/plain": loopStoppedMessage(where) });
  return true;
}

/**
 * The line {@linkcode interruptRequested} prints when it stops a loop.
 *
 * @param where The step that was about to run.
 * @returns E.g. "Training loop stopped by ■ before epoch 2, batch 4: ...".
 * @example
 * ```ts
 * import { loopStoppedMessage } from "@lib/callbacks/interrupt.ts";
 * console.log(loopStoppedMessage({ epoch: 1, batch: 3 }));
 * ```
 */
export function loopStoppedMessage(where: LoopPosition): string {
  const parts = [];
  if (where.epoch !== undefined) parts.push(`epoch ${where.epoch + 1}`);
  if (where.batch !== undefined) parts.push(`batch ${where.batch + 1}`);
  const at = parts.length > 0 ? ` before ${parts.join(", ")}` : "";
  return `Training loop stopped by ■${at}: every step before it finished, and every ` +
    "variable keeps its value.";
}

/** Waiting for the launcher's answer to `cell N`: resolves `true` if the cell still runs. */
const cellQuestions = new Map<string, (running: boolean) => void>();

/**
 * Whether ■ stopped a fit or loop in the cell that is still running: until that cell
 * ends, the fits and loops it starts stop at once. The launcher is asked (it watches the
 * cell end; about a millisecond, up to 50 ms right after a cell ended). Read by
 * {@linkcode StopOnInterrupt} and {@linkcode interruptRequested}.
 *
 * @returns `true` between such an interrupt and the end of its cell.
 */
export async function cellInterrupted(): Promise<boolean> {
  const seq = state.stickySeq;
  if (seq === undefined) return false;
  if (state.send === undefined) return true; // SIGINT: no one tells when the cell ends
  const answer = new Promise<boolean>((resolve) => {
    cellQuestions.set(seq, resolve);
    setTimeout(() => resolve(false), 500); // no answer: do not stop a fresh cell's work
  });
  await state.send(`cell ${seq}`);
  const running = await answer;
  cellQuestions.delete(seq);
  if (!running && state.stickySeq === seq) state.stickySeq = undefined;
  return running;
}

// -- handling an interrupt ------------------------------------------------------------

/** Which part of the library takes interrupt number `seq`. */
function takeInterrupt(seq: string): "fit" | "loop" | "abandon" {
  const now = performance.now();
  for (const target of state.targets) {
    if (!target.running()) state.targets.delete(target); // a fit that threw
  }
  if (state.targets.size > 0) {
    for (const target of state.targets) target.stop();
    state.stickySeq = seq;
    return "fit";
  }
  if (now - state.lastLoopPoll < LOOP_RECENT_MS) {
    state.loopPending = seq;
    state.stickySeq = seq;
    return "loop";
  }
  return "abandon";
}

let collect: (() => void) | undefined;

/** A full garbage collection (V8's `gc`, exposed through node:v8 the first time). */
function collectGarbage(): void {
  if (collect === undefined) {
    v8.setFlagsFromString("--expose-gc");
    collect = vm.runInNewContext("gc") as () => void;
  }
  collect();
}

/**
 * Abandon what the running cell awaits: cancel every pending timer (Deno numbers them
 * from 1, so clearing every id up to the newest clears them all; ids below the last
 * abandon's are done already), then collect garbage once the timers are gone. A cell whose promise nothing else references is then collected, and
 * Deno's kernel ends it.
 */
async function abandon(): Promise<void> {
  runRepairs();
  await display({ "text/plain": INTERRUPT_MESSAGES.abandoned });
  const newest = Number(setTimeout(() => {}, 0));
  // Timers older than the last abandon were cleared then (or have fired).
  for (let id = state.clearedUpTo + 1; id <= newest; id++) clearTimeout(id);
  state.clearedUpTo = newest;
  await new Promise((resolve) => setTimeout(resolve, 0));
  collectGarbage();
}

async function onLauncherMessage(words: string[], send: (line: string) => Promise<void>) {
  const [kind, seq, deadline] = words;
  if (kind === "interrupt") {
    // Read too late: the launcher has given up waiting and terminates the code instead
    // (never while a fit runs: the launcher waits for its next batch).
    const training = [...state.targets].some((target) => target.running()) ||
      performance.now() - state.lastLoopPoll < LOOP_RECENT_MS;
    if (!training && Date.now() > Number(deadline)) {
      runRepairs(); // the isolate was blocked: the launcher terminates (or has terminated) it
      return;
    }
    const taker = takeInterrupt(seq);
    // "wait": nothing of the library's is running; the launcher says `abandon` once it
    // knows a cell is busy (or `idle` when none is).
    await send(`ack ${seq} ${taker === "abandon" ? "wait" : taker}`);
    if (taker === "loop") {
      setTimeout(async () => {
        if (state.loopPending !== seq) return;
        state.loopPending = undefined; // the loop did not ask again: abandon the cell instead
        await abandon();
        await send(`abandoned ${seq}`);
      }, LOOP_GRACE_MS);
    }
  } else if (kind === "abandon") {
    await abandon();
    await send(`abandoned ${seq}`);
  } else if (kind === "running") {
    cellQuestions.get(seq)?.(true);
  } else if (kind === "idle" || kind === "ended" || kind === "done") {
    if (kind === "ended") runRepairs(); // synchronous code was killed mid-way
    // No cell is running, or the interrupted cell has ended. Nothing is shown: a message
    // now would land in whichever cell runs next.
    if (state.loopPending === seq) state.loopPending = undefined;
    if (state.stickySeq === seq) state.stickySeq = undefined;
    cellQuestions.get(seq)?.(false);
  } else if (kind === "stuck") {
    await display({ "text/plain": INTERRUPT_MESSAGES.stuck });
  }
}

/**
 * Connect to the kernel launcher and handle its interrupts (done when `@lib` is imported
 * in a kernel whose environment names a launcher). Exported for tests.
 *
 * @param address `HOST:PORT:TOKEN`, as in `TFJS_TRAINING_INTERRUPT`.
 * @returns Resolves once connected; the connection then lives as long as the kernel.
 */
export async function connectLauncher(address: string): Promise<void> {
  const [hostname, port, token] = address.split(":");
  if (!hostname || !Number.isInteger(Number(port)) || !token) {
    throw new Error(
      `${LAUNCHER_ENV} must be HOST:PORT:TOKEN, got "${address}". It is set by ` +
        "tools/kernel_launcher.py; reinstall the kernelspec with `deno task setup`.",
    );
  }
  const conn = await Deno.connect({ hostname, port: Number(port) });
  conn.unref(); // never keeps a script alive
  const encoder = new TextEncoder();
  const send = async (line: string) => {
    await conn.write(encoder.encode(line + "\n"));
  };
  await send(`hello ${token} ${Deno.pid}`);
  state.connection?.close();
  state.connection = conn;
  state.send = send;
  state.source = "launcher";
  listenForSigint(false);
  if (inKernel()) guardKernel();
  (async () => {
    let buffer = "";
    for await (const chunk of conn.readable.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) {
        await onLauncherMessage(line.trim().split(/\s+/), send).catch((e) =>
          warn(`Handling the interrupt failed: ${e}`)
        );
      }
    }
  })().catch(() => {/* the kernel is shutting down */});
}

// -- the SIGINT fallback (no launcher) ------------------------------------------------

function onSigint(): void {
  if (state.targets.size === 0 && performance.now() - state.lastLoopPoll > LOOP_RECENT_MS) {
    warn(
      "Interrupt received, but no training is running that could stop on it; other code " +
        "cannot be interrupted here. Install the project's kernelspec (`deno task setup`) " +
        "for a stop button that interrupts any cell.",
    );
  }
  takeInterrupt("sigint");
}

function listenForSigint(on: boolean): void {
  if (on === state.sigintListening || Deno.build.os === "windows") return;
  if (on) state.realAddSignalListener("SIGINT", onSigint);
  else Deno.removeSignalListener("SIGINT", onSigint);
  state.sigintListening = on;
  if (on) state.source ??= "sigint";
}

// -- bad input: code that would defeat the stop button ---------------------------------

/**
 * End the kernel process on purpose (in this project's kernel `Deno.exit` refuses, see
 * the module notes). Every variable is lost; Jupyter restarts the kernel.
 *
 * @param code Exit status. @default {0}
 * @returns Never returns.
 */
export function exitKernel(code = 0): never {
  return state.realExit(code);
}

/** The error `Deno.exit` throws in this project's kernel. */
export function exitRefusedMessage(code: number | undefined): string {
  return `Deno.exit(${code ?? ""}) was not run: it would end this kernel and lose every ` +
    "variable, and neither ■ nor anything else brings them back. To stop a cell, press ■: " +
    "it stops training at the next batch, interrupts synchronous code and abandons a stuck " +
    "await, and keeps the kernel. To end the kernel on purpose, use Kernel → Restart or " +
    "Shut Down, or call exitKernel() from @lib.";
}

/** The warning a notebook's own SIGINT listener gets in this project's kernel. */
export const SIGINT_LISTENER_WARNING =
  'Deno.addSignalListener("SIGINT", …): in this kernel ■ does not send SIGINT to your code. ' +
  "The kernel's launcher handles ■ (it stops training at the next batch, interrupts " +
  "synchronous code and abandons a stuck await); your listener runs only on a SIGINT sent " +
  "to the kernel process itself. To react to ■ in your own loop, call " +
  "interruptRequested() from @lib at each step.";

/** In the launcher's kernel: make `Deno.exit` and SIGINT listeners explain themselves. */
function guardKernel(): void {
  if (state.guarded) return;
  state.guarded = true;
  Deno.exit = (code?: number): never => {
    throw new Error(exitRefusedMessage(code));
  };
  Deno.addSignalListener = (signal: Deno.Signal, handler: () => void): void => {
    if (signal === "SIGINT") warn(SIGINT_LISTENER_WARNING);
    state.realAddSignalListener(signal, handler);
  };
}

// In this project's kernel, connect as soon as the library is imported.
const launcherAddress = inKernel() ? Deno.env.get(LAUNCHER_ENV) : undefined;
if (launcherAddress !== undefined && state.connection === undefined) {
  connectLauncher(launcherAddress).catch((e) =>
    warn(`Could not reach the kernel launcher (${e}); ■ falls back to SIGINT.`)
  );
}
