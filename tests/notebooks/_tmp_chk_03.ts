// @ts-nocheck-disabled
// ---- cell imports
import * as tf from "@tensorflow/tfjs";
import {
  earlyStopping,
  historyFigure,
  liveCurves,
  loadMnist,
  loadModel,
  mnistRowTokens,
  modelCheckpoint,
  plot,
  selectBackend,
  setRandomSeed,
  show,
  trainTestSplit,
} from "@lib";
// ---- cell setup
const SEED = 42;
setRandomSeed(SEED);
await show(await selectBackend());
const CKPT = await Deno.makeTempDir({ prefix: "lesson03-checkpoints-" });
await show(`checkpoints go to ${CKPT}`);
// ---- cell data
const digits = await loadMnist({ count: 4000, seed: SEED });
const first = trainTestSplit(digits.x, digits.y, { testFraction: 0.75, seed: SEED });
const rest = trainTestSplit(first.xTest, first.yTest, { testFraction: 2 / 3, seed: SEED });
const [xTrain, yTrain] = [first.xTrain, first.yTrain];
const [xVal, yVal, xTest, yTest] = [rest.xTrain, rest.yTrain, rest.xTest, rest.yTest];
await show(`train ${xTrain.shape[0]}, validation ${xVal.shape[0]}, test ${xTest.shape[0]} digits`);
// ---- cell build
function buildMlp(): tf.Sequential {
  const init = (i: number) => tf.initializers.glorotUniform({ seed: SEED + i });
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 128, activation: "relu", inputShape: [784], kernelInitializer: init(1) }),
      tf.layers.dense({ units: 128, activation: "relu", kernelInitializer: init(2) }),
      tf.layers.dense({ units: 10, activation: "softmax", kernelInitializer: init(3) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  return model;
}
const fitOptions = { batchSize: 64, validationData: [xVal, yVal] as [tf.Tensor, tf.Tensor], verbose: 0 as const };
// ---- cell naive
const naiveModel = buildMlp();
let previousLoss = Infinity;
let naiveStop: number | undefined;
const naiveRule = {
  onEpochEnd: async (epoch: number, logs?: tf.Logs) => {
    if (logs!.loss > previousLoss) { naiveStop = epoch + 1; naiveModel.stopTraining = true; }
    previousLoss = logs!.loss;
  },
};
const naiveHistory = await naiveModel.fit(xTrain, yTrain, { ...fitOptions, epochs: 30, callbacks: naiveRule });
const naiveVal = naiveHistory.history.val_loss as number[];
const bestNaive = naiveVal.indexOf(Math.min(...naiveVal));
await show(
  `naive rule: ${naiveStop === undefined ? "never fired, ran all 30 epochs" : `stopped at epoch ${naiveStop}`}; ` +
    `validation loss was lowest at epoch ${bestNaive + 1} (${naiveVal[bestNaive].toFixed(3)}) and ended at ${naiveVal.at(-1)!.toFixed(3)}`,
);
// ---- cell naive-plot
await plot(historyFigure(naiveHistory, { metrics: ["loss"], logY: true, title: "The naive rule never fires" }));
// ---- cell patience
const firstRise = naiveVal.findIndex((v, i) => i > 0 && v > naiveVal[i - 1]);
await show(
  `stopping at the first rise of validation loss would stop at epoch ${firstRise + 1} ` +
    `(val_loss ${naiveVal[firstRise - 1].toFixed(3)} at its best so far), but it fell again to ` +
    `${naiveVal[bestNaive].toFixed(3)} at epoch ${bestNaive + 1}`,
);
// ---- cell recipe
const model = buildMlp();
const stopper = earlyStopping({ monitor: "val_loss", patience: 5, mode: "min", minDelta: 1e-3 });
const checkpoint = modelCheckpoint({ filepath: `${CKPT}/best`, monitor: "val_loss", saveBestOnly: true });
const dashboard = liveCurves({
  title: "Early stopping on val_loss (patience 5)",
  finalMarkers: () => ({ stoppedEpoch: (stopper.stoppedEpoch ?? -1) + 1 }),
});
const history = await model.fit(xTrain, yTrain, {
  ...fitOptions, epochs: 1000, callbacks: [stopper, checkpoint, dashboard],
});
const vals = history.history.val_loss as number[];
await show(
  `stopped at epoch ${stopper.stoppedEpoch! + 1} of 1000; best epoch ${stopper.bestEpoch! + 1} ` +
    `(val_loss ${vals[stopper.bestEpoch!].toFixed(4)}); checkpoint saved ${checkpoint.savedPaths.length} ` +
    `times, last at epoch ${checkpoint.bestEpoch! + 1}`,
);
// ---- cell reload
const best = await loadModel(`${CKPT}/best`);
best.compile({ optimizer: "adam", loss: "categoricalCrossentropy", metrics: ["accuracy"] });
const scores = (m: tf.LayersModel, x: tf.Tensor, y: tf.Tensor) =>
  Promise.all((m.evaluate(x, y) as tf.Scalar[]).map(async (t) => (await t.data())[0]));
const [bestValLoss] = await scores(best, xVal, yVal);
const [bestTestLoss, bestTestAcc] = await scores(best, xTest, yTest);
const [lastTestLoss, lastTestAcc] = await scores(model, xTest, yTest);
await show(
  `reloaded checkpoint: validation loss ${bestValLoss.toFixed(4)} (best epoch in history: ${vals[stopper.bestEpoch!].toFixed(4)})\n` +
    `checkpoint (epoch ${checkpoint.bestEpoch! + 1}): test loss ${bestTestLoss.toFixed(4)}, test accuracy ${(100 * bestTestAcc).toFixed(1)}%\n` +
    `last epoch (${history.epoch.length}): test loss ${lastTestLoss.toFixed(4)}, test accuracy ${(100 * lastTestAcc).toFixed(1)}%`,
);
// ---- cell restore
const restoring = buildMlp();
const restorer = earlyStopping({ monitor: "val_loss", patience: 5, minDelta: 1e-3, restoreBestWeights: true });
const restoredHistory = await restoring.fit(xTrain, yTrain, { ...fitOptions, epochs: 1000, callbacks: [restorer] });
const [restoredValLoss] = await scores(restoring, xVal, yVal);
const restoredVals = restoredHistory.history.val_loss as number[];
await show(
  `restoreBestWeights: stopped at epoch ${restorer.stoppedEpoch! + 1}, restored epoch ${restorer.bestEpoch! + 1}; ` +
    `model's validation loss now ${restoredValLoss.toFixed(4)} (best in history ${restoredVals[restorer.bestEpoch!].toFixed(4)})`,
);
// ---- cell tokens
const [tokTrain, tokVal, tokTest] = await Promise.all([xTrain, xVal, xTest].map((x) => mnistRowTokens(x)));
const oneDigit = Array.from(await tokTrain.slice([0, 0], [1, 28]).data());
const drawn = oneDigit.map((t) => `${String(t).padStart(3)}  ${t.toString(2).padStart(7, "0").replace(/0/g, "·").replace(/1/g, "█")}`);
await show(`label ${digits.labels[first.trainIndices[0]]}; tokens ${tokTrain.shape.join("×")}\n${drawn.join("\n")}`);
// ---- cell textcnn
const init = (i: number) => tf.initializers.glorotUniform({ seed: SEED + i });
const textCnn = tf.sequential({
  layers: [
    tf.layers.embedding({ inputDim: 128, outputDim: 32, inputLength: 28, embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: SEED }) }),
    tf.layers.conv1d({ filters: 128, kernelSize: 5, activation: "relu", kernelInitializer: init(4) }),
    tf.layers.globalMaxPooling1d(),
    tf.layers.dense({ units: 64, activation: "relu", kernelInitializer: init(5) }),
    tf.layers.dropout({ rate: 0.2 }),
    tf.layers.dense({ units: 10, activation: "softmax", kernelInitializer: init(6) }),
  ],
});
textCnn.compile({ optimizer: tf.train.adam(5e-3), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
await show(`text-CNN: ${textCnn.countParams()} weights`);
// ---- cell textcnn-fit
const cnnStopper = earlyStopping({ monitor: "val_loss", patience: 5, minDelta: 1e-3 });
const cnnCheckpoint = modelCheckpoint({ filepath: `${CKPT}/text-cnn`, monitor: "val_loss", saveBestOnly: true });
const cnnHistory = await textCnn.fit(tokTrain, yTrain, {
  epochs: 1000, batchSize: 64, validationData: [tokVal, yVal], verbose: 0,
  callbacks: [cnnStopper, cnnCheckpoint, liveCurves({ title: "Text-CNN on digit rows" })],
});
const cnnBest = await loadModel(`${CKPT}/text-cnn`);
cnnBest.compile({ optimizer: "adam", loss: "categoricalCrossentropy", metrics: ["accuracy"] });
const [cnnTestLoss, cnnTestAcc] = await scores(cnnBest, tokTest, yTest);
await show(
  `text-CNN: stopped at epoch ${cnnHistory.epoch.length} of 1000, best epoch ${cnnStopper.bestEpoch! + 1}; ` +
    `checkpoint test loss ${cnnTestLoss.toFixed(4)}, test accuracy ${(100 * cnnTestAcc).toFixed(1)}%`,
);
// ---- cell cleanup
await Deno.remove(CKPT, { recursive: true });
await show(`removed ${CKPT}`);
