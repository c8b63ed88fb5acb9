import assert from "node:assert/strict";
import { cellBundles, cellText, numberAfter } from "../../tools/notebooks.ts";
import { skipWithoutJupyter } from "../_gate.ts";
import { assertCellsRerun, type ExerciseAnswers, runWithAnswers } from "./_lesson.ts";

const NAME = "01_sgd_regression";

/**
 * What a learner might type into each self-checking exercise's answer cell: typical wrong
 * answers first, then the right one. The test runs them as extra cells right after the
 * committed answer cell (which leaves the answer `undefined`).
 */
const ANSWERS: ExerciseAnswers = {
  "ex1-answer": {
    wrong: [
      // λ_max alone, not the ratio
      `const c1 = await curvatures(xRaw.sub(xRaw.mean()) as tf.Tensor2D);
const verdict1 = await checkAnswer(ex1, c1.max);`,
    ],
    right: `const c1 = await curvatures(xRaw.sub(xRaw.mean()) as tf.Tensor2D);
const verdict1 = await checkAnswer(ex1, c1.max / c1.min);`,
  },
  ex2: {
    wrong: [
      // the loss's rate (the square) instead of the error's
      `const r2 = (kappaRaw - 1) / (kappaRaw + 1);
const verdict2 = await checkAnswer(ex2, Math.log(10) / -Math.log(r2 ** 2));`,
    ],
    right: `const r2 = (kappaRaw - 1) / (kappaRaw + 1);
const verdict2 = await checkAnswer(ex2, Math.log(10) / -Math.log(r2));`,
  },
};

/** The first line of `text` that starts with `start`. */
function line(text: string, start: string): string {
  const found = text.split("\n").find((l) => l.startsWith(start));
  assert.ok(found !== undefined, `no line starting "${start}" in:\n${text}`);
  return found;
}

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
    const nb = await runWithAnswers(NAME, ANSWERS);

    // "as written it throws: never compiled; 1-D x of 99 points runs; 9 inputs vs 99 targets"
    const tutorial = cellText(nb, "tutorial");
    assert.match(tutorial, /x has shape \[99\]/);
    assert.match(tutorial, /1\. fit: throws "The model needs to be compiled/);
    assert.match(tutorial, /2\. fit after compile, on the 1-D x: runs/);
    assert.match(tutorial, /9 inputs against 99 targets/);

    // "corrected, sgd(0.1) overflows to Infinity at epoch 2 and becomes NaN at epoch 4" (summary)
    const classic = cellText(nb, "classic");
    const infEpoch = numberAfter(classic, "overflows to Infinity at epoch");
    const nanEpoch = numberAfter(classic, "becomes NaN at epoch");
    assert.match(classic, /loss NaN/);
    const summary = [nb.cells.find((c) => c.id === "summary")?.source ?? ""].flat().join("");
    assert.ok(
      summary.includes(
        `\`Infinity\` at epoch ${infEpoch} and becomes \`NaN\`\n  at epoch ${nanEpoch}`,
      ),
      `${classic}\n${summary}`,
    );

    // "the largest stable learning rate is 2/λ_max = 2.95e-4"; κ ≈ 13,700
    const curvature = cellText(nb, "curvature-run");
    const limit = numberAfter(curvature, "2/λ_max =");
    const lambdaMax = numberAfter(curvature, "λ_max =");
    assert.ok(limit < 0.001, curvature);
    assert.ok(Math.abs(lambdaMax * limit - 2) < 0.01, curvature);
    assert.ok(summary.includes(`rate is ${limit.toExponential(2)}`), curvature);
    const lambdaMin = numberAfter(curvature, "λ_min =");
    assert.ok(Math.abs(lambdaMin - 0.49) < 0.01, curvature);
    const kappa = numberAfter(curvature, "κ = λ_max/λ_min =");
    assert.ok(Math.abs(kappa - 13700) < 100, curvature);

    // "10% above diverges; 10% below is stable but stuck at 2.3× the best line's loss"
    const edge = cellText(nb, "gd-run");
    const belowLoss = valueAfter(edge, "0.9 × 2/λ_max: final loss");
    const aboveLoss = valueAfter(edge, "1.1 × 2/λ_max: final loss");
    assert.ok(belowLoss < 1e7, edge); // started at mean(x⁴) ≈ 2·10⁷
    assert.ok(aboveLoss > 1e12, edge);
    const best = cellText(nb, "best-line");
    assert.ok(Math.abs(numberAfter(best, "loss L* =") / 5.55e5 - 1) < 0.01, best);
    assert.ok(Math.abs(numberAfter(best, "after 60 epochs: 1.27e+6,") - 2.29) < 0.05, best);

    // "the gap shrinks as (1 − η·λ_min)² per epoch (0.026 %), and by 0.64 with standardized x"
    const cond = cellText(nb, "cond");
    const rawMeasured = numberAfter(cond, "gap after 60 epochs");
    assert.ok(rawMeasured > belowLoss / 2, cond);
    const [rawPerEpoch, rawPredicted] = [...line(cond, "raw x,").matchAll(/×(\d\.\d+)/g)].map((m) =>
      Number(m[1])
    );
    assert.ok(Math.abs(rawPerEpoch - rawPredicted) < 2e-5, cond);
    assert.ok(Math.abs(1 - rawPredicted - 0.00026) < 0.00001, cond);
    const [stdPerEpoch, stdPredicted] = [...line(cond, "standardized x,").matchAll(/×(\d\.\d+)/g)]
      .map((m) => Number(m[1]));
    assert.ok(Math.abs(stdPerEpoch - 0.64) < 0.005 && Math.abs(stdPredicted - 0.64) < 0.005, cond);
    assert.ok(numberAfter(cond, "gap after 30 epochs") < 1e-4 * rawMeasured, cond);

    // "standardizing brings the curvature to about 2"
    const std = cellText(nb, "standardize");
    assert.ok(Math.abs(numberAfter(std, "standardized λ_max =") - 2) < 0.05, std);
    assert.ok(Math.abs(numberAfter(std, "κ =") - 1) < 0.01, std);

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

    // "each method with its tuned rate: per epoch batch 1 leads; per second full batch reaches
    // the target first, minibatches next, batch 1 last; a step costs about the same"
    const tune = cellText(nb, "batches-tune");
    assert.match(tune, /full batch .* diverges/, tune);
    const batches = cellText(nb, "batches-best");
    const rate = (name: string) => numberAfter(batches, `${name} (η =`);
    const field = (name: string, label: string) =>
      numberAfter(batches.slice(batches.indexOf(`${name} (η`)), label);
    const names = ["full batch", "minibatch 32", "SGD (batch 1)"];
    assert.ok(rate("full batch") > rate("SGD (batch 1)"), batches);
    const first = names.map((n) => field(n, "gap"));
    assert.ok(first[2] < first[0] && first[2] < first[1], batches);
    const lastGap = names.map((n) => field(n, "after epoch 1,"));
    assert.ok(lastGap[2] < lastGap[0] && lastGap[2] < lastGap[1], batches);
    const toTarget = names.map((n) =>
      numberAfter(
        batches.slice(batches.indexOf(`${n} (η`)),
        "epoch 10; reaches the target at epoch",
      )
    );
    assert.ok(toTarget.every((k) => k >= 1 && k <= 10), batches);
    const seconds = names.map((n) =>
      numberAfter(
        batches.slice(batches.indexOf(`${n} (η`)),
        `at epoch ${toTarget[names.indexOf(n)]}, after`,
      )
    );
    assert.ok(seconds[0] < seconds[1] && seconds[1] < seconds[2], batches);
    assert.ok(seconds[2] > 10 * seconds[1], batches);
    const msPerStep = names.map((n) => field(n, "s;"));
    assert.ok(Math.max(...msPerStep) / Math.min(...msPerStep) < 10, batches);

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
    // "the sorted split's error is about the constant's on the shuffled test cars, below the
    // constant on the same newest cars, and more than twice the shuffled split's"
    const fit = cellText(nb, "pitfall-fit");
    const sortedMae = numberAfter(fit, "sorted rows:");
    assert.ok(sortedMae > 2 * numberAfter(fit, "(linear model above):"), fit);
    assert.ok(Math.abs(sortedMae / numberAfter(fit, "on the same test cars:") - 1) < 0.1, fit);
    assert.ok(sortedMae < 0.75 * numberAfter(fit, "on the same newest cars:"), fit);

    for (
      const id of [
        "edge-plot",
        "cond-plot",
        "line",
        "quad",
        "sweep-plot",
        "batches-plot",
        "predict-plot",
      ]
    ) {
      assert.ok(
        cellBundles(nb, id).some((b) => b["application/vnd.plotly.v1+json"]),
        `cell ${id} shows a Plotly figure`,
      );
    }

    // self-checking exercises: ✗ with a hint when wrong, ✓ when right
    const verdict = (id: string) => cellText(nb, id);
    assert.match(verdict("ex1-answer"), /^○ 01-centered-kappa: not answered yet/);
    assert.match(verdict("ex1-answer-wrong1"), /^✗ 01-centered-kappa: .*too large.*diagonal/);
    assert.match(verdict("ex1-answer-right"), /^✓ 01-centered-kappa: right/);
    assert.match(verdict("ex2"), /^○ 01-steps-10x: not answered yet/);
    assert.match(verdict("ex2-wrong1"), /^✗ 01-steps-10x: .*too small.*square/);
    assert.match(verdict("ex2-right"), /^✓ 01-steps-10x: right/);
  },
});

Deno.test({
  name:
    "01_sgd_regression.ipynb: every code cell can run twice in a row (no redeclaration errors, no stale state)",
  ignore: skipWithoutJupyter,
  fn: () => assertCellsRerun(NAME),
});
