/**
 * A Keras-like progress display for `model.fit`: a bar per epoch with ETA and
 * metrics, updated in place — one notebook output rewritten via
 * `display(bundle, { displayId, update: true })`, or one terminal line rewritten
 * with `\r` — and throttled so it costs next to nothing per batch.
 *
 * @module
 */
import { display, inKernel } from "../core/output.ts";
import { TrainingCallback } from "./training_callback.ts";
import { resolveLogs, type UnresolvedLogs } from "../core/history.ts";

/** Where the progress goes. */
export type ProgressMode = "auto" | "notebook" | "terminal" | "lines";

/** Options of {@linkcode progressBar}. */
export interface ProgressBarOptions {
  /**
   * `"notebook"`: one output updated in place; `"terminal"`: one line rewritten with
   * `\r`; `"lines"`: one printed line per finished epoch (logs, CI); `"auto"`: notebook
   * in a Jupyter kernel, terminal on a TTY, lines otherwise.
   * @default {"auto"}
   */
  mode?: ProgressMode;
  /** Minimum milliseconds between two updates within an epoch. @default {150} */
  throttleMs?: number;
  /** Characters in the bar. @default {30} */
  width?: number;
  /** Keep one summary line per finished epoch above the live bar. @default {true} */
  keepEpochLines?: boolean;
  /** Clock in milliseconds (inject one for deterministic tests). @default {performance.now} */
  now?: () => number;
}

/** What one progress line shows. */
export interface ProgressState {
  /** 0-based epoch. */
  epoch: number;
  /** Total epochs. */
  epochs: number;
  /** Batches done in this epoch. */
  batch: number;
  /** Batches per epoch, if known. */
  batches: number | undefined;
  /** Milliseconds since the epoch began. */
  elapsedMs: number;
  /** Metrics to show. */
  logs: Record<string, number>;
  /** Whether the epoch has ended. */
  done: boolean;
  /** Whether training was stopped before the epoch's last batch. @default {false} */
  stopped?: boolean;
}

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(s % 60).padStart(2, "0")}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

function metric(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e4) ? value.toExponential(3) : value.toFixed(4);
}

/**
 * Render one progress line, Keras style:
 * `Epoch 3/10  12/20 [==============>...............] ETA 2s  loss: 0.1234`.
 *
 * @param state Epoch, batch, timing and metrics.
 * @param width Characters in the bar.
 * @returns The line (no newline).
 * @example
 * ```ts
 * import { renderProgress } from "@lib/callbacks/progress_bar.ts";
 * renderProgress({ epoch: 0, epochs: 2, batch: 5, batches: 10, elapsedMs: 1000, logs: { loss: 0.5 }, done: false }, 10);
 * // "Epoch 1/2   5/10 [====>.....] ETA 1s  loss: 0.5000"
 * ```
 */
export function renderProgress(state: ProgressState, width = 30): string {
  const { epoch, epochs, batch, batches, elapsedMs, logs, done, stopped = false } = state;
  let line = `Epoch ${epoch + 1}/${epochs}`;
  if (batches !== undefined && batches > 0) {
    const digits = String(batches).length;
    const fraction = Math.min(1, batch / batches);
    const filled = Math.floor(fraction * width);
    // "====>....." : filled part, an arrow head at the current position, the rest.
    const bar = (done && !stopped) || filled >= width
      ? "=".repeat(width)
      : filled === 0
      ? ".".repeat(width)
      : "=".repeat(filled - 1) + ">" + ".".repeat(width - filled);
    line += `  ${String(batch).padStart(digits)}/${batches} [${bar}]`;
    line += done || batch === 0
      ? ` ${duration(elapsedMs)}`
      : ` ETA ${duration((elapsedMs / batch) * (batches - batch))}`;
  } else {
    line += `  ${batch} batches ${duration(elapsedMs)}`;
  }
  // Training metrics first, then validation ones (tfjs puts val_ keys first).
  const entries = Object.entries(logs).filter(([k]) => k !== "batch" && k !== "size");
  const shown = [
    ...entries.filter(([k]) => !k.startsWith("val_")),
    ...entries.filter(([k]) => k.startsWith("val_")),
  ];
  if (shown.length > 0) line += "  " + shown.map(([k, v]) => `${k}: ${metric(v)}`).join("  ");
  if (stopped) line += "  (stopped)";
  return line;
}

let nextId = 0;

/**
 * The progress display callback. See {@linkcode progressBar}.
 */
export class ProgressBar extends TrainingCallback {
  /** Resolved options. */
  readonly mode: Exclude<ProgressMode, "auto"> | "auto";
  readonly throttleMs: number;
  readonly width: number;
  readonly keepEpochLines: boolean;
  /** How many times the display was sent or rewritten in the last `fit` (for tests and tuning). */
  renders = 0;
  #now: () => number;
  #active: Exclude<ProgressMode, "auto"> = "lines";
  #displayId = "";
  #lines: string[] = [];
  #epoch = 0;
  #epochStart = 0;
  #lastRender = -Infinity;
  #lastLogs: Record<string, number> = {};

  /** @param options See {@linkcode ProgressBarOptions}. */
  constructor(options: ProgressBarOptions = {}) {
    super();
    const {
      mode = "auto",
      throttleMs = 150,
      width = 30,
      keepEpochLines = true,
      now = () => performance.now(),
    } = options;
    if (!["auto", "notebook", "terminal", "lines"].includes(mode)) {
      throw new Error(
        `progressBar: unknown mode ${JSON.stringify(mode)}. ` +
          'Use "auto", "notebook", "terminal" or "lines".',
      );
    }
    if (!(throttleMs >= 0)) {
      throw new Error(`progressBar: \`throttleMs\` must be >= 0, got ${throttleMs}.`);
    }
    if (!(Number.isInteger(width) && width > 0)) {
      throw new Error(`progressBar: \`width\` must be a whole number > 0, got ${width}.`);
    }
    this.mode = mode;
    this.throttleMs = throttleMs;
    this.width = width;
    this.keepEpochLines = keepEpochLines;
    this.#now = now;
  }

  /** Picks the output and starts a fresh display. */
  override onTrainBegin(_logs?: UnresolvedLogs): Promise<void> {
    this.#active = this.mode !== "auto"
      ? this.mode
      : inKernel()
      ? "notebook"
      : Deno.stdout.isTerminal()
      ? "terminal"
      : "lines";
    this.#displayId = `lib-progress-${Date.now().toString(36)}-${nextId++}`;
    this.#lines = [];
    this.renders = 0;
    return Promise.resolve();
  }

  /** Starts the epoch's clock. */
  override onEpochBegin(epoch: number, logs?: UnresolvedLogs): Promise<void> {
    this.#epoch = epoch;
    this.#epochStart = this.#now();
    this.#lastRender = -Infinity;
    this.#lastLogs = {};
    return super.onEpochBegin(epoch, logs);
  }

  /** Redraws the bar, at most once per `throttleMs`. */
  override async onBatchEnd(batch: number, logs?: UnresolvedLogs): Promise<void> {
    await super.onBatchEnd(batch, logs);
    if (this.#active === "lines") return;
    const now = this.#now();
    const last = this.batchesThisEpoch === this.batchesPerEpoch();
    if (now - this.#lastRender < this.throttleMs || last) return;
    this.#lastRender = now;
    // Reading the batch's loss syncs with the device: done only when drawing.
    this.#lastLogs = { ...(await resolveLogs(logs)) };
    await this.#render(this.#state(false, this.#lastLogs), false);
  }

  /** Draws the finished epoch's line with its final metrics. */
  override async onEpochEnd(_epoch: number, logs?: UnresolvedLogs): Promise<void> {
    const resolved = await resolveLogs(logs);
    const state = this.#state(true, { ...resolved });
    state.stopped = !this.epochCompleted();
    await this.#render(state, true);
  }

  /** Ends the terminal line. */
  override async onTrainEnd(_logs?: UnresolvedLogs): Promise<void> {
    if (this.#active === "terminal" && !this.keepEpochLines) {
      await Deno.stdout.write(new TextEncoder().encode("\n"));
    }
  }

  #state(done: boolean, logs: Record<string, number>): ProgressState {
    const epochs = this.params?.epochs;
    return {
      epoch: this.#epoch,
      epochs: typeof epochs === "number" ? epochs : this.#epoch + 1,
      batch: this.batchesThisEpoch,
      batches: this.batchesPerEpoch(),
      elapsedMs: this.#now() - this.#epochStart,
      logs,
      done,
    };
  }

  async #render(state: ProgressState, final: boolean): Promise<void> {
    const line = renderProgress(state, this.width);
    this.renders += 1;
    switch (this.#active) {
      case "lines":
        if (final) await display({ "text/plain": line });
        return;
      case "terminal": {
        // Rewrite the current line: carriage return, text, clear to end of line.
        const text = `\r${line}\x1b[K` + (final && this.keepEpochLines ? "\n" : "");
        await Deno.stdout.write(new TextEncoder().encode(text));
        return;
      }
      case "notebook": {
        const lines = [...this.#lines, line];
        if (final) this.#lines = this.keepEpochLines ? lines : [];
        const text = (final && !this.keepEpochLines ? [line] : lines).join("\n");
        const first = this.renders === 1;
        await display(
          { "text/plain": text },
          { displayId: this.#displayId, update: !first },
        );
      }
    }
  }
}

/**
 * Show training progress: a bar per epoch with ETA and metrics, updated in place.
 *
 * In a notebook it is one output that is rewritten (not one line per batch); in a
 * terminal one line rewritten with `\r`; in logs (CI, `deno test`) one line per epoch.
 * (tfjs itself prints no progress under Deno: its console logger is tfjs-node only.)
 *
 * @param options `mode`, `throttleMs`, `width`, `keepEpochLines`, `now`.
 * @returns A callback for `model.fit(..., { callbacks })`.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { progressBar } from "@lib";
 * await tf.setBackend("cpu");
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
 * const xs = tf.tensor2d([[0], [1], [2]]), ys = tf.tensor2d([[1], [3], [5]]);
 * await model.fit(xs, ys, { epochs: 3, verbose: 0, callbacks: [progressBar()] });
 * ```
 */
export function progressBar(options: ProgressBarOptions = {}): ProgressBar {
  return new ProgressBar(options);
}
