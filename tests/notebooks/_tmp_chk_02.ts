// @ts-nocheck-disabled
// ---- cell imports
import * as tf from "@tensorflow/tfjs";
import {
  compareRunsFigure,
  display,
  highDimLinear,
  historyFigure,
  loadMnist,
  plot,
  selectBackend,
  setRandomSeed,
  show,
  trainTestSplit,
  weightHistogramFigure,
} from "@lib";
// ---- cell setup
const SEED = 42;
setRandomSeed(SEED);
await show(await selectBackend());
// ---- cell d2l-data
const hdTrain = highDimLinear({ features: 200, n: 20, seed: 1 });
const hdTest = highDimLinear({ features: 200, n: 100, seed: 2 });
await show(`training x ${hdTrain.x.shape.join("×")}, test x ${hdTest.x.shape.join("×")}`);
// ---- cell d2l-train
async function linearRun(lambda: number) {
  const model = tf.sequential({
    layers: [tf.layers.dense({
      units: 1,
      inputShape: [200],
      kernelInitializer: tf.initializers.randomNormal({ stddev: 1, seed: SEED }),
      kernelRegularizer: lambda > 0 ? tf.regularizers.l2({ l2: lambda }) : undefined,
    })],
  });
  model.compile({ optimizer: tf.train.sgd(0.003), loss: "meanSquaredError", metrics: ["mse"] });
  const history = await model.fit(hdTrain.x, hdTrain.y, {
    epochs: 100, batchSize: 5, validationData: [hdTest.x, hdTest.y], verbose: 0,
  });
  const [norm] = await tf.norm(model.layers[0].getWeights()[0]).data();
  return { history, norm };
}
const plain = await linearRun(0);
const decayed = await linearRun(3);
// ---- cell d2l-result
const last = (h: tf.History, key: string) => (h.history[key].at(-1) as number);
await show(
  `no penalty: train mse ${last(plain.history, "mse").toExponential(2)}, test mse ` +
    `${last(plain.history, "val_mse").toExponential(2)}, ‖w‖ ${plain.norm.toFixed(2)}\n` +
    `L2 (λ = 3): train mse ${last(decayed.history, "mse").toExponential(2)}, test mse ` +
    `${last(decayed.history, "val_mse").toExponential(2)}, ‖w‖ ${decayed.norm.toFixed(2)}`,
);
await plot(compareRunsFigure(
  { "no penalty": plain.history, "L2 (λ = 3)": decayed.history },
  { metric: "mse", logY: true, title: "Train (solid) and test (dashed) error" },
));
// ---- cell mnist
const digits = await loadMnist({ count: 2500, seed: SEED });
const outer = trainTestSplit(digits.x, digits.y, { testFraction: 0.8, seed: SEED });
const inner = trainTestSplit(outer.xTest, outer.yTest, { testFraction: 0.5, seed: SEED });
const [xTrain, yTrain] = [outer.xTrain, outer.yTrain];
const [xVal, yVal, xTest, yTest] = [inner.xTrain, inner.yTrain, inner.xTest, inner.yTest];
await show(`train ${xTrain.shape[0]}, validation ${xVal.shape[0]}, test ${xTest.shape[0]} digits`);
// ---- cell build
interface Regularization { l2?: number; l1?: number; dropout?: number }
function buildNet({ l2 = 0, l1 = 0, dropout = 0 }: Regularization): tf.Sequential {
  const kernelRegularizer = l2 > 0 || l1 > 0 ? tf.regularizers.l1l2({ l1, l2 }) : undefined;
  const model = tf.sequential();
  for (let i = 0; i < 2; i++) {
    model.add(tf.layers.dense({
      units: 256, activation: "relu", kernelRegularizer,
      kernelInitializer: tf.initializers.glorotUniform({ seed: SEED + i }),
      ...(i === 0 ? { inputShape: [784] } : {}),
    }));
    if (dropout > 0) model.add(tf.layers.dropout({ rate: dropout }));
  }
  model.add(tf.layers.dense({ units: 10, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: SEED + 9 }) }));
  model.compile({ optimizer: tf.train.adam(0.001), loss: "categoricalCrossentropy", metrics: ["categoricalCrossentropy", "accuracy"] });
  return model;
}
// ---- cell none
const runs: Record<string, { model: tf.Sequential; history: tf.History }> = {};
async function train(name: string, reg: Regularization) {
  const model = buildNet(reg);
  const history = await model.fit(xTrain, yTrain, {
    epochs: 40, batchSize: 64, validationData: [xVal, yVal], verbose: 0,
  });
  runs[name] = { model, history };
}
await train("none", {});
const noneVal = runs.none.history.history.val_loss as number[];
const bestEpoch = noneVal.indexOf(Math.min(...noneVal)) + 1;
await show(
  `no regularization: validation loss is lowest at epoch ${bestEpoch} (${noneVal[bestEpoch - 1].toFixed(3)}) ` +
    `and ends at ${noneVal.at(-1)!.toFixed(3)}; training loss ends at ${last(runs.none.history, "loss").toFixed(4)}`,
);
// ---- cell none-plot
await plot(historyFigure(runs.none.history, { metrics: ["loss", "acc"], logY: true, title: "No regularization" }));
// ---- cell compare
const settings: Record<string, Regularization> = {
  L2: { l2: 1e-3 },
  L1: { l1: 1e-4 },
  dropout: { dropout: 0.5 },
  "L2 + dropout": { l2: 1e-3, dropout: 0.5 },
};
for (const [name, reg] of Object.entries(settings)) await train(name, reg);
await show(`trained: ${Object.keys(runs).join(", ")}`);
// ---- cell penalty
const l2Run = runs.L2;
const sumOfSquares = async (t: tf.Tensor) => (await tf.sum(tf.square(t)).data())[0];
let penalty = 0; // λ·Σw² over the two regularized (hidden) layers
for (const layer of l2Run.model.layers.slice(0, 2)) penalty += 1e-3 * await sumOfSquares(layer.getWeights()[0]);
const h = l2Run.history;
await show(
  `L2 run, last epoch: loss ${last(h, "loss").toFixed(4)}, categoricalCrossentropy ` +
    `${last(h, "categoricalCrossentropy").toFixed(4)}, difference ` +
    `${(last(h, "loss") - last(h, "categoricalCrossentropy")).toFixed(4)}; penalty λ·Σw² = ${penalty.toFixed(4)}\n` +
    `val_loss ${last(h, "val_loss").toFixed(4)} = val_categoricalCrossentropy ${last(h, "val_categoricalCrossentropy").toFixed(4)}`,
);
// ---- cell compare-plot
const histories = Object.fromEntries(Object.entries(runs).map(([name, r]) => [name, r.history]));
await plot(compareRunsFigure(histories, {
  metric: "categoricalCrossentropy", logY: true,
  title: "Cross-entropy without the penalty: train (solid) vs validation (dashed)",
}));
// ---- cell table
const rows = [];
for (const [name, { model, history }] of Object.entries(runs)) {
  const [, testCe, testAcc] = await Promise.all((model.evaluate(xTest, yTest) as tf.Scalar[]).map(async (t) => (await t.data())[0]));
  const kernels = model.layers.filter((l) => l.getClassName() === "Dense").map((l) => l.getWeights()[0]);
  let sumSq = 0;
  for (const k of kernels) sumSq += await sumOfSquares(k);
  const first = await kernels[0].data();
  const nearZero = first.filter((w) => Math.abs(w) < 1e-3).length / first.length;
  const valCe = history.history.val_categoricalCrossentropy as number[];
  rows.push({ name, train: last(history, "categoricalCrossentropy"), bestVal: Math.min(...valCe), testCe, testAcc, sumSq, nearZero });
}
const header = "| run | train CE | best val CE | test CE | test accuracy | Σw² | near zero |\n|---|---|---|---|---|---|---|";
const lines = rows.map((r) =>
  `| ${r.name} | ${r.train.toFixed(3)} | ${r.bestVal.toFixed(3)} | ${r.testCe.toFixed(3)} | ` +
  `${(100 * r.testAcc).toFixed(1)}% | ${r.sumSq.toFixed(0)} | ${(100 * r.nearZero).toFixed(1)}% |`);
const plainTable = rows.map((r) =>
  `${r.name}: test CE ${r.testCe.toFixed(3)}, test accuracy ${(100 * r.testAcc).toFixed(1)}%, ` +
  `Σw² ${r.sumSq.toFixed(1)}, near zero ${(100 * r.nearZero).toFixed(1)}%`).join("\n");
await display({ "text/markdown": [header, ...lines].join("\n"), "text/plain": plainTable });
// ---- cell weights
// The figure takes layers; we hand it each run's first-layer kernel, read back asynchronously.
const firstLayerOf = async (name: string) => {
  const kernel = runs[name].model.layers[0].getWeights()[0];
  const values = await kernel.data();
  return { name: `${name}: first layer`, getWeights: () => [{ shape: kernel.shape, dataSync: () => values }] };
};
await plot(weightHistogramFigure(
  { layers: await Promise.all(["none", "L2", "L1"].map(firstLayerOf)) },
  { bins: 60, title: "First-layer weights: none, L2, L1" },
));
// ---- cell dropout-rate
const tutorialOptions = { units: 64, activation: "relu" as const, inputShape: [784], dropoutRate: 0.5 };
const fake = tf.sequential({ layers: [tf.layers.dense(tutorialOptions)] });
const sample = xTest.slice(0, 8);
const pass = () => fake.apply(sample, { training: true }) as tf.Tensor;
const gapOf = async (a: tf.Tensor, b: tf.Tensor) => (await tf.max(tf.abs(a.sub(b))).data())[0];
const fakeGap = await gapOf(pass(), pass());
await show(
  `layers: ${fake.layers.map((l) => l.getClassName()).join(", ")}; two training-mode passes differ by ${fakeGap}; ` +
    `config mentions dropout: ${JSON.stringify(fake.layers[0].getConfig()).includes("ropout")}`,
);
// ---- cell dropout-train
const dropNet = runs.dropout.model;
const predictGap = await gapOf(dropNet.predict(sample) as tf.Tensor, dropNet.predict(sample) as tf.Tensor);
const trainGap = await gapOf(
  dropNet.apply(sample, { training: true }) as tf.Tensor,
  dropNet.apply(sample, { training: true }) as tf.Tensor,
);
await show(`dropout model: two predict() calls differ by ${predictGap}; two training-mode passes differ by ${trainGap.toFixed(3)}`);
