/**
 * Keras's `CSVLogger`: one row per epoch written to a CSV file as training runs.
 *
 * @module
 */
import { csvLine, parseCsv } from "../core/csv.ts";
import { warn } from "./_log.ts";
import { TrainingCallback } from "./training_callback.ts";
import { resolveLogs, type UnresolvedLogs } from "../core/history.ts";

/** Options of {@linkcode csvLogger}. */
export interface CsvLoggerOptions {
  /** Column separator. @default {","} */
  separator?: string;
  /**
   * Add rows to an existing file (its header decides the columns) instead of
   * starting a new one — for resumed training.
   * @default {false}
   */
  append?: boolean;
}

/** Writes epoch logs to CSV. See {@linkcode csvLogger}. */
export class CsvLogger extends TrainingCallback {
  /** The CSV file. */
  readonly path: string;
  readonly separator: string;
  readonly append: boolean;
  /** Columns of the file (after the first row is known). */
  columns: string[] | undefined = undefined;
  #pending: string[] | undefined = undefined;
  #warned = false;

  /**
   * @param path CSV file to write.
   * @param options `separator`, `append`.
   */
  constructor(path: string, options: CsvLoggerOptions = {}) {
    super();
    if (typeof path !== "string" || path.trim() === "" || path.includes("\0")) {
      throw new Error(`csvLogger: invalid file path ${JSON.stringify(path)}.`);
    }
    const { separator = ",", append = false } = options;
    if (separator.length === 0) throw new Error("csvLogger: `separator` must not be empty.");
    this.path = path;
    this.separator = separator;
    this.append = append;
  }

  /**
   * Opens the file (fails here, before training, if it cannot be written) and fixes
   * the columns from the metrics `fit` announces, validation ones included, so the
   * header is right even though the first rows are written before any `val_` key
   * could be seen.
   */
  override async onTrainBegin(_logs?: UnresolvedLogs): Promise<void> {
    this.columns = undefined;
    this.#warned = false;
    let existing = "";
    if (this.append) {
      existing = await Deno.readTextFile(this.path).catch(() => "");
    }
    const header = parseCsv(existing.split("\n")[0], this.separator)[0];
    if (this.append && header !== undefined && header.join("").trim() !== "") {
      this.columns = header;
      if (!existing.endsWith("\n")) await this.#write("\n", true);
    } else {
      await this.#write("", false);
    }
    const metrics = this.params?.metrics;
    this.#pending = Array.isArray(metrics) ? ["epoch", ...(metrics as string[])] : undefined;
  }

  /** Appends the epoch's row (completed epochs only). */
  override async onEpochEnd(epoch: number, logs?: UnresolvedLogs): Promise<void> {
    const resolved = await resolveLogs(logs);
    if (!this.epochCompleted()) return;
    const row: Record<string, number> = { epoch, ...resolved };
    let text = "";
    if (this.columns === undefined) {
      // Announced metrics first (in fit's order), then keys other callbacks added
      // (e.g. learning_rate), so the header does not depend on callback order.
      const announced = this.#pending ?? ["epoch"];
      const extra = Object.keys(row).filter((k) => !announced.includes(k)).sort();
      this.columns = [...announced, ...extra];
      text += csvLine(this.columns, this.separator) + "\n";
    }
    const unknown = Object.keys(row).filter((k) => !this.columns!.includes(k));
    if (unknown.length > 0 && !this.#warned) {
      this.#warned = true;
      warn(`csvLogger: keys ${unknown.join(", ")} are not columns of ${this.path}; not logged.`);
    }
    text += csvLine(this.columns.map((c) => row[c]), this.separator) + "\n";
    await this.#write(text, true);
  }

  async #write(text: string, append: boolean): Promise<void> {
    try {
      await Deno.writeTextFile(this.path, text, { append, create: true });
    } catch (error) {
      throw new Error(
        `csvLogger: cannot write "${this.path}" (${
          error instanceof Error ? error.message : error
        }). ` +
          "Choose a file in a writable folder.",
      );
    }
  }
}

/**
 * Stream epoch results to a CSV file: one header, one row per completed epoch
 * (0-based `epoch` column first, as Keras), `NA` for a missing value — the format
 * `historyToCsv` writes and `historyFromCsv` / `loadHistory` read.
 *
 * @param path File to write (replaced, or appended to with `append: true`).
 * @param options `separator`, `append`.
 * @returns A callback for `model.fit(..., { callbacks })`.
 * @throws For an empty path; from `fit`, before training, when the file cannot be written.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { csvLogger } from "@lib";
 * await tf.setBackend("cpu");
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
 * const xs = tf.tensor2d([[0], [1]]), ys = tf.tensor2d([[1], [3]]);
 * const file = await Deno.makeTempFile({ suffix: ".csv" });
 * await model.fit(xs, ys, { epochs: 3, verbose: 0, callbacks: [csvLogger(file)] });
 * console.log(await Deno.readTextFile(file)); // epoch,loss\n0,…\n1,…\n2,…
 * ```
 */
export function csvLogger(path: string, options: CsvLoggerOptions = {}): CsvLogger {
  return new CsvLogger(path, options);
}
