/**
 * Matrices as colour: a general heatmap (weight matrices, tensors) and the confusion
 * matrix of a classifier. Large matrices are average-pooled to a cap so the output stays
 * small.
 *
 * @module
 */
import type { ColorScale, Figure } from "./figure.ts";
import { roundValue } from "./figure.ts";
import { WHITE_BLUE } from "./_color.ts";
import { checkArray } from "./_check.ts";

/** Options of {@linkcode heatmapFigure}. */
export interface HeatmapFigureOptions {
  /** Figure title. @default {undefined} */
  title?: string;
  /** Column labels (x), one per column. @default {undefined} (column index) */
  x?: string[];
  /** Row labels (y), one per row. @default {undefined} (row index) */
  y?: string[];
  /** x axis title. @default {undefined} */
  xTitle?: string;
  /** y axis title. @default {undefined} */
  yTitle?: string;
  /** Colour scale. @default {"Viridis"} */
  colorscale?: ColorScale;
  /** Colour scale bounds. @default {undefined} (data range) */
  zmin?: number;
  /** Colour scale bounds. @default {undefined} (data range) */
  zmax?: number;
  /** Write each cell's value in it (only when there are at most 400 cells). @default {false} */
  showValues?: boolean;
  /** Most rows or columns kept; larger matrices are average-pooled. @default {100} */
  maxSide?: number;
  /** Draw row 0 at the top, as matrices are written. @default {true} */
  rowsDown?: boolean;
  /** Width in px. @default {560} */
  width?: number;
  /** Height in px. @default {480} */
  height?: number;
}

/**
 * Shrink a matrix to at most `maxSide` rows and columns by averaging blocks (non-finite
 * cells are ignored; a block with none finite becomes `null`).
 *
 * @param z Rows of numbers.
 * @param maxSide Most rows or columns kept.
 * @returns The pooled matrix and the block size used per axis.
 * @example
 * ```ts
 * import { poolMatrix } from "@lib/display/heatmap_figure.ts";
 * const { z } = poolMatrix([[1, 3], [5, 7]], 1);
 * console.log(z); // [ [ 4 ] ]
 * ```
 */
export function poolMatrix(
  z: ArrayLike<ArrayLike<number | null>>,
  maxSide: number,
): { z: Array<Array<number | null>>; blockRows: number; blockCols: number } {
  const rows = z.length;
  const cols = rows > 0 ? z[0].length : 0;
  const blockRows = Math.max(1, Math.ceil(rows / maxSide));
  const blockCols = Math.max(1, Math.ceil(cols / maxSide));
  const outRows = Math.ceil(rows / blockRows);
  const outCols = Math.ceil(cols / blockCols);
  const out: Array<Array<number | null>> = [];
  for (let r = 0; r < outRows; r++) {
    const row: Array<number | null> = [];
    for (let c = 0; c < outCols; c++) {
      let sum = 0;
      let n = 0;
      for (let i = r * blockRows; i < Math.min(rows, (r + 1) * blockRows); i++) {
        for (let j = c * blockCols; j < Math.min(cols, (c + 1) * blockCols); j++) {
          const v = z[i][j];
          if (v === null || !Number.isFinite(v)) continue;
          sum += v;
          n++;
        }
      }
      row.push(n === 0 ? null : roundValue(sum / n, 4));
    }
    out.push(row);
  }
  return { z: out, blockRows, blockCols };
}

/**
 * A heatmap of a matrix.
 *
 * @param z Rows of numbers (`z[row][column]`); NaN/Infinity show as empty cells.
 * @param options Labels, colour scale, value labels, size cap.
 * @returns A Plotly figure.
 * @throws When `z` is not rows of numbers, rows differ in length or labels do not match the
 *   matrix.
 * @example
 * ```ts
 * import { heatmapFigure } from "@lib/display/mod.ts";
 * const fig = heatmapFigure([[1, 2], [3, 4]], { showValues: true });
 * console.log(fig.data[0].type); // "heatmap"
 * ```
 */
export function heatmapFigure(
  z: ArrayLike<ArrayLike<number | null>>,
  options: HeatmapFigureOptions = {},
): Figure {
  const {
    title,
    x,
    y,
    xTitle,
    yTitle,
    colorscale = "Viridis",
    zmin,
    zmax,
    showValues = false,
    maxSide = 100,
    rowsDown = true,
    width = 560,
    height = 480,
  } = options;
  checkArray(z, "heatmapFigure(z): z", "rows of numbers, z[row][column]");
  const rows = z.length;
  for (let r = 0; r < rows; r++) {
    checkArray(z[r], `heatmapFigure(z): row ${r}`, "an array of numbers");
  }
  const cols = rows > 0 ? z[0].length : 0;
  if (x !== undefined) checkArray(x, "heatmapFigure(z, options): options.x", "column labels");
  if (y !== undefined) checkArray(y, "heatmapFigure(z, options): options.y", "row labels");
  for (let r = 0; r < rows; r++) {
    if (z[r].length !== cols) {
      throw new Error(
        `heatmapFigure(): row ${r} has ${z[r].length} values but row 0 has ${cols}. ` +
          "Pass a rectangular matrix (every row the same length).",
      );
    }
  }
  if ((x && x.length !== cols) || (y && y.length !== rows)) {
    throw new Error(
      `heatmapFigure(): the matrix is ${rows}×${cols} but got ${y?.length ?? rows} row labels ` +
        `and ${x?.length ?? cols} column labels. Pass one label per row (y) and per column (x).`,
    );
  }
  const pooled = poolMatrix(z, maxSide);
  const wasPooled = pooled.blockRows > 1 || pooled.blockCols > 1;
  const values = pooled.z;
  const cells = values.length * (values[0]?.length ?? 0);
  return {
    data: [{
      type: "heatmap",
      z: values,
      ...(x && !wasPooled ? { x } : {}),
      ...(y && !wasPooled ? { y } : {}),
      colorscale,
      ...(zmin !== undefined ? { zmin } : {}),
      ...(zmax !== undefined ? { zmax } : {}),
      ...(showValues && cells <= 400 ? { texttemplate: "%{z}" } : {}),
    }],
    layout: {
      ...(title ? { title: { text: title } } : {}),
      width,
      height,
      xaxis: { ...(xTitle ? { title: { text: xTitle } } : {}), showgrid: false },
      yaxis: {
        ...(yTitle ? { title: { text: yTitle } } : {}),
        showgrid: false,
        ...(rowsDown ? { autorange: "reversed" as const } : {}),
      },
      meta: {
        kind: "heatmap",
        rows,
        cols,
        ...(wasPooled ? { pooled: [pooled.blockRows, pooled.blockCols] } : {}),
      },
    },
  };
}

/**
 * Count (true class, predicted class) pairs.
 *
 * @param labels True class of each example (integers from 0).
 * @param predictions Predicted class of each example.
 * @param classes Number of classes. @default {1 + the largest class seen}
 * @returns `matrix[true][predicted]` counts.
 * @throws When the arrays differ in length or hold a class outside `[0, classes)`.
 * @example
 * ```ts
 * import { confusionMatrix } from "@lib/display/mod.ts";
 * console.log(confusionMatrix([0, 1, 1], [0, 1, 0])); // [ [ 1, 0 ], [ 1, 1 ] ]
 * ```
 */
export function confusionMatrix(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  classes?: number,
): number[][] {
  checkArray(labels, "confusionMatrix(labels, predictions): labels", "an array of class ids");
  checkArray(
    predictions,
    "confusionMatrix(labels, predictions): predictions",
    "an array of class ids (e.g. argMax(-1) of the model's output, read with await t.data())",
  );
  if (labels.length !== predictions.length) {
    throw new Error(
      `confusionMatrix(): ${labels.length} labels but ${predictions.length} predictions. ` +
        "Pass one prediction per label (e.g. argMax(-1) of the model's output).",
    );
  }
  let n = classes ?? 0;
  if (classes === undefined) {
    for (let i = 0; i < labels.length; i++) n = Math.max(n, labels[i] + 1, predictions[i] + 1);
  }
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i];
    const p = predictions[i];
    if (!(Number.isInteger(t) && Number.isInteger(p) && t >= 0 && p >= 0 && t < n && p < n)) {
      throw new Error(
        `confusionMatrix(): example ${i} has label ${t} and prediction ${p}, outside 0..${
          n - 1
        }. Pass integer class ids (argMax of one-hot vectors), and \`classes\` if it is fixed.`,
      );
    }
    m[t][p]++;
  }
  return m;
}

/** Options of {@linkcode confusionMatrixFigure}. */
export interface ConfusionMatrixOptions {
  /** Class names, one per class. @default {"0", "1", …} */
  classNames?: string[];
  /** Show each row as fractions of its true class instead of counts. @default {false} */
  normalize?: boolean;
  /** Figure title. @default {"Confusion matrix (accuracy …)"} */
  title?: string;
  /** Width in px. @default {520} */
  width?: number;
  /** Height in px. @default {480} */
  height?: number;
}

/**
 * A confusion matrix: true class down, predicted class across, counts in the cells.
 *
 * @param matrix `matrix[true][predicted]` counts, e.g. from {@linkcode confusionMatrix}.
 * @param options Class names, normalisation, title.
 * @returns A Plotly figure; the title reports accuracy.
 * @throws When `matrix` is not square, or there is not one class name per class.
 * @example
 * ```ts
 * import { confusionMatrixFigure } from "@lib/display/mod.ts";
 * const fig = confusionMatrixFigure([[5, 1], [2, 8]], { classNames: ["cat", "dog"] });
 * console.log(fig.layout.title?.text); // "Confusion matrix (accuracy 81.3%)"
 * ```
 */
export function confusionMatrixFigure(
  matrix: number[][],
  options: ConfusionMatrixOptions = {},
): Figure {
  checkArray(matrix, "confusionMatrixFigure(matrix): matrix", "counts matrix[true][predicted]");
  const n = matrix.length;
  matrix.forEach((row, i) => {
    checkArray(row, `confusionMatrixFigure(matrix): row ${i}`, `an array of ${n} counts`);
    if (row.length !== n) {
      throw new RangeError(
        `confusionMatrixFigure(matrix): row ${i} has ${row.length} counts but there are ${n} ` +
          "rows. Pass a square matrix[true][predicted], e.g. from confusionMatrix().",
      );
    }
  });
  const { classNames = Array.from({ length: n }, (_, i) => String(i)), normalize = false } =
    options;
  if (classNames.length !== n) {
    throw new Error(
      `confusionMatrixFigure(): ${classNames.length} class names for a ${n}×${n} matrix. ` +
        "Pass one name per class.",
    );
  }
  let total = 0;
  let correct = 0;
  matrix.forEach((row, i) =>
    row.forEach((v, j) => {
      total += v;
      if (i === j) correct += v;
    })
  );
  const accuracy = total === 0 ? 0 : correct / total;
  const { title = `Confusion matrix (accuracy ${(accuracy * 100).toFixed(1)}%)` } = options;
  const z = normalize
    ? matrix.map((row) => {
      const s = row.reduce((a, b) => a + b, 0);
      return row.map((v) => (s === 0 ? 0 : roundValue(v / s, 3) ?? 0));
    })
    : matrix;
  const { width = 520, height = 480 } = options;
  const figure = heatmapFigure(z, {
    title,
    x: classNames,
    y: classNames,
    xTitle: "predicted",
    yTitle: "true",
    colorscale: WHITE_BLUE,
    zmin: 0,
    showValues: true,
    width,
    height,
  });
  figure.layout.meta = { kind: "confusion", classes: n, total, accuracy };
  return figure;
}
