/**
 * The report {@linkcode selectBackend} returns: which backend runs, why the others
 * did not, and the details that matter for speed (SIMD, threads, adapter).
 *
 * @module
 */
import { JUPYTER_DISPLAY, type MimeBundle } from "../core/output.ts";
import { escapeHtml } from "../core/html.ts";
import { textTable } from "../core/text_table.ts";

/** A backend {@linkcode selectBackend} can choose. */
export type BackendName = "webgpu" | "wasm" | "cpu";

/** What happened to one backend during selection. */
export interface BackendAttempt {
  /** The backend. */
  backend: BackendName;
  /** `chosen`, `skipped` (not usable here), `failed` (tried and broke) or `not tried`. */
  outcome: "chosen" | "skipped" | "failed" | "not tried";
  /** Why, in one sentence. */
  reason: string;
}

/** The facts a {@linkcode BackendReport} holds. */
export interface BackendReportData {
  backend: BackendName;
  attempts: BackendAttempt[];
  /** WebAssembly SIMD in use (`null` unless `wasm` runs). */
  simd: boolean | null;
  /** Threads the backend computes with (`null` for `webgpu`). */
  threads: number | null;
  /** WebGPU adapter description (`null` unless `webgpu` runs). */
  adapter: string | null;
  /** tfjs version, e.g. `"4.22.0"`. */
  tfjsVersion: string;
  /** Anything else worth knowing (capped thread counts, binaries). */
  notes: string[];
  /** Milliseconds selection took. */
  elapsedMs: number;
}

/** The facts of a {@linkcode BackendReport} are its fields (declared once, above). */
export interface BackendReport extends BackendReportData {}

/**
 * Outcome of backend selection. Prints as plain text (`String(report)`) and shows as an
 * HTML table in a notebook (`await show(report)`).
 *
 * @example
 * ```ts
 * import { BackendReport } from "@lib";
 * const report = new BackendReport({
 *   backend: "cpu",
 *   attempts: [{ backend: "cpu", outcome: "chosen", reason: "asked for" }],
 *   simd: null, threads: 1, adapter: null, tfjsVersion: "4.22.0", notes: [], elapsedMs: 1,
 * });
 * console.log(report.toString());
 * ```
 */
export class BackendReport {
  /** @param data The facts to report; they become the report's fields. */
  constructor(data: BackendReportData) {
    Object.assign(this, data);
  }

  /** One line: the backend and its speed-relevant details. */
  get summary(): string {
    const details: string[] = [];
    if (this.simd !== null) details.push(`SIMD ${this.simd ? "on" : "off"}`);
    if (this.threads !== null) {
      details.push(`${this.threads} thread${this.threads === 1 ? "" : "s"}`);
    }
    if (this.adapter !== null) details.push(this.adapter);
    return `${this.backend}${details.length ? ` (${details.join(", ")})` : ""}`;
  }

  /** Plain-text report, several lines. */
  toString(): string {
    const attempts = textTable([], this.attempts.map((a) => [a.backend, a.outcome, a.reason]), {
      align: ["left", "left", "left"],
      indent: "  ",
    });
    const lines = [
      `Backend: ${this.summary} — tfjs ${this.tfjsVersion}, chosen in ${
        Math.round(this.elapsedMs)
      } ms`,
      ...(attempts ? [attempts] : []),
      ...this.notes.map((n) => `  note: ${n}`),
    ];
    return lines.join("\n");
  }

  /** Plain data, for JSON. */
  toJSON(): BackendReportData {
    return { ...this };
  }

  /** HTML table (and the plain text) for Jupyter. */
  [JUPYTER_DISPLAY](): MimeBundle {
    const color = {
      chosen: "#1a7f37",
      skipped: "#6e7781",
      failed: "#cf222e",
      "not tried": "#6e7781",
    };
    const rows = this.attempts.map((a) =>
      `<tr><td><code>${a.backend}</code></td>` +
      `<td style="color:${color[a.outcome]};font-weight:${a.outcome === "chosen" ? 600 : 400}">` +
      `${a.outcome}</td><td style="text-align:left">${escapeHtml(a.reason)}</td></tr>`
    ).join("");
    const notes = this.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("");
    const html = `<div class="backend-report">` +
      `<p><b>Backend:</b> ${escapeHtml(this.summary)} · tfjs ${escapeHtml(this.tfjsVersion)}` +
      ` · chosen in ${Math.round(this.elapsedMs)} ms</p>` +
      `<table><thead><tr><th>backend</th><th>outcome</th><th style="text-align:left">why</th>` +
      `</tr></thead><tbody>${rows}</tbody></table>` +
      (notes ? `<ul>${notes}</ul>` : "") + `</div>`;
    return { "text/html": html, "text/plain": this.toString() };
  }
}
