/**
 * Argument checks the figure builders and renderers share (private): each throws an error
 * that names the function, the argument, what it got and what to pass, instead of letting
 * a missing array surface later as `Cannot read properties of undefined`.
 *
 * @module
 */
import type { Figure } from "./figure.ts";

/** A short description of a value for an error message: `undefined`, `an array of 3`, …. */
export function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    return `a ${value.constructor.name} of ${(value as unknown as ArrayLike<unknown>).length}`;
  }
  if (typeof value === "object") {
    const shape = (value as { shape?: unknown }).shape;
    if (typeof (value as { dataSync?: unknown }).dataSync === "function") {
      return `a tensor of shape [${Array.isArray(shape) ? shape.join(", ") : "?"}]`;
    }
    const keys = Object.keys(value);
    return keys.length > 0 ? `an object with keys ${keys.slice(0, 6).join(", ")}` : "{}";
  }
  if (typeof value === "string") return `the string ${JSON.stringify(value.slice(0, 40))}`;
  return `${typeof value} ${String(value)}`;
}

/** Whether a value is an array or a typed array (what the builders read as a series). */
export function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/**
 * Throw unless `value` is an array or typed array.
 *
 * @param value The argument.
 * @param where The call and the argument, e.g. `"lineFigure(x, y): x"`.
 * @param expected What it should be and what to do, e.g. `"an array of numbers, one per y"`.
 */
export function checkArray(
  value: unknown,
  where: string,
  expected: string,
): asserts value is ArrayLike<unknown> {
  if (isArrayLike(value)) return;
  const tensor = typeof (value as { dataSync?: unknown } | undefined)?.dataSync === "function";
  throw new TypeError(
    `${where} is ${describe(value)}, expected ${expected}.` +
      (tensor ? " Read a tensor's values first: `await t.data()` or `t.dataSync()`." : ""),
  );
}

/**
 * Throw unless `figure` looks like a Plotly figure `{ data: [traces], layout }`.
 *
 * @param figure The argument.
 * @param fn The function that received it, e.g. `"plot"`.
 */
export function checkFigure(figure: unknown, fn: string): asserts figure is Figure {
  const hint = `Pass a figure from one of the builders, e.g. ${fn}(lineFigure(x, y)).`;
  if (typeof figure !== "object" || figure === null || Array.isArray(figure)) {
    throw new TypeError(
      `${fn}(figure): expected a Plotly figure { data: [...], layout: {...} }, got ` +
        `${describe(figure)}. ${hint}`,
    );
  }
  const { data, layout } = figure as { data?: unknown; layout?: unknown };
  if (!Array.isArray(data)) {
    throw new TypeError(
      `${fn}(figure): figure.data is ${describe(data)}, expected an array of traces ` +
        `(the figure is ${describe(figure)}). ${hint}`,
    );
  }
  if (layout !== undefined && (typeof layout !== "object" || layout === null)) {
    throw new TypeError(
      `${fn}(figure): figure.layout is ${describe(layout)}, expected an object (or none).`,
    );
  }
  data.forEach((t, i) => {
    if (typeof t !== "object" || t === null || typeof (t as { type?: unknown }).type !== "string") {
      throw new TypeError(
        `${fn}(figure): figure.data[${i}] is ${describe(t)}, expected a trace with a type ` +
          `("scatter", "bar", "heatmap", "contour" or "image").`,
      );
    }
  });
}

/**
 * Throw unless `value` is `[lo, hi]`: two finite numbers.
 *
 * @param value The argument.
 * @param where The call and the argument, e.g. `"histogramFigure(values, options): options.range"`.
 */
export function checkRange(value: unknown, where: string): asserts value is [number, number] {
  if (
    isArrayLike(value) && value.length === 2 && Number.isFinite(value[0]) &&
    Number.isFinite(value[1])
  ) {
    return;
  }
  throw new RangeError(
    `${where} is ${describe(value)}${
      isArrayLike(value) ? ` (${Array.from(value).join(", ")})` : ""
    }, ` +
      "expected [lo, hi]: two finite numbers.",
  );
}
