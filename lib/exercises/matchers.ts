/**
 * Matchers: ready-made `check` functions for {@linkcode exercise}. Each one accepts the
 * right answer, and for anything else returns a hint that names what was handed in
 * (a tensor, a Promise, NaN, an array of the wrong shape) before saying how the value
 * is off.
 *
 * @module
 */
import { formatNumber } from "../core/format.ts";
import { arrayShape, describe, shapeText, wrongKindHint } from "./_describe.ts";
import type { Check } from "./check.ts";

/** Options of {@linkcode closeTo} and {@linkcode allClose}. */
export interface CloseToOptions {
  /**
   * Relative tolerance: an answer `a` is right when `|a − expected| ≤ atol + rtol·|expected|`
   * (NumPy's `isclose`). The default allows float32 arithmetic of a short computation.
   * @default {1e-3}
   */
  rtol?: number;
  /** Absolute tolerance, for expected values at or near zero. @default {1e-6} */
  atol?: number;
  /**
   * What to think about when the answer is a number of the right kind but the wrong
   * value; appended to the matcher's own words ("too large", "wrong sign").
   * @default {undefined} (the matcher's words only)
   */
  hint?: string;
}

/** `|a − e| ≤ atol + rtol·|e|`. */
function near(a: number, e: number, rtol: number, atol: number): boolean {
  return Math.abs(a - e) <= atol + rtol * Math.abs(e);
}

/** How a finite number misses the expected one, in words that do not give it away. */
function howOff(a: number, e: number, rtol: number, atol: number): string {
  if (e !== 0 && near(-a, e, rtol, atol)) return "right in size but of the wrong sign";
  if (a !== 0 && e !== 0) {
    const sign = Math.sign(a) === Math.sign(e) ? "" : ", and of the wrong sign";
    const ratio = Math.abs(a / e);
    for (const k of [2, 3, 4, 10]) {
      if (near(ratio, k, 1e-2, 0)) return `${k}× too large${sign}: a constant factor is extra?`;
      if (near(ratio, 1 / k, 1e-2, 0)) {
        return `${k}× too small${sign}: a constant factor is missing?`;
      }
    }
  }
  return a > e ? "too large" : "too small";
}

/** Why a number is not finite, in words (`"NaN: somewhere a 0/0 …"`), or `null` when it is. */
function nonFinite(a: number): string | null {
  if (Number.isNaN(a)) {
    return "NaN: somewhere a 0/0, ∞ − ∞ or a NaN input crept in. Print the intermediate values";
  }
  if (!Number.isFinite(a)) return `${a}: something overflowed or divided by zero`;
  return null;
}

function withHint(text: string, hint: string | undefined): string {
  const sentence = /[.?!]$/.test(text) ? text : `${text}.`;
  return hint === undefined ? sentence : `${sentence} ${hint}`;
}

/**
 * A check that accepts one number within tolerance of `expected`.
 *
 * @param expected The right answer.
 * @param options `rtol` (default 1e-3), `atol` (default 1e-6), `hint` for wrong values.
 * @returns A check for {@linkcode exercise}.
 * @example
 * ```ts
 * import { closeTo } from "@lib";
 * const check = closeTo(0.5, { hint: "The derivative of x² is 2x." });
 * console.log(check(0.5)); // true
 * console.log(check(1)); // 1 is 2× too large: a constant factor is extra? The derivative of x² is 2x.
 * ```
 */
export function closeTo(expected: number, options: CloseToOptions = {}): Check {
  const { rtol = 1e-3, atol = 1e-6, hint } = options;
  if (!Number.isFinite(expected)) {
    throw new Error(`closeTo(): expected must be a finite number, got ${expected}.`);
  }
  return (answer: unknown) => {
    const kind = wrongKindHint(answer, "one number", "(await t.data())[0]");
    if (kind !== null) return kind;
    if (typeof answer !== "number") {
      const many = Array.isArray(answer) || ArrayBuffer.isView(answer);
      return `Got ${describe(answer)}; expected one number.` +
        (many ? " Pick the entry the question asks for." : "");
    }
    const bad = nonFinite(answer);
    if (bad !== null) return `Got ${bad}.`;
    if (near(answer, expected, rtol, atol)) return true;
    return withHint(`${formatNumber(answer)} is ${howOff(answer, expected, rtol, atol)}`, hint);
  };
}

/** Nested arrays of numbers: `number[]`, `number[][]`, … */
export type NestedNumbers = number | readonly NestedNumbers[];

function flatten(value: unknown): number[] {
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.flatMap(flatten);
  return [value as number];
}

/** Flat index → `[i][j]` text for an array of this shape. */
function indexText(flat: number, shape: readonly number[]): string {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(flat % shape[d]);
    flat = Math.floor(flat / shape[d]);
  }
  return idx.map((i) => `[${i}]`).join("");
}

/**
 * A check that accepts an array (nested for matrices, or a typed array for a vector) of
 * the same shape as `expected`, every entry within tolerance.
 *
 * @param expected The right answer, e.g. a 2×3 matrix as `[[…], […]]`.
 * @param options `rtol` (default 1e-3), `atol` (default 1e-6), `hint` for wrong values.
 * @returns A check for {@linkcode exercise}.
 * @example
 * ```ts
 * import { allClose } from "@lib";
 * const check = allClose([[1, 2], [3, 4]]);
 * console.log(check([[1, 2], [3, 4]])); // true
 * console.log(check([1, 2, 3, 4])); // Got shape [4]; expected shape [2, 2]. …
 * ```
 */
export function allClose(expected: NestedNumbers, options: CloseToOptions = {}): Check {
  const { rtol = 1e-3, atol = 1e-6, hint } = options;
  const shape = arrayShape(expected);
  if (typeof shape === "string") throw new Error(`allClose(): expected is not a grid: ${shape}.`);
  if (shape.length === 0) throw new Error("allClose(): expected is one number; use closeTo().");
  const want = flatten(expected);
  if (!want.every(Number.isFinite)) {
    throw new Error("allClose(): every expected entry must be a finite number.");
  }
  const wanted = `an array of shape ${shapeText(shape)}`;
  return (answer: unknown) => {
    const kind = wrongKindHint(answer, wanted, "await t.array()");
    if (kind !== null) return kind;
    const got = Array.isArray(answer) || ArrayBuffer.isView(answer) ? arrayShape(answer) : "";
    if (typeof got === "string") return `Got ${describe(answer)}; expected ${wanted}.`;
    if (shapeText(got) !== shapeText(shape)) {
      const same = got.reduce((a, b) => a * b, 1) === want.length;
      return `Got shape ${shapeText(got)}; expected shape ${shapeText(shape)}.` +
        (same ? " Same number of entries: reshape (or transpose?) it." : "");
    }
    const values = flatten(answer);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) return `Entry ${indexText(bad, shape)} is ${nonFinite(values[bad])}.`;
    const wrong = values.flatMap((v, i) => near(v, want[i], rtol, atol) ? [] : [i]);
    if (wrong.length === 0) return true;
    const i = wrong[0];
    return withHint(
      `${wrong.length} of ${values.length} entries are off; the first, ${indexText(i, shape)} = ` +
        `${formatNumber(values[i])}, is ${howOff(values[i], want[i], rtol, atol)}`,
      hint,
    );
  };
}

/**
 * A check that accepts exactly `expected` (`===`): a count, an index, a word, a boolean.
 *
 * @param expected The right answer.
 * @param options `hint` for a wrong answer of the right type.
 * @returns A check for {@linkcode exercise}.
 * @example
 * ```ts
 * import { equals } from "@lib";
 * const check = equals(3, { hint: "Count the layers with weights." });
 * console.log(check(3), check("3")); // true Got the string "3"; expected a number.
 * ```
 */
export function equals(
  expected: number | string | boolean,
  options: { hint?: string } = {},
): Check {
  const { hint } = options;
  const type: string = typeof expected;
  const sameType = (answer: unknown) => typeof answer === typeof expected;
  return (answer: unknown) => {
    if (answer === expected) return true;
    if (!sameType(answer)) {
      const kind = wrongKindHint(answer, `a ${type}`, "(await t.data())[0]");
      if (kind !== null && typeof answer !== "string") return kind;
      return `Got ${describe(answer)}; expected a ${type}.`;
    }
    if (typeof answer === "number" && Number.isNaN(answer)) return `Got ${nonFinite(answer)}.`;
    return withHint(`${JSON.stringify(answer)} is not it`, hint);
  };
}
