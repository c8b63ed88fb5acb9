/**
 * A live training dashboard: a tfjs callback that draws the learning curves
 * once and redraws the same output in place as epochs (optionally batches) end,
 * throttled to a few updates per second, and ends with a full static + interactive
 * frame (the one saved in the notebook).
 *
 * In-place updates carry the Plotly JSON, the static SVG and a text summary (about
 * 10–20 kB); only the final frame carries `text/html` (and plotly.js, if no earlier
 * output of this session did), so a long run never sends megabytes per update.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Figure } from "./figure.ts";
import { decimate, DEFAULT_MAX_POINTS } from "./figure.ts";
import { historyFigure, type HistoryFigureOptions } from "./history_figure.ts";
import { figureBundle, figureSummary } from "./plot.ts";
import { markPlotlySent, plotlySent } from "./plotly_js.ts";
import { display, type DisplayOptions, inKernel, type MimeBundle } from "../core/output.ts";

/** Logs tfjs passes to callbacks: metric name → value. */
export type TrainingLogs = Record<string, number | tf.Scalar>;

/** Where the dashboard's outputs go: `display` from output.ts unless told otherwise. */
export type OutputSink = (bundle: MimeBundle, options: DisplayOptions) => Promise<void>;

/** Epochs that training-helper callbacks report, for the final frame's markers. */
export interface FinalMarkers {
  /** Epoch (1-based) at which early stopping ended training. */
  stoppedEpoch?: number;
  /** Epoch (1-based) whose weights were restored. */
  restoredEpoch?: number;
}

/** Options of {@linkcode liveCurves}. */
export interface LiveCurvesOptions extends
  Pick<
    HistoryFigureOptions,
    "metrics" | "logY" | "title" | "monitor" | "mode" | "width" | "height"
  > {
  /** Least time between two in-place updates, in ms (final frame is always sent). @default {250} */
  throttleMs?: number;
  /** Also plot the loss of every batch (thin line) and update on batch ends. @default {false} */
  batches?: boolean;
  /** Most points per series in the figure. @default {2000} */
  maxPoints?: number;
  /**
   * Markers for the final frame (early stop, restored weights), or a function read at
   * the end of training (e.g. `() => ({ stoppedEpoch: stopper.stoppedEpoch })`).
   * @default {undefined}
   */
  finalMarkers?: FinalMarkers | (() => FinalMarkers);
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

/** The dashboard's state machine behind {@linkcode LiveCurves} (private). */
interface LiveCurvesImpl {
  onTrainBegin: () => Promise<void>;
  onEpochEnd: (epoch: number, logs?: TrainingLogs) => Promise<void>;
  onBatchEnd: (batch: number, logs?: TrainingLogs) => Promise<void>;
  onTrainEnd: () => Promise<void>;
  history: () => Record<string, number[]>;
  stats: () => LiveCurvesStats;
  figure: () => Figure;
}

/**
 * The callback {@linkcode liveCurves} returns: a `tf.Callback` whose hooks are bound, so
 * it works anywhere in a `callbacks` list — tfjs uses a list as `tf.Callback`s when its
 * first item is one, and otherwise wraps every item as a plain hook object.
 */
export class LiveCurves extends tf.Callback {
  #impl: LiveCurvesImpl;

  /**
   * @param options See {@linkcode LiveCurvesOptions}.
   */
  constructor(options: LiveCurvesOptions = {}) {
    super();
    this.#impl = dashboard(options);
    this.onTrainBegin = this.onTrainBegin.bind(this);
    this.onEpochEnd = this.onEpochEnd.bind(this);
    this.onBatchEnd = this.onBatchEnd.bind(this);
    this.onTrainEnd = this.onTrainEnd.bind(this);
  }

  /** Shows the first (empty) frame and resets the state. */
  override async onTrainBegin(_logs?: TrainingLogs): Promise<void> {
    await this.#impl.onTrainBegin();
  }

  /** Records the epoch's logs and redraws (throttled). */
  override async onEpochEnd(epoch: number, logs?: TrainingLogs): Promise<void> {
    await this.#impl.onEpochEnd(epoch, logs);
  }

  /** Records the batch loss and redraws (throttled), when `batches` is on. */
  override async onBatchEnd(batch: number, logs?: TrainingLogs): Promise<void> {
    await this.#impl.onBatchEnd(batch, logs);
  }

  /** Sends the final frame (interactive HTML, SVG, Plotly JSON, summary). */
  override async onTrainEnd(_logs?: TrainingLogs): Promise<void> {
    await this.#impl.onTrainEnd();
  }

  /** The per-epoch series recorded so far. */
  get history(): Record<string, number[]> {
    return this.#impl.history();
  }

  /** Counters of what was sent. */
  stats(): LiveCurvesStats {
    return this.#impl.stats();
  }

  /** The figure as it stands (the final frame's figure after training). */
  figure(): Figure {
    return this.#impl.figure();
  }
}

/**
 * A live learning-curves dashboard for `model.fit`.
 *
 * @param options Metrics, throttle, batch curves, final markers.
 * @returns A `tf.Callback` (hooks bound); reusable across `fit` calls (state resets on train begin).
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { liveCurves } from "@lib/display/mod.ts";
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
 * const xs = tf.tensor2d([[0], [1], [2], [3]]);
 * const ys = tf.tensor2d([[1], [3], [5], [7]]);
 * await model.fit(xs, ys, { epochs: 5, validationSplit: 0.25, verbose: 0, callbacks: [liveCurves()] });
 * ```
 */
export function liveCurves(options: LiveCurvesOptions = {}): LiveCurves {
  return new LiveCurves(options);
}

function dashboard(options: LiveCurvesOptions): LiveCurvesImpl {
  const {
    throttleMs = 250,
    batches = false,
    maxPoints = DEFAULT_MAX_POINTS,
    finalMarkers,
    sink = display,
    now = () => performance.now(),
    ...figureOptions
  } = options;
  let history: Record<string, number[]> = {};
  let batchLoss: Array<[number, number, number]> = []; // [epoch, batch, loss]
  let batchesPerEpoch = 0;
  let epoch = 0;
  let id = "";
  let last = -Infinity;
  let stopped = false;
  let stats: LiveCurvesStats = fresh();
  let current: Figure = historyFigure({});
  let runs = 0;

  function fresh(): LiveCurvesStats {
    return { sent: 0, throttled: 0, maxUpdateBytes: 0, finalBytes: 0, busyMs: 0 };
  }

  function build(markers: FinalMarkers = {}): Figure {
    const fig = historyFigure(history, { ...figureOptions, maxPoints, ...markers });
    const lossPlot = Math.max(0, (figureOptions.metrics ?? ["loss"]).indexOf("loss"));
    if (batches && batchLoss.length > 0 && (figureOptions.metrics ?? ["loss"]).includes("loss")) {
      const per = Math.max(1, batchesPerEpoch);
      const xs = batchLoss.map(([e, b]) => Math.round((e + (b + 1) / per) * 1e4) / 1e4);
      const { x, y } = decimate(xs, batchLoss.map(([, , v]) => v), maxPoints);
      fig.data.unshift({
        type: "scatter",
        mode: "lines",
        name: "loss (batch)",
        x,
        y: y.map((v) => (v === null || !Number.isFinite(v) ? null : Number(v.toPrecision(4)))),
        xaxis: lossPlot === 0 ? "x" : `x${lossPlot + 1}`,
        yaxis: lossPlot === 0 ? "y" : `y${lossPlot + 1}`,
        line: { color: "#aaaaaa", width: 1 },
      });
    }
    return fig;
  }

  async function send(bundle: MimeBundle, update: boolean): Promise<number> {
    const bytes = JSON.stringify(bundle).length;
    await sink(bundle, { displayId: id, update });
    stats.sent++;
    return bytes;
  }

  function lightBundle(fig: Figure): MimeBundle {
    const bundle = figureBundle(fig, { html: false });
    bundle["text/plain"] = `Training… epoch ${epoch}\n${figureSummary(fig)}`;
    return bundle;
  }

  async function redraw(force: boolean): Promise<void> {
    if (stopped) return;
    const t = now();
    if (!force && t - last < throttleMs) {
      stats.throttled++;
      return;
    }
    last = t;
    try {
      current = build();
      if (!inKernel() && sink === display) return; // a terminal cannot update in place
      const bytes = await send(lightBundle(current), true);
      stats.maxUpdateBytes = Math.max(stats.maxUpdateBytes, bytes);
    } catch (e) {
      stopped = true;
      stats.error = e instanceof Error ? e.message : String(e);
      await sink({ "text/plain": `liveCurves: ${stats.error}` }, { displayId: id, update: true })
        .catch(() => {});
    } finally {
      stats.busyMs += now() - t;
    }
  }

  return {
    history: () => history,
    stats: () => ({ ...stats }),
    figure: () => current,
    onTrainBegin: async () => {
      history = {};
      batchLoss = [];
      batchesPerEpoch = 0;
      epoch = 0;
      last = -Infinity;
      stopped = false;
      stats = fresh();
      id = options.displayId ?? `live-curves-${crypto.randomUUID().slice(0, 8)}-${++runs}`;
      const t = now();
      current = build();
      if (inKernel() || sink !== display) {
        const bundle = lightBundle(current);
        bundle["text/plain"] = "Training… waiting for the first epoch";
        await send(bundle, false);
      }
      stats.busyMs += now() - t;
    },
    onEpochEnd: async (e: number, logs: TrainingLogs = {}) => {
      epoch = e + 1;
      for (const [key, value] of Object.entries(logs)) {
        const v = await scalarOf(value);
        if (v !== undefined) (history[key] ??= []).push(v);
      }
      await redraw(false);
    },
    onBatchEnd: async (batch: number, logs: TrainingLogs = {}) => {
      if (!batches) return;
      const loss = await scalarOf(logs.loss);
      if (loss === undefined) return;
      batchLoss.push([epoch, batch, loss]);
      batchesPerEpoch = Math.max(batchesPerEpoch, batch + 1);
      await redraw(false);
    },
    onTrainEnd: async () => {
      const t = now();
      const markers = typeof finalMarkers === "function" ? finalMarkers() : finalMarkers;
      try {
        current = build(markers);
        const include = (inKernel() || sink !== display) && !plotlySent();
        const bundle = figureBundle(current, { includePlotlyJs: include });
        stats.finalBytes = await send(bundle, id !== "" && (inKernel() || sink !== display));
        if (include) markPlotlySent();
      } catch (e) {
        stats.error = e instanceof Error ? e.message : String(e);
        await sink({ "text/plain": `liveCurves: ${stats.error}` }, { displayId: id, update: true })
          .catch(() => {});
      } finally {
        stats.busyMs += now() - t;
      }
    },
  };
}

/**
 * A log value as a number: tfjs hands plain hook objects numbers, but hands `tf.Callback`s
 * scalar tensors (disposed right after the hook), so read them before returning.
 */
async function scalarOf(value: unknown): Promise<number | undefined> {
  if (typeof value === "number") return value;
  if (value !== null && typeof value === "object" && "data" in value) {
    const data = await (value as { data(): Promise<ArrayLike<number>> }).data();
    return data.length > 0 ? Number(data[0]) : undefined;
  }
  return undefined;
}
