/**
 * A live training dashboard: a callback that draws the learning curves once and redraws
 * the same output in place as epochs (optionally batches) end, throttled to a few
 * updates per second, and ends with a full static + interactive frame (the one saved in
 * the notebook), with the early-stopping markers read from the stopper itself.
 *
 * In-place updates carry the Plotly JSON, the static SVG and a text summary (about
 * 10–20 kB); only the final frame carries `text/html` (and plotly.js, if no earlier
 * output of this session did), so a long run never sends megabytes per update.
 *
 * @module
 */
import { resolveLogs, type UnresolvedLogs } from "../core/history.ts";
import { display, type DisplayOptions, inKernel, type MimeBundle } from "../core/output.ts";
import type { Figure } from "../display/figure.ts";
import { decimate, DEFAULT_MAX_POINTS, roundValue } from "../display/figure.ts";
import {
  historyFigure,
  type HistoryFigureOptions,
  type StopperLike,
} from "../display/history_figure.ts";
import { figureBundle, figureSummary } from "../display/plot.ts";
import { markPlotlySent, plotlySent } from "../display/plotly_js.ts";
import { TrainingCallback } from "./training_callback.ts";
import { warn } from "./_log.ts";

/** Where the dashboard's outputs go: `display` from core/output.ts unless told otherwise. */
export type OutputSink = (bundle: MimeBundle, options: DisplayOptions) => Promise<void>;

/** An early-stopping callback as `liveCurves` reads it: its epochs, and the model it watched. */
export interface LiveStopper extends StopperLike {
  /** The model the stopper was attached to by `fit` (tfjs's `Callback.model`). */
  readonly model?: unknown;
  /** Whether it puts the best weights back at the end (then `bestEpoch` is restored). */
  readonly restoreBestWeights?: boolean;
}

/** Options of {@linkcode liveCurves}. */
export interface LiveCurvesOptions extends
  Pick<
    HistoryFigureOptions,
    "metrics" | "logY" | "colorBy" | "title" | "monitor" | "mode" | "width" | "height"
  > {
  /** Least time between two in-place updates, in ms (final frame is always sent). @default {250} */
  throttleMs?: number;
  /** Also plot the loss of every batch (thin line) and update on batch ends. @default {false} */
  batches?: boolean;
  /** Most points per series in the figure. @default {2000} */
  maxPoints?: number;
  /**
   * The early-stopping callback of the same `fit` (e.g. `earlyStopping(...)`): the final
   * frame marks its stopped epoch (only if it fired), best epoch and restored weights.
   * @default {undefined}
   */
  stopper?: LiveStopper;
  /** Id of the output that is updated. @default {a fresh id per training run} */
  displayId?: string;
  /** Where outputs go. @default {display from lib/core/output.ts} */
  sink?: OutputSink;
  /** Clock in ms, for deterministic tests. @default {performance.now} */
  now?: () => number;
}

/** What the dashboard did, for benchmarks and tests. */
export interface LiveCurvesStats {
  /** Outputs sent (first frame, in-place updates and final frame). */
  sent: number;
  /** Epoch or batch ends that did not redraw because of the throttle. */
  throttled: number;
  /** Bytes of the largest in-place update (JSON of the bundle). */
  maxUpdateBytes: number;
  /** Bytes of the final frame. */
  finalBytes: number;
  /** Time spent building and sending outputs, ms. */
  busyMs: number;
  /** The error that stopped live updates, if any (training is never interrupted). */
  error?: string;
}

/** The stopper's reported fields, read now (getters included). */
function pick(stopper: LiveStopper): StopperLike {
  const { stoppedEpoch, bestEpoch, restoredEpoch, monitor } = stopper;
  return { stoppedEpoch, bestEpoch, restoredEpoch, monitor };
}

function freshStats(): LiveCurvesStats {
  return { sent: 0, throttled: 0, maxUpdateBytes: 0, finalBytes: 0, busyMs: 0 };
}

/**
 * The callback {@linkcode liveCurves} returns. A {@linkcode TrainingCallback}, so it
 * goes anywhere in a `callbacks` list; reusable across `fit` calls (its state resets on
 * train begin).
 */
export class LiveCurves extends TrainingCallback {
  readonly #options: LiveCurvesOptions;
  readonly #throttleMs: number;
  readonly #batches: boolean;
  readonly #maxPoints: number;
  readonly #sink: OutputSink;
  readonly #now: () => number;
  #history: Record<string, number[]> = {};
  #batchLoss: Array<[number, number, number]> = []; // [epoch, batch, loss]
  #batchesPerEpoch = 0;
  #epochsDone = 0;
  #id = "";
  #last = -Infinity;
  #broken = false;
  #stats: LiveCurvesStats = freshStats();
  #current: Figure;
  #runs = 0;

  /** @param options See {@linkcode LiveCurvesOptions}. */
  constructor(options: LiveCurvesOptions = {}) {
    super();
    const {
      throttleMs = 250,
      batches = false,
      maxPoints = DEFAULT_MAX_POINTS,
      sink = display,
      now = () => performance.now(),
    } = options;
    if (!Number.isFinite(throttleMs) || throttleMs < 0) {
      throw new Error(`liveCurves: \`throttleMs\` must be a number >= 0, got ${throttleMs}.`);
    }
    this.#options = options;
    this.#throttleMs = throttleMs;
    this.#batches = batches;
    this.#maxPoints = maxPoints;
    this.#sink = sink;
    this.#now = now;
    this.#current = historyFigure({});
  }

  /** The per-epoch series recorded so far (numbers). */
  get history(): Record<string, number[]> {
    return this.#history;
  }

  /** Counters of what was sent. */
  stats(): LiveCurvesStats {
    return { ...this.#stats };
  }

  /** The figure as it stands (the final frame's figure after training). */
  figure(): Figure {
    return this.#current;
  }

  /** Whether outputs can go anywhere: a kernel, or a sink of the caller's. */
  get #live(): boolean {
    return inKernel() || this.#sink !== display;
  }

  /** Shows the first (empty) frame and resets the state. */
  override async onTrainBegin(_logs?: UnresolvedLogs): Promise<void> {
    this.#history = {};
    this.#batchLoss = [];
    this.#batchesPerEpoch = 0;
    this.#epochsDone = 0;
    this.#last = -Infinity;
    this.#broken = false;
    this.#stats = freshStats();
    this.#id = this.#options.displayId ??
      `live-curves-${crypto.randomUUID().slice(0, 8)}-${++this.#runs}`;
    const t = this.#now();
    this.#current = this.#build();
    if (this.#live) {
      const bundle = this.#lightBundle(this.#current);
      bundle["text/plain"] = "Training… waiting for the first epoch";
      await this.#send(bundle, false);
    }
    this.#stats.busyMs += this.#now() - t;
  }

  /** Records the epoch's logs and redraws (throttled). */
  override async onEpochEnd(_epoch: number, logs?: UnresolvedLogs): Promise<void> {
    const resolved = await resolveLogs(logs);
    this.#epochsDone++;
    for (const [key, value] of Object.entries(resolved)) {
      if (typeof value === "number") (this.#history[key] ??= []).push(value);
    }
    await this.#redraw();
  }

  /** Counts the batch; records its loss and redraws (throttled) when `batches` is on. */
  override async onBatchEnd(batch: number, logs?: UnresolvedLogs): Promise<void> {
    await super.onBatchEnd(batch, logs);
    if (!this.#batches) return;
    const { loss } = await resolveLogs(logs);
    if (typeof loss !== "number") return;
    this.#batchLoss.push([this.#epochsDone, batch, loss]);
    this.#batchesPerEpoch = Math.max(this.#batchesPerEpoch, batch + 1);
    await this.#redraw();
  }

  /** Sends the final frame (interactive HTML, SVG, Plotly JSON, summary) with the markers. */
  override async onTrainEnd(_logs?: UnresolvedLogs): Promise<void> {
    const t = this.#now();
    try {
      this.#current = this.#build(this.#stopperMarkers());
      const include = this.#live && !plotlySent();
      const bundle = figureBundle(this.#current, { includePlotlyJs: include });
      this.#stats.finalBytes = await this.#send(bundle, this.#live);
      if (include) markPlotlySent();
    } catch (e) {
      await this.#fail(e);
    } finally {
      this.#stats.busyMs += this.#now() - t;
    }
  }

  /**
   * The stopper's markers, or none (with a warning and a note in the figure) when the
   * stopper watched another model or names epochs this run does not have.
   */
  #stopperMarkers(): Pick<HistoryFigureOptions, "stopper"> & { note?: string } {
    const stopper = this.#options.stopper;
    if (stopper === undefined) return {};
    let problem: string | undefined;
    const mine = this.model as unknown;
    const theirs = stopper.model;
    if (
      mine !== undefined && mine !== null && theirs !== undefined && theirs !== null &&
      theirs !== mine
    ) {
      problem = "the stopper was attached to another model";
    } else {
      for (const name of ["stoppedEpoch", "bestEpoch", "restoredEpoch"] as const) {
        const e = stopper[name];
        if (e !== undefined && (e < 0 || e >= this.#epochsDone)) {
          problem = `the stopper's ${name} (${e}) is not an epoch of this run ` +
            `(0…${this.#epochsDone - 1})`;
          break;
        }
      }
    }
    if (problem === undefined) {
      // Order-independent: the stopper may restore after this callback's onTrainEnd.
      const restored = stopper.restoredEpoch ??
        (stopper.restoreBestWeights ? stopper.bestEpoch : undefined);
      return { stopper: { ...pick(stopper), restoredEpoch: restored } };
    }
    const note = `liveCurves: ${problem}; no early-stopping markers drawn. ` +
      "Pass the earlyStopping callback of this same fit as `stopper`.";
    warn(note);
    return { note };
  }

  #build(markers: Pick<HistoryFigureOptions, "stopper"> & { note?: string } = {}): Figure {
    const { metrics, logY, colorBy, title, monitor, mode, width, height } = this.#options;
    const fig = historyFigure(this.#history, {
      metrics,
      logY,
      colorBy,
      title,
      monitor,
      mode,
      width,
      height,
      maxPoints: this.#maxPoints,
      stopper: markers.stopper,
    });
    if (markers.note !== undefined) {
      fig.layout.annotations = [...(fig.layout.annotations ?? []), {
        text: markers.note.replace("liveCurves: ", ""),
        x: 0,
        y: -0.25,
        xref: "paper",
        yref: "paper",
        showarrow: false,
        xanchor: "left",
        font: { size: 10, color: "#d62728" },
      }];
    }
    const shown = (fig.layout.meta?.metrics ?? []) as string[];
    const lossPlot = shown.indexOf("loss");
    if (this.#batches && this.#batchLoss.length > 0 && lossPlot >= 0) {
      const per = Math.max(1, this.#batchesPerEpoch);
      // Batch b of epoch e (0-based) ends at e + (b + 1) / per on the 1-based epoch axis.
      const xs = this.#batchLoss.map(([e, b]) => Math.round((e + (b + 1) / per) * 1e4) / 1e4);
      const { x, y } = decimate(xs, this.#batchLoss.map(([, , v]) => v), this.#maxPoints);
      fig.data.unshift({
        type: "scatter",
        mode: "lines",
        name: "loss (batch)",
        x,
        y: y.map((v) => (v === null ? null : roundValue(v, 4))),
        xaxis: lossPlot === 0 ? "x" : `x${lossPlot + 1}`,
        yaxis: lossPlot === 0 ? "y" : `y${lossPlot + 1}`,
        line: { color: "#aaaaaa", width: 1 },
      });
    }
    return fig;
  }

  async #send(bundle: MimeBundle, update: boolean): Promise<number> {
    const bytes = JSON.stringify(bundle).length;
    await this.#sink(bundle, { displayId: this.#id, update });
    this.#stats.sent++;
    return bytes;
  }

  #lightBundle(fig: Figure): MimeBundle {
    const bundle = figureBundle(fig, { html: false });
    bundle["text/plain"] = `Training… epoch ${this.#epochsDone}\n${figureSummary(fig)}`;
    return bundle;
  }

  async #redraw(): Promise<void> {
    if (this.#broken) return;
    const t = this.#now();
    if (t - this.#last < this.#throttleMs) {
      this.#stats.throttled++;
      return;
    }
    this.#last = t;
    try {
      this.#current = this.#build();
      if (!this.#live) return; // a terminal cannot update in place
      const bytes = await this.#send(this.#lightBundle(this.#current), true);
      this.#stats.maxUpdateBytes = Math.max(this.#stats.maxUpdateBytes, bytes);
    } catch (e) {
      this.#broken = true;
      await this.#fail(e);
    } finally {
      this.#stats.busyMs += this.#now() - t;
    }
  }

  /** Records the error and shows it in the dashboard's output; training goes on. */
  async #fail(e: unknown): Promise<void> {
    this.#stats.error = e instanceof Error ? e.message : String(e);
    await this.#sink(
      { "text/plain": `liveCurves: ${this.#stats.error}` },
      { displayId: this.#id, update: true },
    ).catch(() => {});
  }
}

/**
 * A live learning-curves dashboard for `model.fit`.
 *
 * @param options Metrics, throttle, batch curves, and the `stopper` whose epochs the
 *   final frame marks.
 * @returns A callback for `model.fit(..., { callbacks })`.
 * @throws When `throttleMs` is negative.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { earlyStopping, liveCurves } from "@lib";
 * await tf.setBackend("cpu");
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
 * const xs = tf.tensor2d([[0], [1], [2], [3]]);
 * const ys = tf.tensor2d([[1], [3], [5], [7]]);
 * const stopper = earlyStopping({ patience: 2 });
 * await model.fit(xs, ys, {
 *   epochs: 5,
 *   validationSplit: 0.25,
 *   verbose: 0,
 *   callbacks: [stopper, liveCurves({ stopper })],
 * });
 * ```
 */
export function liveCurves(options: LiveCurvesOptions = {}): LiveCurves {
  return new LiveCurves(options);
}
