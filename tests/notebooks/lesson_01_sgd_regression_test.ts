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
    // "the cell prints the predictions' shape [99, 1]; on its own data sgd(0.1) diverges too"
    assert.match(tutorial, /predictions of shape \[99,1\]/);
    assert.ok(valueAfter(tutorial, "loss of that epoch") > 1e10, tutorial);

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
    const belowLoss = valueAfter(edge, "0.9 × 2/λ_max: loss in epoch 60");
    const aboveLoss = valueAfter(edge, "1.1 × 2/λ_max: loss in epoch 60");
    assert.ok(belowLoss < 1e7, edge); // started at mean(x⁴) ≈ 2·10⁷
    assert.ok(aboveLoss > 1e12, edge);
    const best = cellText(nb, "best-line");
    const bestLoss = numberAfter(best, "loss L* =");
    assert.ok(Math.abs(bestLoss / 5.55e5 - 1) < 0.01, best);
    const ratio = numberAfter(best, `in epoch 60: ${belowLoss.toExponential(2)},`);
    assert.ok(Math.abs(ratio - 2.29) < 0.05, best);
    assert.ok(summary.includes(`still ${ratio.toFixed(1)}× the best line's in epoch 60`), best);
    // "falls for its first epochs, then crawls" (within 10% of its final loss from epoch K)
    const settled = numberAfter(best, "loss from epoch");
    assert.ok(settled > 3 && settled < 30, best);

    // "the gap shrinks as (1 − η·λ_min)² per epoch (0.026 %), and by 0.64 with standardized x"
    const cond = cellText(nb, "cond-show");
    const rawMeasured = numberAfter(cond, "gap in epoch 60");
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
    assert.ok(numberAfter(cond, "gap in epoch 30") < 1e-4 * rawMeasured, cond);

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
    assert.match(lineCell, /a batch average\): \d\.\d+ \(finite\)/);
    // "the control, full batch at the same η for the same 50 epochs, lands on L*: the gap is the
    // minibatch noise" (summary: 1.13×)
    const control = cellText(nb, "line-control");
    const miniRatio = numberAfter(control, "minibatches of 32:");
    assert.ok(Math.abs(miniRatio - finalRatio) < 0.01 && miniRatio > 1.05, control);
    assert.ok(Math.abs(numberAfter(control, "full batch (control):") - 1) < 0.005, control);
    assert.ok(summary.includes(`at ${miniRatio.toFixed(2)}× the best line's`), control);
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
    const finals = [...sweep.matchAll(/η = (\d\.\d+): loss in epoch 200 (\S+)/g)].map((m) => ({
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
    // "which rate wins depends on the budget": at 0.45 the steep direction shrinks far faster
    // than at the best fixed rate, the flat one slightly slower; the best fixed rate would
    // overtake 0.45 near epoch N (summary), and 0.1 is below it from epoch a to b (summary)
    const budget = cellText(nb, "sweep-budget");
    const [steep45, flat45] = [...line(budget, "η = 0.450").matchAll(/×(\d\.\d+)/g)].map((m) =>
      Number(m[1])
    );
    const [steepBf, flatBf] = [...line(budget, "η = 0.500").matchAll(/×(\d\.\d+)/g)].map((m) =>
      Number(m[1])
    );
    assert.ok(steep45 < 0.7 * steepBf && flatBf < flat45 && flat45 - flatBf < 0.01, budget);
    assert.ok(Math.abs(steepBf - flatBf) < 1e-3, budget); // at 2/(λ_max + λ_min) they are equal
    const overtake = numberAfter(budget, "near epoch");
    assert.ok(overtake > 400 && summary.includes(`near epoch ${overtake}`), budget);
    const [aheadFrom, aheadTo] = [numberAfter(budget, "from epoch"), numberAfter(budget, " to ")];
    assert.ok(summary.includes(`from epoch ${aheadFrom} to ${aheadTo} even 0.1`), budget);
    assert.ok(aheadTo > 50 && aheadTo < 200, budget);

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
    assert.ok(carLimit > 0.5 && carLimit < 0.6, carCurv);
    const table = cellText(nb, "batches-table");
    const rows = table.split("\n").slice(1).filter((r) =>
      /^(full|mini|SGD)/.test(r) && !r.includes("common grid")
    )
      .map((r) => r.trim().split(/\s{2,}/));
    const rowsOf = (m: string) => rows.filter((r) => r[0] === m);
    const bestOf = (m: string) => Number(rowsOf(m).find((r) => r[3] === "best")![1]);
    assert.ok(rowsOf("full batch").some((r) => Number(r[1]) > carLimit && r[3] === "diverges"));
    // "the same search for every method": as many rates each
    assert.ok(["minibatch 32", "SGD (batch 1)"].every((m) => rowsOf(m).length === 11), table);
    assert.equal(rowsOf("full batch").length, 11, table);
    // "refining moved full batch's and minibatch 32's rates, improving their scores by less than
    // 1.5×; for batch 1 the refined best is tied with the grid's"
    const moved = (m: string) => {
      const l = line(table, `${m}: best of the common grid`);
      const [g, gs, b, bs] = [...l.matchAll(/(\d+\.?\d*) \((\d\.\d+)\)/g)].flatMap((x) => [
        Number(x[1]),
        Number(x[2]),
      ]);
      return { g, gs, b, bs };
    };
    for (const m of ["full batch", "minibatch 32"]) {
      const { g, gs, b, bs } = moved(m);
      assert.ok(g !== b && bs <= gs && gs / bs < 1.5, table);
    }
    const sgdMoved = moved("SGD (batch 1)");
    assert.ok(
      ["best", "tied"].includes(
        rowsOf("SGD (batch 1)").find((r) => Number(r[1]) === sgdMoved.g)![3],
      ),
      table,
    );
    // every "best" has the lowest mean; "tied" rows have a mean within noise of it
    for (const m of ["full batch", "minibatch 32", "SGD (batch 1)"]) {
      const scored = rowsOf(m).filter((r) => r[2] !== "–").map((r) => {
        const [mean, sd] = r[2].split(" ± ").map(Number);
        return { mean, sd, verdict: r[3] ?? "" };
      });
      const top = scored.find((r) => r.verdict === "best")!;
      assert.ok(scored.every((r) => r.mean >= top.mean), table);
      // paired over the same seeds: a difference of d needs the paired sd to be above d·√5/2,
      // and that sd is at most the sum of the two sds
      for (const r of scored.filter((r) => r.verdict === "tied")) {
        assert.ok(r.mean - top.mean < (2 / Math.sqrt(5)) * (r.sd + top.sd) + 1e-5, table);
      }
    }
    assert.ok(bestOf("full batch") > bestOf("SGD (batch 1)"), table);

    // per epoch: "after one epoch both minibatch methods are more than ten times closer than full
    // batch, and within noise of each other; after ten all three within noise"
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
    const compare = cellText(nb, "batches-compare");
    const verdictAt = (e: number, a: string, b: string) =>
      line(compare, `after epoch ${e}: ${a} vs ${b}:`).endsWith(": within noise");
    assert.ok(!verdictAt(1, "full batch", "minibatch 32"), compare);
    assert.ok(!verdictAt(1, "full batch", "SGD (batch 1)"), compare);
    assert.ok(verdictAt(1, "minibatch 32", "SGD (batch 1)"), compare);
    for (const [a, b] of [[0, 1], [0, 2], [1, 2]]) assert.ok(verdictAt(10, names[a], names[b]));
    // the rule, recomputed from the printed means and sds (unpaired: 2·√(sd₁²/5 + sd₂²/5))
    const noise = (a: { mean: number; sd: number }, b: { mean: number; sd: number }) =>
      Math.abs(a.mean - b.mean) < 2 * Math.sqrt((a.sd ** 2 + b.sd ** 2) / 5) + 1e-5;
    const [f10, m10, s10] = names.map((n) => after(n, 10));
    assert.ok(noise(m1, s1) && noise(f10, m10) && noise(f10, s10) && noise(m10, s10), batches);
    // "the median seed of both minibatch methods stays below the target earlier than full batch"
    const median = names.map((n) => numberAfter(item(batches, n), "(median"));
    assert.ok(median[1] < median[0] && median[2] < median[0], batches);
    assert.ok(Math.abs(numberAfter(batches, "gap ≤") / (0.01 * 0.3066) - 1) < 0.02, batches);
    assert.ok(names.every((n) => /below from epoch \d+ on/.test(item(batches, n))));
    // "gapCurve is many times faster than fit": one 10-epoch batch-1 run against fit's epochs
    const simMs = numberAfter(cellText(nb, "sim-curve"), "3,140 steps):");

    // fit matches the plain-JS curves: exactly for full batch, within the seeds' range otherwise
    const timed = cellText(nb, "timed");
    for (const n of names) {
      const l = item(timed, n);
      const fitGap = Number(l.match(/fit's gap after epoch \d+: (\S+)/)![1]);
      const [lo, hi] = [numberAfter(l, "plain-JS seeds:"), numberAfter(l, " to ")];
      if (n === "full batch") assert.ok(Math.abs(fitGap / lo - 1) < 0.01, l);
      else assert.ok(fitGap > lo / 2 && fitGap < 2 * hi, l);
    }
    // "the slowest step costs less than 4× the fastest, whatever the batch size"
    const msPerStep = names.map((n) => numberAfter(line(timed, n), "ms per epoch,"));
    const spread = numberAfter(timed, "the slowest");
    assert.ok(Math.abs(spread - Math.max(...msPerStep) / Math.min(...msPerStep)) < 0.1, timed);
    assert.ok(spread < 4, timed);
    assert.match(timed, /^backend \w+/);
    assert.ok(simMs < 0.1 * 10 * numberAfter(line(timed, "SGD (batch 1)"), ":"), timed);
    // per second: "full batch first, minibatches next, batch 1 last, more than ten times later"
    const race = cellText(nb, "race");
    for (const label of ["mean curve", "median seed"]) {
      const seconds = names.map((n) => numberAfter(line(race, n), label));
      assert.ok(seconds[0] < seconds[1] && seconds[1] < seconds[2], race);
    }
    const later = numberAfter(race, "batch 1 takes");
    assert.ok(later > 10 && md("batches-why-md").includes("more than ten times later"), race);

    // 5 splits: "both beat the constant on every split; the hidden layer's paired advantage is
    // positive on every split and larger than its sd, about the size of either MAE's spread"
    const predict = cellText(nb, "predict-show");
    const scoreRow = (name: string) =>
      line(predict, name).slice(name.length).trim().split(/\s{2,}/).slice(0, 5).map(Number);
    const [base, lin, mlp] = ["baseline (mean MPG)", "linear model", "hidden layer"].map(scoreRow);
    assert.ok(base.every((b, i) => lin[i] < 0.6 * b && mlp[i] < 0.6 * b), predict);
    const diff = item(predict, "linear − hidden layer");
    const [dMean, dSd] = [numberAfter(diff, "same split:"), numberAfter(diff, "±")];
    assert.match(diff, /positive on 5 of 5 splits/);
    // "by 0.08 to 0.57 MPG; mean advantage 0.33 MPG, more than twice its corrected SE (0.12)"
    const [dLo, dHi] = [numberAfter(diff, "from"), numberAfter(diff, " to ")];
    assert.ok(dLo > 0, predict);
    const corrected = numberAfter(diff, "corrected SE");
    assert.ok(Math.abs(corrected - dSd * Math.sqrt(1 / 5 + 0.25)) < 0.006, predict);
    assert.ok(corrected > numberAfter(diff, "naive SE") && dMean > 2 * corrected, predict);
    assert.ok(summary.includes(`(by ${dLo.toFixed(2)} to ${dHi.toFixed(2)} MPG)`), predict);
    assert.ok(summary.includes(`advantage, ${dMean.toFixed(2)} MPG`), predict);
    assert.ok(summary.includes(`splits (${corrected.toFixed(2)})`), predict);
    const sdOf = (v: number[]) => {
      const m = v.reduce((s, x) => s + x, 0) / v.length;
      return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1));
    };
    // "one split could overstate or hide it; the paired sd is not much below the models' sds"
    assert.ok(Math.max(sdOf(lin), sdOf(mlp)) > dMean / 2, predict);
    assert.ok(dSd > 0.75 * Math.max(sdOf(lin), sdOf(mlp)), predict);
    // by predicted MPG: "the linear model too low below 15 and from 30, too high 15–25, each by
    // more than 2 SE; the hidden layer within 2 SE of zero everywhere"
    const under = cellText(nb, "predict-under");
    const bin = (name: string) => {
      const m = [...line(under, name).matchAll(/(-?\d+\.\d+) ± (\d+\.\d+) \((\d+)\)/g)];
      return m.map((x) => ({ mean: Number(x[1]), twoSe: Number(x[2]) }));
    };
    const [lo, mid1, mid2, , hi] = ["< 15", "15–20", "20–25", "25–30", "≥ 30"].map(bin);
    for (const b of [lo, hi]) assert.ok(b[0].mean > b[0].twoSe, under);
    for (const b of [mid1, mid2]) assert.ok(-b[0].mean > b[0].twoSe, under);
    for (const name of ["< 15", "15–20", "20–25", "25–30", "≥ 30"]) {
      assert.ok(Math.abs(bin(name)[1].mean) < bin(name)[1].twoSe, under);
    }

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
    // "fit's validation error is our own on the last rows; on the newest cars it beats the
    // constant, but misses by about twice the shuffled splits' error; the sorted error and the
    // shuffled baseline happen to be close"
    const fit = cellText(nb, "pitfall-show");
    const sortedMae = numberAfter(fit, "5 seeds:");
    assert.ok(numberAfter(fit, "on rows 314–392:") < 0.01, fit);
    assert.ok(sortedMae < numberAfter(fit, "on the same newest cars:"), fit);
    assert.ok(Math.abs(sortedMae / numberAfter(fit, "(split 42):") - 1) < 0.1, fit);
    const shuffled = numberAfter(fit, "(linear model, 5 splits):");
    assert.ok(Math.abs(shuffled - lin.reduce((s, v) => s + v, 0) / 5) < 0.006, fit);
    const twice = numberAfter(fit, "sorted over shuffled:");
    assert.ok(twice > 1.7 && twice < 2.5, fit);
    assert.ok(Math.abs(twice - sortedMae / shuffled) < 0.06, fit);
    assert.ok(numberAfter(fit, "±") < (sortedMae - shuffled) / 4, fit); // spread ≪ difference
    assert.ok(
      numberAfter(fit.slice(fit.indexOf("5 splits):")), "±") < (sortedMae - shuffled) / 4,
      fit,
    );

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
        "batches-plot-second",
        "predict-fig",
      ]
    ) {
      assert.ok(
        cellBundles(nb, id).some((b) => b["application/vnd.plotly.v1+json"]),
        `cell ${id} shows a Plotly figure`,
      );
    }

    // the figures say what their sentences say
    const figure = (id: string) =>
      cellBundles(nb, id).map((b) => b["application/vnd.plotly.v1+json"]).find(Boolean) as {
        data: { name?: string; x?: number[]; y?: number[] }[];
        layout: Record<string, { text?: string; range?: number[]; constrain?: string }>;
      };
    assert.match(JSON.stringify(figure("edge-plot").layout.title), /crawling above L\*/);
    assert.ok(Math.max(...figure("edge-plot").data[0].y!) < 100, "edge plot in millions");
    const perSecond = figure("batches-plot-second");
    const targetTrace = perSecond.data.find((d) => d.name === "target (1% of L*)")!;
    const times = perSecond.data.filter((d) => d !== targetTrace).flatMap((d) => d.x!);
    assert.ok(targetTrace.x![0] <= Math.min(...times) && targetTrace.x![1] >= Math.max(...times));
    const predictFig = figure("predict-fig");
    const diagonal = predictFig.data.find((d) => d.name === "perfect prediction")!;
    assert.deepEqual([diagonal.x, diagonal.y], [[5, 48], [5, 48]]);
    assert.equal(predictFig.layout.xaxis.constrain, "domain");

    // self-checking exercises: neutral until answered, ✗ with a hint when wrong, ✓ when right
    const verdict = (id: string) => cellText(nb, id);
    assert.match(verdict("ex1-answer"), /^○ 01-centered-kappa: not answered yet/);
    assert.match(verdict("ex1-answer-wrong1"), /^✗ 01-centered-kappa: .*too large.*ratio/);
    assert.match(verdict("ex1-answer-right"), /^✓ 01-centered-kappa: right/);
    assert.match(verdict("ex2"), /^○ 01-steps-10x: not answered yet/);
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
