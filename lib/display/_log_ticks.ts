/**
 * Ticks of a log axis (private), one rule for both renderers: the static SVG draws these
 * ticks, and `figureBundle` hands the same choice to Plotly (`dtick`, or `tickvals` with
 * `ticktext`), so both label the same values.
 *
 * Every label is a value a learner reads correctly. Plotly's own minor labels, a bare
 * "2" and "5" between the decades, read as the values 2 and 5 where they mean 0.02 or
 * 500, so they are never drawn: an axis with three or more decades in view is labelled
 * at the decades only; a shorter one at values written in full (`0.05`, `200`).
 *
 * @module
 */
import { formatNumber } from "../core/format.ts";

/** A tick: its value, where it sits (log10 of the value), and its label. */
export interface LogTick {
  value: number;
  at: number;
  label: string;
}

/** How a log axis is labelled: every `every`-th decade, or at the values listed. */
export type LogTickPlan =
  | { kind: "decades"; every: number; ticks: LogTick[] }
  | { kind: "values"; ticks: LogTick[] };

/** Most decade labels on one axis; more decades get every 2nd, 3rd, … one. */
const MAX_DECADES = 8;

/** Sets of leading digits, sparsest first, tried until one gives three labels. */
const MANTISSAS = [[1, 2, 5], [1, 2, 3, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]];

/**
 * The ticks of a log axis showing log10 values `lo` to `hi`.
 *
 * - Three or more decades in view: the decades alone, as powers of ten (`10⁻³`, `1`,
 *   `10`, `10²`), every `every`-th one so at most {@linkcode MAX_DECADES} show, at
 *   multiples of `every` (Plotly's `tick0 = 0`).
 * - Fewer: values m·10ᵉ with m from the sparsest digit set in {@linkcode MANTISSAS} that
 *   gives three labels, written in full by `formatNumber` (`0.3`, `0.5`, `1`; `20`, `50`),
 *   or as `2·10⁷`, `5·10⁻⁴` where the full value would be a long row of digits.
 * - Narrower still (under about a third of a decade): evenly spaced values.
 */
export function logTicks(lo: number, hi: number): LogTickPlan {
  const first = Math.ceil(lo - 1e-9);
  const last = Math.floor(hi + 1e-9);
  if (last - first + 1 >= 3) {
    const every = Math.max(1, Math.ceil((hi - lo) / MAX_DECADES));
    const ticks: LogTick[] = [];
    for (let e = Math.ceil(first / every) * every; e <= last; e += every) {
      ticks.push({ value: tenTo(e), at: e, label: powerOfTen(e) });
    }
    return { kind: "decades", every, ticks };
  }
  for (const mantissas of MANTISSAS) {
    const ticks: LogTick[] = [];
    for (let e = first - 1; e <= last; e++) {
      for (const m of mantissas) {
        // m / 10^-e, not m * 10^e: 3 / 10 is the double nearest 0.3, 3 * 0.1 is not.
        const value = e < 0 ? m / 10 ** -e : m * 10 ** e;
        const at = Math.log10(value);
        if (at >= lo - 1e-9 && at <= hi + 1e-9) {
          ticks.push({ value, at, label: mantissaLabel(m, e, value) });
        }
      }
    }
    if (ticks.length >= 3) return { kind: "values", ticks };
  }
  return { kind: "values", ticks: linearTicks(10 ** lo, 10 ** hi) };
}

/**
 * The label of m·10ᵉ: in full (`0.05`, `200`, `50000`) unless that takes more than
 * five digits, then `m·10ᵉ` (`2·10⁷`, `5·10⁻⁴`), as Plotly's "power" format writes it.
 */
function mantissaLabel(m: number, e: number, value: number): string {
  if (e >= -3 && e <= 4) return formatNumber(value);
  return m === 1 ? powerOfTen(e) : `${m}·${powerOfTen(e)}`;
}

/** About four evenly spaced values from `vlo` to `vhi`, placed at their logarithms. */
function linearTicks(vlo: number, vhi: number): LogTick[] {
  const raw = (vhi - vlo) / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
  const ticks: LogTick[] = [];
  for (let i = Math.ceil(vlo / step - 1e-9); i * step <= vhi * (1 + 1e-12); i++) {
    const value = i * step;
    ticks.push({ value, at: Math.log10(value), label: formatNumber(value, { step }) });
  }
  return ticks;
}

/** 10^e, exact for negative e too (1 / 1000 rather than 10 ** -3 = 0.0010000000000000002). */
function tenTo(e: number): number {
  return e < 0 ? 1 / 10 ** -e : 10 ** e;
}

const SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";

/**
 * 10^e as Plotly writes it with `exponentformat: "power"` (which `figureBundle` sets on
 * every log axis), so the static frame reads like the interactive plot: `1`, `10`, `10²`,
 * `10⁻¹²`. Not SI prefixes (`1p`, `100T` mean nothing to a learner reading a loss), and
 * not `1e-12`, which is how code writes a number, not how a chart shows one.
 */
function powerOfTen(e: number): string {
  if (e === 0) return "1";
  if (e === 1) return "10";
  return `10${String(e).replace(/-|\d/g, (c) => c === "-" ? "⁻" : SUPERSCRIPT[Number(c)])}`;
}
