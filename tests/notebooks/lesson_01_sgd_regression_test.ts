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
      `const kappaRaw = curvRaw.max / curvRaw.min;
const r2 = (kappaRaw - 1) / (kappaRaw + 1);
const verdict2 = await checkAnswer(ex2, Math.log(10) / -Math.log(r2 ** 2));`,
    ],
    right: `const kappaRaw = curvRaw.max / curvRaw.min;
const r2 = (kappaRaw - 1) / (kappaRaw + 1);
const verdict2 = await checkAnswer(ex2, Math.log(10) / -Math.log(r2));`,
  },
};

/** The first line of `text` that starts with `start`. */
function line(text: string, start: string): string {
  const found = text.split("\n").find((l) => l.startsWith(start));
  assert.ok(found !== undefined, `no line starting "${start}" in:\n${text}`);
  return found;
}

/** The line of `text` that starts with `start`, with the indented line after it (one item). */
function item(text: string, start: string): string {
  const lines = text.split("\n");
  const at = lines.findIndex((l) => l.startsWith(start));
  assert.ok(at >= 0, `no line starting "${start}" in:\n${text}`);
  return lines.slice(at, at + 2).join(" ");
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

    // prose, with its line breaks as single spaces (deno fmt rewraps markdown)
    const md = (id: string) =>
      [nb.cells.find((c) => c.id === id)?.source ?? ""].flat().join("").replace(/\s+/g, " ");
    const summary = md("summary");

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
    assert.ok(
      summary.includes(
        `\`Infinity\` at epoch ${infEpoch} and becomes \`NaN\` at epoch ${nanEpoch}`,
      ),
      `${classic}\n${summary}`,
    );

    // "the largest stable full-batch rate is 2/λ_max = 2.95e-4"; λ_max ≈ 6,769 along w, λ_min ≈ 0.49
    // along b; κ ≈ 13,700; the string optimizer "sgd" (0.01) and sgd(0.1) are 34× and 338× too large
    const curvature = cellText(nb, "curvature-show");
    const limit = numberAfter(curvature, "2/λ_max =");
    const lambdaMax = numberAfter(curvature, "λ_max =");
    assert.ok(Math.abs(lambdaMax - 6769) < 1, curvature);
    assert.ok(md("cond-md").includes("λ_max ≈ 6,769"));
    assert.ok(Math.abs(lambdaMax * limit - 2) < 0.01, curvature);
    assert.ok(summary.includes(`rate is ${limit.toExponential(2)}`), curvature);
    const lambdaMin = numberAfter(curvature, "λ_min =");
    assert.ok(Math.abs(lambdaMin - 0.49) < 0.01, curvature);
    const [maxW, maxB] = [...line(curvature, "largest curvature").matchAll(/-?\d\.\d{5}/g)].map((
      m,
    ) => Number(m[0]));
    assert.ok(Math.abs(maxW) > 0.999 && Math.abs(maxB) < 0.02, curvature); // "mostly w"
    const [minW, minB] = [...line(curvature, "smallest curvature").matchAll(/-?\d\.\d{5}/g)].map((
      m,
    ) => Number(m[0]));
    assert.ok(Math.abs(minB) > 0.999 && Math.abs(minW) < 0.02, curvature); // "mostly b"
    const kappa = numberAfter(curvature, "κ = λ_max/λ_min =");
    assert.ok(Math.abs(kappa - 13700) < 100, curvature);
    assert.match(curvature, /sgd\(0\.1\) is 338× too large/);
    assert.match(curvature, /"sgd" in compile \(tf\.train\.sgd\(0\.01\)\) is 34× too large/);

    // "10% above diverges; 10% below is stable but stuck at 2.3× the best line's loss"
    const edge = cellText(nb, "gd-run");
    const belowLoss = valueAfter(edge, "0.9 × 2/λ_max: final loss");
    const aboveLoss = valueAfter(edge, "1.1 × 2/λ_max: final loss");
    assert.ok(belowLoss < 1e7, edge); // started at mean(x⁴) ≈ 2·10⁷
    assert.ok(aboveLoss > 1e12, edge);
    const best = cellText(nb, "best-line");
    const bestLoss = numberAfter(best, "loss L* =");
    assert.ok(Math.abs(bestLoss / 5.55e5 - 1) < 0.01, best);
    const ratio = numberAfter(best, `after 60 epochs: ${belowLoss.toExponential(2)},`);
    assert.ok(Math.abs(ratio - 2.29) < 0.05, best);
    assert.ok(summary.includes(`stayed at ${ratio.toFixed(1)}× the best`), best);
    // "falls for its first epochs, then stays flat" (within 10% of its final loss from epoch K)
    const settled = numberAfter(best, "loss from epoch");
    assert.ok(settled > 3 && settled < 30, best);

    // "the gap shrinks as (1 − η·λ_min)² per epoch (0.026 %), and by 0.64 with standardized x"
    const cond = cellText(nb, "cond-show");
    const rawMeasured = numberAfter(cond, "gap after 60 epochs");
    assert.ok(rawMeasured > belowLoss / 2, cond);
    const [rawPerEpoch, rawPredicted] = [...item(cond, "raw x,").matchAll(/×(\d\.\d+)/g)].map((m) =>
      Number(m[1])
    );
    assert.ok(Math.abs(rawPerEpoch - rawPredicted) < 2e-5, cond);
    assert.ok(Math.abs(1 - rawPredicted - 0.00026) < 0.00001, cond);
    // "the predicted fall over epochs 30–60 is 0.8 %"
    assert.ok(Math.abs(1 - rawPredicted ** 30 - 0.008) < 0.001, cond);
    const [stdPerEpoch, stdPredicted] = [...item(cond, "standardized x,").matchAll(/×(\d\.\d+)/g)]
      .map((m) => Number(m[1]));
    assert.ok(Math.abs(stdPerEpoch - 0.64) < 0.005 && Math.abs(stdPredicted - 0.64) < 0.005, cond);
    assert.ok(numberAfter(cond, "gap after 30 epochs") < 1e-4 * rawMeasured, cond);

    // "standardizing one feature brings both curvatures to 2"
    const std = cellText(nb, "standardize");
    assert.ok(Math.abs(numberAfter(std, "standardized λ_max =") - 2) < 0.05, std);
    assert.ok(Math.abs(numberAfter(std, "κ =") - 1) < 0.01, std);

    // "fit's loss is a batch average; the final weights sit above L* (minibatch noise)"
    const lineCell = cellText(nb, "line");
    const finalRatio = Number(lineCell.match(/(\d+\.\d+)× L\*/)![1]);
    assert.ok(finalRatio > 1.05, lineCell);
    assert.ok(
      Math.abs(numberAfter(lineCell, "L*/var(y) =") - bestLoss / 3009.2 ** 2) < 5e-4,
      lineCell,
    );
    // "a line cannot fit x², the feature x² fits almost exactly (RMSE next to targets to 10,000)"
    const linePlot = cellText(nb, "line-plot");
    const lineRmse = numberAfter(linePlot, "SGD line");
    assert.ok(lineRmse > 500, linePlot);
    assert.ok(Math.abs(numberAfter(linePlot, "least-squares line") - Math.sqrt(bestLoss)) < 1);
    const quad = cellText(nb, "quad");
    assert.ok(numberAfter(quad, "RMSE in original units") < 5, quad);
    assert.ok(numberAfter(quad, "targets up to") === 10000, quad);

    // "[x, x²]: highly correlated, κ = 63 (summary); the best of five rates was 0.45, 0.89× the
    // limit, ahead of the best fixed rate; smaller rates crawl; 0.55 diverges"
    const sweepInfo = cellText(nb, "sweep");
    assert.ok(numberAfter(sweepInfo, "correlation of x and x² on 1…100:") > 0.95, sweepInfo);
    const quadLimit = numberAfter(sweepInfo, "2/λ_max =");
    assert.ok(quadLimit > 0.45 && quadLimit < 0.55, sweepInfo);
    assert.ok(summary.includes(`${numberAfter(sweepInfo, "(κ =").toFixed(0)} for standardized`));
    const sweep = cellText(nb, "sweep-run");
    const finals = [...sweep.matchAll(/η = (\d\.\d+): final loss (\S+)/g)].map((m) => ({
      lr: Number(m[1]),
      loss: Number(m[2]),
    }));
    assert.equal(finals.length, 5, sweep);
    const stableRuns = finals.filter((f) => f.lr < quadLimit);
    const bestRun = stableRuns.reduce((a, f) => (f.loss < a.loss ? f : a));
    assert.equal(bestRun.lr, 0.45, sweep);
    assert.ok(Math.abs(0.45 / quadLimit - 0.89) < 0.005, sweep);
    assert.ok(finals[0].loss > finals[1].loss && finals[1].loss > bestRun.loss, sweep);
    assert.ok(finals[3].loss > bestRun.loss, sweep); // the best fixed rate ends higher
    assert.ok(finals[4].lr > quadLimit && finals[4].loss > 1e20, sweep);

    // "a gradient step by hand equals tf.train.sgd's; the gradients match their formulas"
    const hand = cellText(nb, "hand-show");
    assert.ok(numberAfter(hand, "largest step difference") < 1e-5, hand);
    assert.ok(numberAfter(hand, "gradient vs formula: w") < 1e-4, hand);
    assert.ok(Number(line(hand, "gradient vs formula").match(/, b (\S+)$/)![1]) < 1e-4, hand);

    // "cars with missing values are dropped, and said so"
    assert.match(cellText(nb, "cars"), /392 cars; 14 dropped for a missing value/);

    // the car problem's curvatures; full batch tries rates near its limit; its best (0.4) is not
    // the best fixed rate, which does worse in 10 epochs (summary)
    const carCurv = cellText(nb, "car-curv");
    const carLimit = numberAfter(carCurv, "2/λ_max =");
    const carBestFixed = numberAfter(carCurv, "2/(λ_max + λ_min) =");
    assert.ok(carLimit > 0.5 && carLimit < 0.6, carCurv);
    const table = cellText(nb, "batches-table");
    const rows = table.split("\n").slice(1).map((r) => r.trim().split(/\s{2,}/));
    const rowsOf = (m: string) => rows.filter((r) => r[0] === m);
    const bestOf = (m: string) => Number(rowsOf(m).find((r) => r[3] === "best")![1]);
    assert.ok(rowsOf("full batch").some((r) => Math.abs(Number(r[1]) - carBestFixed) < 0.001));
    assert.ok(rowsOf("full batch").some((r) => Number(r[1]) > carLimit && r[3] === "diverges"));
    assert.equal(bestOf("full batch"), 0.4, table);
    assert.ok(summary.includes("0.4 for full batch on the cars"), table);
    // every "best" has the lowest mean; "tied" means within the larger sd of the best's
    for (const m of ["full batch", "minibatch 32", "SGD (batch 1)"]) {
      const scored = rowsOf(m).filter((r) => r[2] !== "–").map((r) => {
        const [mean, sd] = r[2].split(" ± ").map(Number);
        return { mean, sd, verdict: r[3] ?? "" };
      });
      const top = scored.find((r) => r.verdict === "best")!;
      assert.ok(scored.every((r) => r.mean >= top.mean), table);
      for (const r of scored.filter((r) => r !== top)) {
        assert.equal(r.verdict === "tied", r.mean - top.mean < Math.max(r.sd, top.sd), table);
      }
    }
    assert.ok(bestOf("full batch") > bestOf("SGD (batch 1)"), table);

    // per epoch: "after one epoch both minibatch methods are more than ten times closer than full
    // batch; after ten, full batch lies within 2 sd of both minibatch means; batch 1 and 32 tied"
    const batches = cellText(nb, "batches-best-show");
    const names = ["full batch", "minibatch 32", "SGD (batch 1)"];
    const after = (name: string, epoch: number) => {
      const l = line(batches, name);
      const m = l.match(new RegExp(`gap (\\S+) ± (\\S+) after epoch ${epoch}`)) ??
        l.match(new RegExp(`(\\S+) ± (\\S+) after epoch ${epoch}`))!;
      return { mean: Number(m[1]), sd: Number(m[2]) };
    };
    const [f1, m1, s1] = names.map((n) => after(n, 1));
    assert.ok(f1.mean > 10 * m1.mean && f1.mean > 10 * s1.mean, batches);
    assert.ok(Math.abs(m1.mean - s1.mean) < Math.min(m1.sd, s1.sd), batches);
    const [f10, m10, s10] = names.map((n) => after(n, 10));
    assert.ok(Math.abs(f10.mean - m10.mean) < 2 * m10.sd, batches);
    assert.ok(Math.abs(f10.mean - s10.mean) < 2 * s10.sd, batches);
    assert.ok(Math.abs(m10.mean - s10.mean) < Math.min(m10.sd, s10.sd), batches);
    assert.ok(Math.abs(numberAfter(batches, "gap ≤") / (0.01 * 0.3066) - 1) < 0.02, batches);
    assert.ok(names.every((n) => /below the target from epoch \d+ on/.test(item(batches, n))));

    // fit matches the plain-JS curves: exactly for full batch, within the seeds' range otherwise
    const timed = cellText(nb, "timed");
    for (const n of names) {
      const l = item(timed, n);
      const fitGap = Number(l.match(/fit's gap after epoch \d+: (\S+)/)![1]);
      const [lo, hi] = [numberAfter(l, "plain-JS seeds:"), numberAfter(l, " to ")];
      if (n === "full batch") assert.ok(Math.abs(fitGap / lo - 1) < 0.01, l);
      else assert.ok(fitGap > lo / 2 && fitGap < 2 * hi, l);
    }
    // "a step costs a few milliseconds at most, within a factor of 4 whatever the batch size"
    const msPerStep = names.map((n) => numberAfter(line(timed, n), "ms per epoch,"));
    assert.ok(Math.max(...msPerStep) / Math.min(...msPerStep) < 4, timed);
    assert.ok(msPerStep.every((ms) => ms < 5), timed);
    // per second: "full batch first, minibatches next, batch 1 last, at least 5× later"
    const race = cellText(nb, "race");
    const seconds = names.map((n) => numberAfter(line(race, n), "ms ="));
    assert.ok(seconds[0] < seconds[1] && seconds[1] < seconds[2], race);
    assert.ok(seconds[2] > 5 * seconds[1], race);

    // 5 splits: "both beat the constant on every split; the hidden layer's paired advantage is
    // positive on every split and larger than its sd, about the size of either MAE's spread"
    const predict = cellText(nb, "predict-show");
    const scoreRow = (name: string) =>
      line(predict, name).slice(name.length).trim().split(/\s{2,}/).slice(0, 5).map(Number);
    const [base, lin, mlp] = ["baseline (mean MPG)", "linear model", "hidden layer"].map(scoreRow);
    assert.ok(base.every((b, i) => lin[i] < 0.6 * b && mlp[i] < 0.6 * b), predict);
    const diff = item(predict, "linear − hidden layer");
    const [dMean, dSd] = [numberAfter(diff, "same split:"), numberAfter(diff, "±")];
    assert.ok(dMean > dSd, predict);
    assert.match(diff, /positive on 5 of 5 splits/);
    const sdOf = (v: number[]) => {
      const m = v.reduce((s, x) => s + x, 0) / v.length;
      return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1));
    };
    assert.ok(Math.max(sdOf(lin), sdOf(mlp)) > dMean / 2, predict); // "more than half"
    // "above 30 MPG, most test cars are predicted too low"
    const under = cellText(nb, "predict-under");
    const nHigh = numberAfter(under, "above 30 MPG:");
    assert.ok(numberAfter(under, "hidden layer:") > nHigh / 2, under);
    assert.ok(numberAfter(under, "linear model:") > nHigh / 2, under);

    // "validationSplit validates on the newest, more economical cars; 1980 on both sides"
    const pitfall = cellText(nb, "pitfall");
    const [trainMpg, valMpg] = [...pitfall.matchAll(/mean (\d+\.\d) MPG/g)].map((m) =>
      Number(m[1])
    );
    assert.ok(valMpg > trainMpg + 5, pitfall);
    assert.match(pitfall, /trains on 313 cars of model years 1970–1980/);
    assert.match(pitfall, /\nand validates on 79 cars of 1980–1982/);
    const years = cellText(nb, "pitfall-years");
    assert.ok(numberAfter(years, "1980:") > 0 && numberAfter(years, "train,") > 0, years);
    // "on the newest cars it beats the constant, but misses by more than twice the shuffled
    // split's error; the sorted error and the shuffled baseline happen to be close"
    const fit = cellText(nb, "pitfall-show");
    const sortedMae = numberAfter(fit, "sorted rows:");
    assert.ok(sortedMae > 2 * numberAfter(fit, "(linear model above):"), fit);
    assert.ok(sortedMae < numberAfter(fit, "on the same newest cars:"), fit);
    assert.ok(Math.abs(sortedMae / numberAfter(fit, "on the same test cars:") - 1) < 0.1, fit);
    assert.ok(Math.abs(numberAfter(fit, "(linear model above):") - lin[0]) < 0.006, fit);

    for (
      const id of [
        "edge-plot",
        "edge-plot-diverging",
        "cond-plot",
        "cond-zoom",
        "line-fig",
        "quad-plot",
        "sweep-plot",
        "batches-plot",
        "predict-fig",
      ]
    ) {
      assert.ok(
        cellBundles(nb, id).some((b) => b["application/vnd.plotly.v1+json"]),
        `cell ${id} shows a Plotly figure`,
      );
    }

    // self-checking exercises: neutral until answered, ✗ with a hint when wrong, ✓ when right
    const verdict = (id: string) => cellText(nb, id);
    assert.match(verdict("ex1-answer"), /^exercise 1: not answered yet/);
    assert.match(verdict("ex1-answer-wrong1"), /^✗ 01-centered-kappa: .*too large.*ratio/);
    assert.match(verdict("ex1-answer-right"), /^✓ 01-centered-kappa: right/);
    assert.match(verdict("ex2"), /^exercise 2: not answered yet/);
    assert.match(verdict("ex2-wrong1"), /^✗ 01-steps-10x: .*too small.*square/);
    assert.match(verdict("ex2-right"), /^✓ 01-steps-10x: right/);
    assert.equal(cellText(nb, "ex1-check"), "", "the check cells show nothing");
    assert.equal(cellText(nb, "ex2-check"), "", "the check cells show nothing");
    assert.equal(cellText(nb, "ex1-measure") + cellText(nb, "ex2-measure"), "");
  },
});

Deno.test({
  name:
    "01_sgd_regression.ipynb: every code cell can run twice in a row (no redeclaration errors, no stale state)",
  ignore: skipWithoutJupyter,
  fn: () => assertCellsRerun(NAME),
});
