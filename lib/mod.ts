/**
 * The one entry the notebooks import (`import { … } from "@lib"`).
 *
 * - `core/`     the floor: output channel, History model, formatting, CSV, mean ± sd.
 * - `backend/`  choose and report the tfjs backend (WebGPU, WASM, CPU).
 * - `callbacks/` Keras-parity training callbacks.
 * - `data/`     seeded loaders for the data sets the lessons use.
 * - `display/`  figures, tables and outputs that survive headless runs.
 * - `io/`       saving and loading models on the local file system.
 * - `optim/`    learning-rate schedules, the learning-rate finder, AdamW.
 * - `exercises/` self-checking exercises (`checkAnswer` and its matchers).
 *
 * @module
 */
export * from "./core/mod.ts";
export * from "./backend/mod.ts";
export * from "./callbacks/mod.ts";
export * from "./data/mod.ts";
export * from "./display/mod.ts";
export * from "./io/mod.ts";
export * from "./optim/mod.ts";
export * from "./exercises/mod.ts";
