import assert from "node:assert/strict";
import { cellBundles, cellText, numberAfter } from "../../tools/notebooks.ts";
import { skipWithoutJupyter } from "../_gate.ts";
import { assertCellsRerun, runLesson } from "./_lesson.ts";

/** The number after `label`, also reading "Infinity" (a diverged loss). */
function valueAfter(text: string, label: string): number {
  const at = text.indexOf(label);
  if (at >= 0 && /^\W*?-?Infinity/.test(text.slice(at + label.length))) return Infinity;
  return numberAfter(text, label);
}

Deno.test({
  name: "01_sgd_regression.ipynb: divergence, its fix, the sweeps and the cars all tell the truth",
  ignore: skipWithoutJupyter,
  async fn() {
    const nb = await runLesson("01_sgd_regression");

    // "Dense(1) + sgd on x = 1…100, y = x² diverges to NaN"
    const classic = cellText(nb, "classic");
    const nanEpoch = numberAfter(classic, "becomes NaN at epoch");
    assert.ok(numberAfter(classic, "overflows to Infinity at epoch") <= nanEpoch, classic);
    assert.ok(nanEpoch <= 10, classic);
    assert.match(classic, /loss NaN/);

    // "the largest stable learning rate is 2/λ_max, far below sgd's 0.01"
    const curvature = cellText(nb, "curvature");
    const limit = numberAfter(curvature, "2/λ_max =");
    assert.ok(limit < 0.001, curvature);
    assert.ok(Math.abs(numberAfter(curvature, "λ_max =") * limit - 2) < 0.01, curvature);

    // "10% below the limit settles, 10% above diverges"
    const edge = cellText(nb, "gd-run");
    const belowLoss = valueAfter(edge, "0.9 × 2/λ_max: final loss");
    const aboveLoss = valueAfter(edge, "1.1 × 2/λ_max: final loss");
    assert.ok(belowLoss < 1e7, edge); // started at mean(x⁴) ≈ 2·10⁷
    assert.ok(aboveLoss > 1e12, edge);

    // "standardizing brings the curvature to about 2"
    const std = cellText(nb, "standardize");
    assert.ok(Math.abs(numberAfter(std, "standardized λ_max =") - 2) < 0.05, std);

    // "a line cannot fit x², the feature x² can"
    const lineRmse = numberAfter(cellText(nb, "line"), "RMSE in original units");
    const quadRmse = numberAfter(cellText(nb, "quad"), "RMSE in original units");
    assert.ok(lineRmse > 500, `line RMSE ${lineRmse}`);
    assert.ok(quadRmse < 5, `[x, x²] RMSE ${quadRmse}`);

    // "too small crawls, right converges, too large diverges"
    const sweep = cellText(nb, "sweep");
    const stable = numberAfter(sweep, "2/λ_max =");
    const at = (lr: number) => valueAfter(sweep, `η = ${lr}: final loss`);
    assert.ok(stable > 0.45 && stable < 0.55, sweep);
    assert.ok(at(0.45) < at(0.1) && at(0.1) < at(0.01), sweep);
    assert.ok(at(0.45) < 1e-4, sweep);
    assert.ok(at(0.55) > 1, sweep);

    // "a gradient step by hand equals tf.train.sgd's"
    const hand = cellText(nb, "hand");
    assert.ok(numberAfter(hand, "largest difference") < 1e-5, hand);
    assert.ok(numberAfter(hand, "gradient vs formula") < 1e-4, hand);

    // "cars with missing values are dropped, and said so"
    assert.match(cellText(nb, "cars"), /392 cars; 14 dropped for a missing value/);

    // "per epoch batch 1 leads, per second minibatches win, full batch lags"
    const batches = cellText(nb, "batches");
    const epoch1 = (name: string) => numberAfter(batches, `${name}: loss`);
    const last = (name: string) =>
      numberAfter(batches, `${name}: loss ${epoch1(name).toFixed(3)} after epoch 1,`);
    const secs = (name: string) => numberAfter(batches, `${last(name).toFixed(3)} after epoch 20,`);
    assert.ok(epoch1("SGD (batch 1)") < epoch1("minibatch 32"), batches);
    assert.ok(epoch1("minibatch 32") < epoch1("full batch"), batches);
    assert.ok(last("full batch") > last("minibatch 32"), batches);
    assert.ok(secs("SGD (batch 1)") > secs("minibatch 32"), batches);

    // "both models beat the mean-MPG baseline on held-out cars, in MPG"
    const predict = cellText(nb, "predict");
    const baseline = numberAfter(predict, "baseline (mean MPG):");
    assert.ok(numberAfter(predict, "linear model:") < 0.6 * baseline, predict);
    assert.ok(numberAfter(predict, "hidden layer:") < 0.6 * baseline, predict);

    // "validationSplit validates on the newest, more economical cars"
    const pitfall = cellText(nb, "pitfall");
    const [trainMpg, valMpg] = [...pitfall.matchAll(/mean (\d+\.\d) MPG/g)].map((m) =>
      Number(m[1])
    );
    assert.ok(valMpg > trainMpg + 5, pitfall);
    const fit = cellText(nb, "pitfall-fit");
    assert.ok(
      numberAfter(fit, "sorted rows:") > 1.5 * numberAfter(fit, "(linear model above):"),
      fit,
    );

    for (const id of ["edge-plot", "line", "quad", "sweep", "batches-plot", "predict-plot"]) {
      assert.ok(
        cellBundles(nb, id).some((b) => b["application/vnd.plotly.v1+json"]),
        `cell ${id} shows a Plotly figure`,
      );
    }
  },
});

Deno.test({
  name:
    "01_sgd_regression.ipynb: every code cell can run twice in a row (no redeclaration errors, no stale state)",
  ignore: skipWithoutJupyter,
  fn: () => assertCellsRerun("01_sgd_regression"),
});
