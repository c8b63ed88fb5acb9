// @ts-nocheck-disabled
// ---- cell imports
import * as tf from "@tensorflow/tfjs";
import {
  display,
  fitStandardizer,
  lineFigure,
  loadMnist,
  plot,
  selectBackend,
  setRandomSeed,
  show,
  noisyLinear,
  terminateOnNaN,
  trainTestSplit,
} from "@lib";
// ---- cell setup
const SEED = 42;
setRandomSeed(SEED);
await show(await selectBackend());
// ---- cell data
const digits = await loadMnist({ count: 2500, seed: SEED });
const split = trainTestSplit(digits.x, digits.y, { testFraction: 0.2, seed: SEED });
const [xTrain, yTrain, xVal, yVal] = [split.xTrain, split.yTrain, split.xTest, split.yTest];
await show(`train ${xTrain.shape[0]}, validation ${xVal.shape[0]} digits`);
// ---- cell model
function buildModel(): tf.Sequential {
  const init = (i: number) => tf.initializers.glorotUniform({ seed: SEED + i });
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 64, activation: "relu", inputShape: [784], kernelInitializer: init(1) }),
      tf.layers.dense({ units: 10, activation: "softmax", kernelInitializer: init(2) }),
    ],
  });
}
/** The loss `fit` uses for `loss: "categoricalCrossentropy"`: mean over the batch. */
const lossFn = (y: tf.Tensor, p: tf.Tensor) => tf.metrics.categoricalCrossentropy(y, p).mean() as tf.Scalar;
// ---- cell step
/** One training step on the given rows of the training set; returns the batch's loss. */
async function trainStep(model: tf.Sequential, optimizer: tf.Optimizer, rows: number[]): Promise<number> {
  const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const loss = tf.tidy(() => {
    const idx = tf.tensor1d(rows, "int32");
    const [xb, yb] = [tf.gather(xTrain, idx), tf.gather(yTrain, idx)];
    const { value, grads } = tf.variableGrads( // forward pass and loss, then their gradients
      () => lossFn(yb, model.apply(xb, { training: true }) as tf.Tensor), weights);
    optimizer.applyGradients(grads); // the update: w ← w − step(gradient)
    return value;
  });
  const [value] = await loss.data();
  loss.dispose();
  return value;
}
// ---- cell validate
async function validate(model: tf.Sequential): Promise<number> {
  const loss = tf.tidy(() => lossFn(yVal, model.predict(xVal) as tf.Tensor));
  const [value] = await loss.data();
  loss.dispose();
  return value;
}
// ---- cell loop
type EpochHook = (i: number, logs: tf.Logs) => unknown;
interface Hooks { onTrainBegin?: () => unknown; onTrainEnd?: () => unknown; onEpochBegin?: EpochHook; onEpochEnd?: EpochHook; onBatchBegin?: EpochHook; onBatchEnd?: EpochHook }
async function trainByHand(model: tf.Sequential, optimizer: tf.Optimizer, epochs: number, batchSize: number, hooks: Hooks = {}) {
  const history: Record<string, number[]> = { loss: [], val_loss: [] };
  const n = xTrain.shape[0];
  const order = Array.from({ length: n }, (_, i) => i);
  await hooks.onTrainBegin?.();
  for (let epoch = 0; epoch < epochs; epoch++) {
    await hooks.onEpochBegin?.(epoch, {});
    tf.util.shuffle(order); // in place, each epoch, as fit does
    let lossSum = 0;
    for (let start = 0, batch = 0; start < n; start += batchSize, batch++) {
      const rows = order.slice(start, start + batchSize);
      await hooks.onBatchBegin?.(batch, { size: rows.length });
      const loss = await trainStep(model, optimizer, rows);
      lossSum += loss * rows.length;
      await hooks.onBatchEnd?.(batch, { size: rows.length, loss });
    }
    const logs = { loss: lossSum / n, val_loss: await validate(model) };
    for (const key of ["loss", "val_loss"] as const) history[key].push(logs[key]);
    await hooks.onEpochEnd?.(epoch, logs);
  }
  await hooks.onTrainEnd?.();
  return history;
}
// ---- cell hand-run
const printer = (label: string) => ({
  onEpochEnd: async (epoch: number, logs?: tf.Logs) => {
    await show(`${label} epoch ${epoch + 1}: loss ${logs!.loss.toFixed(6)}, val_loss ${logs!.val_loss.toFixed(6)}`);
  },
});
setRandomSeed(SEED); // restart Math.random, so the shuffles match the fit run below
const handModel = buildModel();
const handHistory = await trainByHand(handModel, tf.train.adam(1e-3), 4, 64, printer("by hand"));
// ---- cell fit-run
setRandomSeed(SEED);
const fitModel = buildModel();
fitModel.compile({ optimizer: tf.train.adam(1e-3), loss: "categoricalCrossentropy" });
const fitHistory = await fitModel.fit(xTrain, yTrain, {
  epochs: 4, batchSize: 64, validationData: [xVal, yVal], verbose: 0, callbacks: printer("fit    "),
});
// ---- cell compare
const gap = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
const lossGap = gap(handHistory.loss, fitHistory.history.loss as number[]);
const valGap = gap(handHistory.val_loss, fitHistory.history.val_loss as number[]);
const fitWeights = fitModel.getWeights();
const weightGaps = handModel.getWeights().map((w, i) => tf.max(tf.abs(w.sub(fitWeights[i]))).data());
const weightGap = Math.max(...(await Promise.all(weightGaps)).map((d) => d[0]));
await show(
  `largest loss difference ${lossGap.toExponential(1)}; largest val_loss difference ` +
    `${valGap.toExponential(1)}; largest weight difference ${weightGap.toExponential(1)}`,
);
// ---- cell batch
const accuracy = async (m: tf.Sequential) => {
  const acc = tf.tidy(() => tf.metrics.categoricalAccuracy(yVal, m.predict(xVal) as tf.Tensor).mean());
  const [value] = await acc.data();
  acc.dispose();
  return value;
};
const sizes = [8, 32, 128, 512];
const batchRows: { size: number; perSecond: number; peakKB: number; valAcc: number }[] = [];
for (const size of sizes) {
  setRandomSeed(SEED);
  const model = buildModel();
  const optimizer = tf.train.adam(1e-3);
  const step = () => tf.tidy(() => {
    const [xb, yb] = [xTrain.slice(0, size), yTrain.slice(0, size)];
    optimizer.minimize(() => lossFn(yb, model.apply(xb, { training: true }) as tf.Tensor));
  });
  step(); // the first step also creates Adam's state; measure the second
  const inUse = tf.memory().numBytes;
  const peakKB = ((await tf.profile(step)).peakBytes - inUse) / 1024;
  const start = performance.now();
  await trainByHand(model, optimizer, 3, size);
  const perSecond = (3 * xTrain.shape[0]) / ((performance.now() - start) / 1000);
  batchRows.push({ size, perSecond, peakKB, valAcc: await accuracy(model) });
}
await display({
  "text/markdown": "| batch size | examples / s | peak memory of a step | validation accuracy |\n|---|---|---|---|\n" +
    batchRows.map((r) => `| ${r.size} | ${r.perSecond.toFixed(0)} | ${r.peakKB.toFixed(0)} KB | ${(100 * r.valAcc).toFixed(1)}% |`).join("\n"),
  "text/plain": batchRows.map((r) =>
    `batch ${r.size}: ${r.perSecond.toFixed(0)} examples/s, peak ${r.peakKB.toFixed(0)} KB, validation accuracy ${(100 * r.valAcc).toFixed(1)}%`).join("\n"),
});
// ---- cell batch-plot
await plot(lineFigure(sizes, [
  { name: "examples per second", y: batchRows.map((r) => r.perSecond) },
], { title: "Throughput by batch size", xTitle: "batch size", yTitle: "examples / s" }));
// ---- cell memory
const x = tf.randomNormal([100, 100], 0, 1, "float32", SEED);
const count = () => tf.memory().numTensors;
let before = count();
for (let i = 0; i < 100; i++) await x.square().sum().data(); // two new tensors per round, never freed
const leaked = count() - before;
before = count();
for (let i = 0; i < 100; i++) {
  const total = tf.tidy(() => x.square().sum()); // tidy frees `square`, keeps what it returns
  await total.data();
  total.dispose();
}
const tidied = count() - before;
before = count();
for (let i = 0; i < 100; i++) { const s = x.square(); const t = s.sum(); await t.data(); tf.dispose([s, t]); }
const disposed = count() - before;
await show(`tensors left behind after 100 rounds: without tidy ${leaked}; with tf.tidy ${tidied}; with dispose ${disposed}`);
// ---- cell leak
const loopModel = buildModel();
const loopOptimizer = tf.train.adam(1e-3);
await trainByHand(loopModel, loopOptimizer, 1, 256); // creates the optimizer's state once
const beforeEpoch = count();
await trainByHand(loopModel, loopOptimizer, 1, 256);
await show(`tensors before one more epoch ${beforeEpoch}, after ${count()}: difference ${count() - beforeEpoch}`);
// ---- cell mistake-shape
const labels = tf.tensor2d(digits.labels.slice(0, 64), [64, 1]);
const shapeModel = buildModel();
shapeModel.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
try {
  await shapeModel.fit(digits.x.slice(0, 64), labels, { epochs: 1, verbose: 0 });
} catch (error) {
  await show(`fit refused: ${(error as Error).message}`);
}
await show("Fix: one-hot labels (loadMnist's y), or loss \"sparseCategoricalCrossentropy\" with integer labels.");
// ---- cell mistake-split
try {
  trainTestSplit(digits.x, digits.y.slice(0, 100));
} catch (error) {
  await show((error as Error).message);
}
try {
  await fitStandardizer(tf.tensor2d([[1, 2], [NaN, 3]]));
} catch (error) {
  await show((error as Error).message);
}
// ---- cell mistake-nan
const line = noisyLinear({ n: 200, seed: SEED });
const holed = await line.x.buffer();
holed.set(NaN, 150, 0); // one missing value in row 150
const regression = (lr: number) => {
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
  m.compile({ optimizer: tf.train.sgd(lr), loss: "meanSquaredError" });
  return m;
};
const nanStop = terminateOnNaN({ verbose: 0 });
await regression(0.05).fit(holed.toTensor(), line.y, { epochs: 20, batchSize: 32, verbose: 0, callbacks: [nanStop] });
await show(`NaN data: terminateOnNaN stopped at epoch ${nanStop.terminatedAt![0] + 1}, batch ${nanStop.terminatedAt![1] + 1}`);
// ---- cell mistake-lr
const lrStop = terminateOnNaN({ verbose: 0 });
const wild = await regression(10).fit(line.x, line.y, { epochs: 50, batchSize: 32, verbose: 0, callbacks: [lrStop] });
await show(
  `learning rate 10: loss after epoch 1 ${(wild.history.loss[0] as number).toExponential(1)}; ` +
    `terminateOnNaN stopped at epoch ${lrStop.terminatedAt![0] + 1} of 50`,
);
