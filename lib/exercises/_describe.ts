/**
 * Naming what a learner handed in, so that a hint can say "you passed a tensor" rather
 * than "wrong". Private to `lib/exercises`; no tfjs import (a tensor is recognised by
 * its shape, dtype and `data()` method).
 *
 * @module
 */
import { formatNumber } from "../core/format.ts";

/** What a tfjs tensor looks like from outside: enough to name it in a hint. */
export interface TensorLike {
  shape: number[];
  dtype: string;
  data(): Promise<unknown>;
}

/** Whether `value` looks like a tfjs tensor (or variable). */
export function isTensorLike(value: unknown): value is TensorLike {
  return value !== null && typeof value === "object" && "shape" in value &&
    Array.isArray((value as TensorLike).shape) && "dtype" in value &&
    typeof (value as TensorLike).data === "function";
}

/** Whether `value` is a Promise (or any thenable): an answer someone forgot to `await`. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") &&
    typeof (value as PromiseLike<unknown>).then === "function";
}

/** `[2, 3]` → `"[2, 3]"`. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/**
 * The shape of a nested array of numbers (`[[1, 2], [3, 4]]` → `[2, 2]`; a typed array
 * is one-dimensional), or a sentence saying why it has none (ragged rows, an entry that
 * is not a number), naming the entry: `"entry [0][1] is the string \"2\", not a number"`.
 */
export function arrayShape(value: unknown, at = ""): number[] | string {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return [(value as unknown as ArrayLike<number>).length];
  }
  if (!Array.isArray(value)) {
    return typeof value === "number"
      ? []
      : `entry ${at || "[]"} is ${describe(value)}, not a number`;
  }
  if (value.length === 0) return [0];
  const inner = value.map((v, i) => arrayShape(v, `${at}[${i}]`));
  const problem = inner.find((s) => typeof s === "string");
  if (problem !== undefined) return problem;
  const first = inner[0] as number[];
  for (let i = 1; i < inner.length; i++) {
    const s = inner[i] as number[];
    if (shapeText(s) !== shapeText(first)) {
      return `its rows differ: ${at}[0] has shape ${shapeText(first)}, ${at}[${i}] has shape ${
        shapeText(s)
      }`;
    }
  }
  return [value.length, ...first];
}

/**
 * A few words naming a value for a hint: `the number 0.25`, `NaN`, `the string "0.5"`,
 * `a float32 tensor of shape [2, 3]`, `an array of shape [3]`, `undefined`, …
 */
export function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "number") {
    return Number.isNaN(value) ? "NaN" : `the number ${formatNumber(value)}`;
  }
  if (typeof value === "string") {
    return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value)}`;
  }
  if (typeof value === "bigint") return `the bigint ${value}n`;
  if (typeof value === "boolean") return `the boolean ${value}`;
  if (typeof value === "function") return "a function";
  if (isTensorLike(value)) return `a ${value.dtype} tensor of shape ${shapeText(value.shape)}`;
  if (isThenable(value)) return "a Promise";
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return `a ${value.constructor.name} of length ${
      (value as unknown as ArrayLike<number>).length
    }`;
  }
  if (Array.isArray(value)) {
    const shape = arrayShape(value);
    return typeof shape === "string"
      ? `an array (${shape})`
      : `an array of shape ${shapeText(shape)}`;
  }
  const name = (value as object).constructor?.name;
  return name && name !== "Object" ? `a ${name} object` : "an object";
}

/**
 * The hint for an answer of the wrong kind, naming what it is and how to get what the
 * exercise wants; `null` when `value` is not one of the usual mistakes.
 *
 * @param value The answer.
 * @param wanted What the exercise expects, e.g. `"one number"`.
 * @param read How to turn a tensor into it, e.g. `"(await t.data())[0]"`.
 */
export function wrongKindHint(value: unknown, wanted: string, read: string): string | null {
  const got = describe(value);
  if (value === undefined) {
    return `Got undefined; expected ${wanted}. Did the cell assign the answer before passing it?`;
  }
  if (isThenable(value)) {
    return `Got a Promise; expected ${wanted}. Add \`await\` (e.g. \`await t.data()\`).`;
  }
  if (isTensorLike(value)) {
    return `Got ${got}; expected ${wanted}. Read its values first: \`${read}\`.`;
  }
  if (typeof value === "string") {
    return `Got ${got}; expected ${wanted}. Pass the value itself, not text (\`Number(s)\`).`;
  }
  return null;
}
