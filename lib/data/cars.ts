/**
 * The `cars.json` data set from the npm package `vega-datasets` (406 cars from
 * 1970–1982: miles per gallon, horsepower, weight, …), read from the installed package.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { readPackageFile } from "./_package_file.ts";

/** One car as stored in `cars.json`; `null` marks a missing value. */
export interface CarRow {
  Name: string;
  Miles_per_Gallon: number | null;
  Cylinders: number;
  Displacement: number;
  Horsepower: number | null;
  Weight_in_lbs: number;
  Acceleration: number;
  /** Model year as an ISO date string, e.g. "1970-01-01". */
  Year: string;
  Origin: string;
}

/** Numeric columns of {@linkcode CarRow} usable as features or target. */
export type CarColumn =
  | "Miles_per_Gallon"
  | "Cylinders"
  | "Displacement"
  | "Horsepower"
  | "Weight_in_lbs"
  | "Acceleration";

/** Options of {@linkcode loadCars}. */
export interface LoadCarsOptions {
  /** Feature columns, in order. @default {["Horsepower"]} */
  features?: CarColumn[];
  /** Target column. @default {"Miles_per_Gallon"} */
  target?: CarColumn;
  /**
   * What to do with rows missing a feature or the target: `"drop"` them (they are
   * listed in `dropped`) or `"error"`.
   * @default {"drop"}
   */
  missing?: "drop" | "error";
}

/** The loaded cars: tensors for training and the rows behind them. */
export interface Cars {
  /** Features, `[rows, features.length]`, in file order (sorted by model year). */
  x: tf.Tensor2D;
  /** Target, `[rows, 1]`. */
  y: tf.Tensor2D;
  /** The rows used, in the same order as `x` and `y`. */
  rows: CarRow[];
  /** Rows left out because a feature or the target was missing. */
  dropped: CarRow[];
  features: CarColumn[];
  target: CarColumn;
}

const COLUMNS: readonly CarColumn[] = [
  "Miles_per_Gallon",
  "Cylinders",
  "Displacement",
  "Horsepower",
  "Weight_in_lbs",
  "Acceleration",
];

/**
 * Load `cars.json` from the installed `vega-datasets` package as feature and target
 * tensors. Rows with a missing value in a chosen column (8 cars lack MPG, 6 lack
 * horsepower) are dropped and reported, never silently turned into 0 or NaN.
 *
 * The file is sorted by model year, so the last rows are the newest, most efficient
 * cars: split with a shuffle (`trainTestSplit`), not `validationSplit`.
 *
 * Introduced in lesson 01 (MPG from horsepower and weight; the `validationSplit` trap).
 *
 * @param options `features`, `target`, `missing`.
 * @returns `{ x, y, rows, dropped, features, target }`.
 * @example
 * ```ts
 * import { loadCars } from "@lib";
 * const cars = await loadCars({ features: ["Horsepower", "Weight_in_lbs"] });
 * console.log(cars.x.shape, cars.dropped.length); // [392, 2] 14
 * ```
 */
export async function loadCars(options: LoadCarsOptions = {}): Promise<Cars> {
  const { features = ["Horsepower"], target = "Miles_per_Gallon", missing = "drop" } = options;
  for (const column of [...features, target]) {
    if (!COLUMNS.includes(column)) {
      throw new Error(
        `loadCars(): unknown column "${column}". Numeric columns are: ${COLUMNS.join(", ")}.`,
      );
    }
  }
  if (features.length === 0) {
    throw new Error(`loadCars(): features is empty. Pass at least one, e.g. ["Horsepower"].`);
  }
  const text = await readPackageFile("vega-datasets", "../data/cars.json", "loadCars()");
  const all = JSON.parse(text) as CarRow[];
  const complete = (row: CarRow) =>
    [...features, target].every((c) => typeof row[c] === "number" && Number.isFinite(row[c]));
  const rows = all.filter(complete);
  const dropped = all.filter((row) => !complete(row));
  if (missing === "error" && dropped.length > 0) {
    throw new Error(
      `loadCars(): ${dropped.length} cars miss a value in ${[...features, target].join(", ")} ` +
        `(first: "${dropped[0].Name}"). Pass { missing: "drop" } to leave them out.`,
    );
  }
  return {
    x: tf.tensor2d(rows.map((r) => features.map((c) => r[c] as number))),
    y: tf.tensor2d(rows.map((r) => [r[target] as number])),
    rows,
    dropped,
    features: [...features],
    target,
  };
}
