// @ts-nocheck-disabled
// ---- cell imports
import * as tf from "@tensorflow/tfjs";
import {
  fitStandardizer,
  lineFigure,
  loadCars,
  plot,
  quadratic,
  scatterFigure,
  selectBackend,
  setRandomSeed,
  show,
  trainTestSplit,
} from "@lib";
// ---- cell setup
const SEED = 42;
setRandomSeed(SEED);
await show(await selectBackend());
// ---- cell classic
const { x: xRaw, y: yRaw } = quadratic(); // x = 1…100, y = x²
const naive = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
naive.compile({ optimizer: "sgd", loss: "meanSquaredError" });
const naiveHistory = await naive.fit(xRaw, yRaw, { epochs: 10, batchSize: 32, verbose: 0 });
const naiveLoss = naiveHistory.history.loss as number[];
const firstInfinite = naiveLoss.findIndex((v) => !Number.isFinite(v)) + 1;
const firstNaN = naiveLoss.findIndex((v) => Number.isNaN(v)) + 1;
await show(naiveLoss.map((v, i) => `epoch ${i + 1}: loss ${v.toExponential(2)}`).join("\n"));
await show(`The loss overflows to Infinity at epoch ${firstInfinite} and becomes NaN at epoch ${firstNaN}.`);
// ---- cell curvature
/** Largest eigenvalue of the MSE Hessian 2·XᵀX/n of a design matrix (with a column of ones). */
async function maxCurvature(features: tf.Tensor2D): Promise<number> {
  const lambda = tf.tidy(() => {
    const X = tf.concat([features, tf.onesLike(features.slice([0, 0], [-1, 1]))], 1);
    let v = tf.ones([X.shape[1], 1]); // power iteration: v ← Hv / |Hv|
    const H = X.transpose().matMul(X).mul(2 / X.shape[0]);
    for (let i = 0; i < 100; i++) v = H.matMul(v).div(tf.norm(H.matMul(v)));
    return tf.norm(H.matMul(v));
  });
  const [value] = await lambda.data(); // read back asynchronously (works on every backend)
  lambda.dispose();
  return value;
}
const lambdaRaw = await maxCurvature(xRaw);
await show(
  `Largest curvature λ_max = ${lambdaRaw.toFixed(0)}, so the largest stable learning rate is ` +
    `2/λ_max = ${(2 / lambdaRaw).toExponential(2)}; sgd's default 0.01 is ${
      (0.01 / (2 / lambdaRaw)).toFixed(0)
    }× too large.`,
);
// ---- cell gd-run
/** Train `Dense(1)` (zero initial weights) with gradient descent; returns the model and its losses. */
async function gdRun(x: tf.Tensor2D, y: tf.Tensor2D, lr: number, epochs: number, batchSize = x.shape[0]) {
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 1, inputShape: [x.shape[1]], kernelInitializer: "zeros" })],
  });
  model.compile({ optimizer: tf.train.sgd(lr), loss: "meanSquaredError" });
  const h = await model.fit(x, y, { epochs, batchSize, verbose: 0 });
  return { model, loss: h.history.loss as number[] };
}
const below = await gdRun(xRaw, yRaw, 0.9 * 2 / lambdaRaw, 60);
const above = await gdRun(xRaw, yRaw, 1.1 * 2 / lambdaRaw, 60);
await show(
  `η = 0.9 × 2/λ_max: final loss ${below.loss.at(-1)!.toExponential(2)}\n` +
    `η = 1.1 × 2/λ_max: final loss ${above.loss.at(-1)!.toExponential(2)}`,
);
// ---- cell edge-plot
await plot(lineFigure(below.loss.map((_, i) => i + 1), [
  { name: "η = 0.9 · 2/λ_max", y: below.loss },
  { name: "η = 1.1 · 2/λ_max", y: above.loss },
], { title: "Just below and just above the stability limit", xTitle: "epoch", yTitle: "MSE", logY: true }));
// ---- cell standardize
const xScaler = await fitStandardizer(xRaw);
const yScaler = await fitStandardizer(yRaw);
const xStd = xScaler.transform(xRaw);
const yStd = yScaler.transform(yRaw);
const lambdaStd = await maxCurvature(xStd);
await show(
  `x: mean ${xScaler.meanValues[0]}, std ${xScaler.stdValues[0].toFixed(2)}; ` +
    `y: mean ${yScaler.meanValues[0].toFixed(1)}, std ${yScaler.stdValues[0].toFixed(1)}\n` +
    `standardized λ_max = ${lambdaStd.toFixed(2)}, largest stable learning rate ${(2 / lambdaStd).toFixed(2)}`,
);
// ---- cell line
const line = await gdRun(xStd, yStd, 0.1, 50, 32);
const linePred = yScaler.inverse(line.model.predict(xStd) as tf.Tensor2D);
const rmse = async (truth: tf.Tensor, pred: tf.Tensor) =>
  (await tf.sqrt(tf.losses.meanSquaredError(truth, pred)).data())[0];
const lineRmse = await rmse(yRaw, linePred);
const [xs, ys] = [await xRaw.data(), await yRaw.data()];
await show(
  `Standardized line: final loss ${line.loss.at(-1)!.toFixed(4)} (no NaN); ` +
    `line RMSE in original units ${lineRmse.toFixed(0)}`,
);
await plot(scatterFigure(xs, ys, {
  fit: { x: xs, y: await linePred.data() },
  fitName: "best straight line",
  title: "y = x² and a straight-line fit",
}));
// ---- cell quad
const feats = tf.concat([xRaw, xRaw.square()], 1); // columns: x, x²
const featScaler = await fitStandardizer(feats);
const featStd = featScaler.transform(feats);
const quad = await gdRun(featStd, yStd, 0.3, 100, 32);
const quadPred = yScaler.inverse(quad.model.predict(featStd) as tf.Tensor2D);
const quadRmse = await rmse(yRaw, quadPred);
await show(`features [x, x²]: RMSE in original units ${quadRmse.toFixed(2)} (the line: ${lineRmse.toFixed(0)})`);
await plot(scatterFigure(xs, ys, {
  fit: { x: xs, y: await quadPred.data() },
  fitName: "w₁·x + w₂·x² + b",
  title: "With the feature x², one unit fits the parabola",
}));
// ---- cell sweep
const lambdaQuad = await maxCurvature(featStd);
const rates = [0.01, 0.1, 0.45, 0.55];
const sweep: Record<string, number[]> = {};
for (const lr of rates) sweep[`η = ${lr}`] = (await gdRun(featStd, yStd, lr, 200)).loss;
await show(
  `stability limit 2/λ_max = ${(2 / lambdaQuad).toFixed(3)}\n` +
    rates.map((lr) => `η = ${lr}: final loss ${sweep[`η = ${lr}`].at(-1)!.toExponential(2)}`).join("\n"),
);
await plot(lineFigure(
  sweep["η = 0.01"].map((_, i) => i + 1),
  Object.entries(sweep).map(([name, y]) => ({ name, y })),
  { title: "Learning-rate sweep (full batch)", xTitle: "epoch", yTitle: "MSE (standardized)", logY: true },
));
// ---- cell hand
const eta = 0.3;
const mse = (w: tf.Variable, b: tf.Variable) => () =>
  featStd.matMul(w).add(b).sub(yStd).square().mean() as tf.Scalar;
const w = tf.variable(tf.tensor2d([[0.5], [-0.5]])), b = tf.variable(tf.scalar(0.1));
const { grads } = tf.variableGrads(mse(w, b), [w, b]);
const wByHand = w.sub(grads[w.name].mul(eta)); // w − η·∂L/∂w
const residual = featStd.matMul(w).add(b).sub(yStd);
const formula = featStd.transpose().matMul(residual).mul(2 / featStd.shape[0]);
const w2 = tf.variable(w.clone()), b2 = tf.variable(b.clone());
tf.train.sgd(eta).minimize(mse(w2, b2), false, [w2, b2]);
const largest = async (t: tf.Tensor) => (await tf.max(tf.abs(t)).data())[0];
const gap = await largest(wByHand.sub(w2));
const gradGap = await largest(grads[w.name].sub(formula));
const fixed = async (t: tf.Tensor) => Array.from(await t.data(), (v) => v.toFixed(6));
await show(
  `by hand: w = [${await fixed(wByHand)}]\n` +
    `tf.train.sgd: w = [${await fixed(w2)}]\n` +
    `largest difference ${gap.toExponential(1)}; gradient vs formula ${gradGap.toExponential(1)}`,
);
// ---- cell cars
const cars = await loadCars({ features: ["Horsepower", "Weight_in_lbs"] });
await show(
  `${cars.rows.length} cars; ${cars.dropped.length} dropped for a missing value: ` +
    cars.dropped.map((r) => r.Name).join(", "),
);
await plot(scatterFigure(
  cars.rows.map((r) => r.Horsepower!),
  cars.rows.map((r) => r.Miles_per_Gallon!),
  { title: "MPG against horsepower", xTitle: "horsepower", yTitle: "miles per gallon" },
));
// ---- cell split
const carSplit = trainTestSplit(cars.x, cars.y, { testFraction: 0.2, seed: SEED });
const carX = await fitStandardizer(carSplit.xTrain);
const carY = await fitStandardizer(carSplit.yTrain);
const [xTrain, xTest] = [carX.transform(carSplit.xTrain), carX.transform(carSplit.xTest)];
const yTrain = carY.transform(carSplit.yTrain);
await show(`training cars: ${xTrain.shape[0]}, test cars: ${xTest.shape[0]}`);
// ---- cell batches
const batchRuns: Record<string, { loss: number[]; seconds: number[] }> = {};
for (const [name, batchSize] of [["full batch", xTrain.shape[0]], ["minibatch 32", 32], ["SGD (batch 1)", 1]] as const) {
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: "zeros" })],
  });
  model.compile({ optimizer: tf.train.sgd(0.01), loss: "meanSquaredError" });
  const start = performance.now();
  const seconds: number[] = [];
  const h = await model.fit(xTrain, yTrain, {
    epochs: 20, batchSize, verbose: 0,
    callbacks: { onEpochEnd: async () => { seconds.push((performance.now() - start) / 1000); } },
  });
  batchRuns[name] = { loss: h.history.loss as number[], seconds };
}
await show(Object.entries(batchRuns).map(([name, r]) =>
  `${name}: loss ${r.loss[0].toFixed(3)} after epoch 1, ${r.loss.at(-1)!.toFixed(3)} after epoch 20, ` +
  `${r.seconds.at(-1)!.toFixed(2)} s`).join("\n"));
// ---- cell batches-plot
const series = (key: "per epoch" | "per second") =>
  Object.entries(batchRuns).map(([name, r]) => ({
    name,
    y: r.loss,
    x: key === "per epoch" ? r.loss.map((_, i) => i + 1) : r.seconds,
  }));
await plot(lineFigure([], series("per epoch"), { title: "Loss per epoch", xTitle: "epoch", yTitle: "MSE (standardized)", logY: true }));
await plot(lineFigure([], series("per second"), { title: "Loss per second", xTitle: "seconds", yTitle: "MSE (standardized)", logY: true }));
// ---- cell predict
async function trainCarModel(hidden: number) {
  const init = tf.initializers.glorotUniform({ seed: SEED });
  const layers = hidden > 0
    ? [tf.layers.dense({ units: hidden, inputShape: [2], activation: "relu", kernelInitializer: init }), tf.layers.dense({ units: 1 })]
    : [tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: "zeros" })];
  const model = tf.sequential({ layers });
  model.compile({ optimizer: tf.train.sgd(0.05), loss: "meanSquaredError" });
  await model.fit(xTrain, yTrain, { epochs: 100, batchSize: 32, verbose: 0 });
  return model;
}
const mpgTest = carSplit.yTest; // original units
const maeMpg = async (pred: tf.Tensor2D) => (await tf.losses.absoluteDifference(mpgTest, pred).data())[0];
const baselineMae = await maeMpg(tf.fill(mpgTest.shape, carY.meanValues[0]) as tf.Tensor2D);
const linearModel = await trainCarModel(0);
const mlpModel = await trainCarModel(16);
const linearMpg = carY.inverse(linearModel.predict(xTest) as tf.Tensor2D);
const mlpMpg = carY.inverse(mlpModel.predict(xTest) as tf.Tensor2D);
const [linearMae, mlpMae] = [await maeMpg(linearMpg), await maeMpg(mlpMpg)];
await show(
  `test MAE, baseline (mean MPG): ${baselineMae.toFixed(2)} MPG\n` +
    `test MAE, linear model: ${linearMae.toFixed(2)} MPG\n` +
    `test MAE, hidden layer: ${mlpMae.toFixed(2)} MPG`,
);
// ---- cell predict-plot
await plot(scatterFigure(await mpgTest.data(), await mlpMpg.data(), {
  name: "test cars (hidden-layer model)",
  fit: (v) => v,
  fitName: "perfect prediction",
  title: "Predicted vs true MPG on held-out cars",
  xTitle: "true MPG",
  yTitle: "predicted MPG",
}));
// ---- cell pitfall
const nLast = Math.round(0.2 * cars.rows.length);
const firstRows = cars.rows.slice(0, -nLast), lastRows = cars.rows.slice(-nLast);
const meanMpg = (rows: typeof cars.rows) => rows.reduce((s, r) => s + r.Miles_per_Gallon!, 0) / rows.length;
const years = (rows: typeof cars.rows) => `${rows[0].Year.slice(0, 4)}–${rows.at(-1)!.Year.slice(0, 4)}`;
await show(
  `validationSplit 0.2 trains on ${firstRows.length} cars from ${years(firstRows)} ` +
    `(mean ${meanMpg(firstRows).toFixed(1)} MPG) and validates on ${lastRows.length} cars from ` +
    `${years(lastRows)} (mean ${meanMpg(lastRows).toFixed(1)} MPG).`,
);
// ---- cell pitfall-fit
const sortedX = carX.transform(cars.x), sortedY = carY.transform(cars.y);
const sortedModel = tf.sequential({
  layers: [tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: "zeros" })],
});
sortedModel.compile({ optimizer: tf.train.sgd(0.05), loss: "meanSquaredError", metrics: ["mae"] });
const sortedHistory = await sortedModel.fit(sortedX, sortedY, { epochs: 100, batchSize: 32, validationSplit: 0.2, verbose: 0 });
const sortedValMae = (sortedHistory.history.val_mae.at(-1) as number) * carY.stdValues[0];
await show(
  `validation MAE with validationSplit on sorted rows: ${sortedValMae.toFixed(2)} MPG\n` +
    `test MAE with a shuffled split (linear model above): ${linearMae.toFixed(2)} MPG`,
);
