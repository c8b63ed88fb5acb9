import assert from "node:assert/strict";
import { cellBundles, cellText, type Notebook, numberAfter } from "../../tools/notebooks.ts";
import { skipWithoutJupyter } from "../_gate.ts";
import { assertCellsRerun, type ExerciseAnswers, runWithAnswers } from "./_lesson.ts";

const NAME = "03_early_stopping_checkpointing";

/**
 * What a learner might type into each self-checking exercise's cell: typical wrong answers
 * first, then the right one. The test runs them as extra cells right after the committed
 * exercise cell (which leaves the answer `undefined`).
 */
const ANSWERS: ExerciseAnswers = {
  ex1: {
    wrong: [
      // 0-based, as the API counts
      `const verdict1 = await checkAnswer(ex1, 4);`,
      // minDelta ignored: 0.397 and 0.396 counted as improvements
      `const verdict1 = await checkAnswer(ex1, 8);`,
    ],
    right: `const verdict1 = await checkAnswer(ex1, 5);`,
  },
  ex2: {
    wrong: [
      // the stalled loss instead of the weights
      `const verdict2 = await checkAnswer(ex2, 0.25);`,
      // a fit through the two ones, ignoring the zeros
      `const verdict2 = await checkAnswer(ex2, [1, 1, 0]);`,
    ],
    right: `// by symmetry w₁ = w₂ = w; least squares gives w = 0 and b = the mean target
const answer2 = [0, 0, [0, 1, 1, 0].reduce((s, y) => s + y, 0) / 4];
const verdict2 = await checkAnswer(ex2, answer2);`,
  },
};

/** A `textTable` output as rows of cells (columns at least two spaces apart). */
function rowsOf(text: string): string[][] {
  return text.trim().split("\n").slice(1).map((l) => l.trim().split(/\s{2,}/));
}

interface Fig {
  data: {
    name: string;
    x: number[];
    y: number[];
    showlegend?: boolean;
    line?: { color?: string };
  }[];
  layout: {
    yaxis?: { type?: string; range?: number[] };
    shapes?: { x0: number }[];
    annotations?: { text: string; showarrow?: boolean }[];
  };
}

/** The Plotly figures a cell showed. */
function figuresOf(nb: Notebook, id: string): Fig[] {
  return cellBundles(nb, id).flatMap((b) => b["application/vnd.plotly.v1+json"] ? [b] : [])
    .map((b) => b["application/vnd.plotly.v1+json"] as Fig);
}

/** A markdown cell's text, as one string with single spaces (lines joined). */
function md(nb: Notebook, id: string): string {
  const cell = nb.cells.find((c) => c.id === id);
  assert.ok(cell, `no cell ${id}`);
  return [cell.source].flat().join("").replace(/\s+/g, " ");
}

/** Assert that the prose quotes `value` as printed (an ASCII minus written as "−"). */
function quotes(prose: string, value: string | number, context = ""): void {
  const text = String(value).replace(/^-/, "−");
  assert.ok(prose.includes(`${context}${text}`), `prose lacks "${context}${text}":\n${prose}`);
}

/** The number after `label` as the output prints it (keeps trailing zeros). */
function printed(text: string, label: string): string {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = new RegExp(`${escaped}\\W*?(-?\\d+(?:\\.\\d+)?)`).exec(text);
  assert.ok(m, `no number after "${label}" in:\n${text}`);
  return m[1];
}

Deno.test({
  name:
    "03_early_stopping_checkpointing.ipynb: the naive rule fails, the recipe stops and restores, its gains are measured",
  ignore: skipWithoutJupyter,
  async fn() {
    const nb = await runWithAnswers(NAME, ANSWERS);

    // "the training-loss rule never fires while validation loss rises"
    const naive = cellText(nb, "naive-report");
    assert.equal(cellText(nb, "naive-fit"), "", "the fit cell shows nothing");
    assert.match(naive, /never fired, ran all 30 epochs/);
    const naiveBest = numberAfter(naive, "lowest at epoch");
    assert.ok(naiveBest < 30, naive);
    assert.ok(numberAfter(naive, "ended at") > numberAfter(naive, `epoch ${naiveBest} (`), naive);
    const trainLoss = /training loss: ([\d.]+) after epoch 1, ([\d.]+) after 30/.exec(naive)!;
    assert.ok(Number(trainLoss[1]) > 100 * Number(trainLoss[2]), naive);
    quotes(
      md(nb, "naive-plot-md"),
      `from ${trainLoss[1]} after the first epoch to ${trainLoss[2]}`,
    );
    // the log axis shows the training fall; the prose sends the validation rise to the zoom
    assert.equal(figuresOf(nb, "naive-plot")[0].layout.yaxis?.type, "log");
    assert.ok(!figuresOf(nb, "naive-plot")[0].data.some((t) => t.name.startsWith("best")));
    assert.match(md(nb, "naive-plot-md"), /too small for this axis and gets its own zoomed figure/);

    // the tutorial's XOR: 4 points, linear stalls at 0.25 from epoch 100 on, tanh solved it in
    // this run (still far at 100); val_loss repeats loss; the second un-awaited fit is refused
    const tutorial = cellText(nb, "tutorial-report");
    assert.match(tutorial, /^4 points/);
    const linear = /linear {2}loss after epochs 100, 200, 300: ([\d.]+), ([\d.]+), ([\d.]+)/
      .exec(tutorial)!.slice(1).map(Number);
    for (const l of linear) assert.ok(Math.abs(l - 0.25) < 1e-3, tutorial);
    const tanhText = /tanh {4}loss after epochs 100, 200, 300: ([\d.]+), ([\d.]+), ([\d.]+)/
      .exec(tutorial)!.slice(1);
    const tanh = tanhText.map(Number);
    assert.ok(tanh[2] < 0.01 && tanh[2] <= tanh[1] && tanh[0] > 0.1, tutorial);
    quotes(
      md(nb, "tutorial-read-md"),
      `${tanhText[0]} after 100 epochs, ${tanhText[2]} after 300`,
    );
    for (const m of tutorial.matchAll(/at most ([\d.e+-]+) apart/g)) assert.ok(Number(m[1]) < 1e-5);
    assert.match(
      cellText(nb, "tutorial-await"),
      /^fit 1: ran\nfit 2: rejected: Cannot start training because another fit\(\) call is ongoing/,
    );

    // "no patience stops on noise, before the real bottom"; validation alone on a linear axis,
    // no star (the stars come with the recipe's minDelta)
    const patience = cellText(nb, "patience");
    const later = /fell again to ([\d.]+) at epoch (\d+)/.exec(patience);
    assert.ok(later, patience);
    const firstRise = numberAfter(patience, "would stop at epoch");
    assert.ok(firstRise < Number(later[2]), patience);
    assert.ok(Number(later[1]) < numberAfter(patience, "(val_loss"), patience);
    assert.ok(numberAfter(patience, "then rose to") > Number(later[1]), patience);
    const [valAlone] = figuresOf(nb, "patience-plot");
    assert.equal(valAlone.data[0].name, "loss (validation)");
    assert.ok(!valAlone.data.some((t) => t.name.startsWith("best")), "no star");
    assert.notEqual(valAlone.layout.yaxis?.type, "log");
    const notes = JSON.stringify(valAlone.layout.annotations);
    assert.match(notes, new RegExp(`first-rise rule would stop here \\(epoch ${firstRise}\\)`));
    assert.doesNotMatch(notes, /early stop/);

    // "training stopped before the epoch limit, patience epochs after the best"; the
    // checkpoint (same minDelta) keeps that epoch; the run is the naive run's first epochs
    const recipe = cellText(nb, "recipe-report");
    const stopped = numberAfter(recipe, "stopped at epoch");
    const bestEpoch = numberAfter(recipe, "best epoch");
    assert.ok(stopped < 30, recipe);
    assert.equal(stopped - bestEpoch, 5, recipe);
    assert.equal(numberAfter(recipe, "last at epoch"), bestEpoch, recipe);
    assert.match(recipe, /same curve as the naive run's first \d+ epochs: true/);
    assert.ok(numberAfter(recipe, "last epoch") > numberAfter(recipe, "(val_loss"), recipe);
    // the star's epoch is the best by minDelta; a later, lower epoch by less does not count
    const [lowText, lowAt, below] = /lowest val_loss: ([\d.]+) at epoch (\d+), ([\d.]+) below/
      .exec(recipe)!.slice(1);
    assert.notEqual(Number(lowAt), bestEpoch);
    assert.ok(Number(below) < 1e-3 && Number(below) > 0, recipe);
    assert.ok(Number(lowText) < numberAfter(recipe, "(val_loss"));
    const zoomMd = md(nb, "recipe-zoom-md");
    quotes(
      zoomMd,
      `by the stopper's rule, epoch ${bestEpoch}. Epoch ${lowAt} is lower, by ${below}`,
    );
    // the dashboard: log axis, train and validation in different colours, the stop and the
    // stopper's best epoch marked
    assert.match(JSON.stringify(cellBundles(nb, "recipe-fit")), /early stop \(epoch \d+\)/);
    const dash = figuresOf(nb, "recipe-fit").at(-1)!;
    assert.equal(dash.layout.yaxis?.type, "log");
    assert.notEqual(dash.data[0].line?.color, dash.data[1].line?.color);
    assert.ok(dash.data.some((t) => t.name === `best val_loss (epoch ${bestEpoch})`));
    // the zoomed validation panel shows the rise: best and last inside its y range
    const zoom = figuresOf(nb, "recipe-zoom")[0];
    const [lo, hi] = zoom.layout.yaxis!.range!;
    for (const v of [numberAfter(recipe, "(val_loss"), numberAfter(recipe, "last epoch")]) {
      assert.ok(v > lo && v < hi, `${v} outside the zoom ${lo}–${hi}`);
    }
    assert.ok(zoom.data.some((t) => t.name === `best val_loss (epoch ${bestEpoch})`));

    // the test − validation gap grows with the epoch (a trend, many se from zero)
    const gap = cellText(nb, "gap-report");
    const gapAt = (e: number) => numberAfter(gap, `${e}:`);
    assert.ok(gapAt(2) < gapAt(5) && gapAt(5) < gapAt(stopped), gap);
    const [slope, slopeSe] = /fit from epoch 2: ([\d.]+) ± ([\d.]+) per epoch/.exec(gap)!.slice(1);
    assert.ok(Number(slope) > 3 * Number(slopeSe), gap);
    assert.match(gap, /test loss at or below validation at epochs: none/);
    const gapRead = md(nb, "gap-read-md");
    quotes(
      gapRead,
      `from ${printed(gap, "epoch 2:")} at epoch 2 to ${printed(gap, `${stopped}:`)}`,
    );
    quotes(gapRead, `at epoch ${stopped}, about ${slope} ± ${slopeSe} per epoch`);
    quotes(gapRead, "Validation has 1,000 digits against the test's 2,000");
    assert.match(cellText(nb, "data"), /validation 1000, test 2000/);
    const gapFig = figuresOf(nb, "gap-plot")[0];
    assert.equal(gapFig.data.length, 3, "gap, fitted line, chosen epoch");
    assert.deepEqual(gapFig.layout.annotations?.map((a) => [a.text, a.showarrow]), [
      [`best (${bestEpoch})`, true],
    ]);

    // the reloaded checkpoint is the best epoch's model
    const reload = cellText(nb, "reload");
    assert.equal(
      numberAfter(reload, "validation loss"),
      numberAfter(reload, "best epoch in history:"),
    );

    // test scores: checkpoint, last epoch, naive 30 epochs
    const compare = cellText(nb, "compare");
    const table = rowsOf(compare.split("\ncompute")[0]);
    const [ckpt, lastEp, naive30] = table.map((r) => [Number(r[1]), parseFloat(r[2])]);
    assert.equal(numberAfter(table[0][0], "epoch"), bestEpoch);
    assert.ok(ckpt[0] < lastEp[0] && lastEp[0] < naive30[0], compare);
    assert.ok(numberAfter(compare, "allowed,") > 20, "fewer epochs than the naive run's cap of 30");
    // paired on the same digits: discordant counts within coin-flip noise (McNemar), the
    // loss gain several standard errors; the prose quotes them
    const pairedText = cellText(nb, "compare-paired");
    const zs = [...pairedText.matchAll(/= (-?[\d.]+)\n/g)].map((m) => Number(m[1]));
    assert.equal(zs.length, 2, pairedText);
    for (const z of zs) assert.ok(Math.abs(z) < 2, pairedText);
    const losses = [...pairedText.matchAll(/: ([\d.-]+) ± ([\d.]+) per digit/g)];
    for (const m of losses) assert.ok(Number(m[1]) > 2.5 * Number(m[2]), pairedText);
    const compareRead = md(nb, "compare-read-md");
    const [onlyCk, onlyLast] = /right (\d+), only last epoch right (\d+)/.exec(pairedText)!
      .slice(1);
    quotes(
      compareRead,
      `${Number(onlyCk) + Number(onlyLast)} of the 2,000 digits, ${onlyCk} against ${onlyLast}`,
    );
    quotes(compareRead, `McNemar z of ${zs[0].toFixed(1)}`);
    quotes(compareRead, `by ${losses[0][1]}`);
    quotes(compareRead, `${printed(pairedText, "(mean ± se),")} standard errors`);
    quotes(
      md(nb, "seeds-intro-md"),
      `after ${stopped} epochs, ${printed(compare, "allowed,")}% fewer`,
    );
    // "more than all of it comes from the digits both get wrong; the last epoch is more
    // confident in its mistakes, and more confident on the digits both get right, which pays
    // back almost half"
    const conf = Object.fromEntries(
      rowsOf(cellText(nb, "confidence-report")).map((r) => [r[0], r]),
    );
    assert.ok(Number(conf["both wrong"][4]) > Number(conf["all"][4]), JSON.stringify(conf));
    assert.ok(Number(conf["both wrong"][3]) > Number(conf["both wrong"][2]));
    assert.ok(Number(conf["both right"][3]) < Number(conf["both right"][2]));
    quotes(compareRead, `${conf["both wrong"][3]} against ${conf["both wrong"][2]}`);
    const payBack = -Number(conf["both right"][4]) / Number(conf["both wrong"][4]);
    assert.ok(payBack > 0.35 && payBack < 0.5, `almost half: ${payBack}`);
    quotes(
      compareRead,
      `(a part of ${conf["both right"][4].replace("-", "−")}, which pays back almost half of`,
    );
    quotes(compareRead, `the ${conf["both wrong"][4]} lost on the shared mistakes`);

    // the seed runs: all 30 epochs long; how each stopped; the naive rule on every run
    assert.match(cellText(nb, "seeds"), /^4 runs, each 30, 30, 30, 30 epochs/);
    const stops = rowsOf(cellText(nb, "seeds-stopping-table").split("\nthe first rise")[0]);
    assert.equal(stops.length, 4);
    assert.deepEqual(stops[0].slice(0, 3), ["42", `${stopped}`, `${bestEpoch}`]);
    for (const [, stop, best, rise, , testBest, cameBack, naiveFires] of stops) {
      assert.equal(Number(stop) - Number(best), 5);
      assert.ok(Number(rise) < Number(best), "the first rise comes before the bottom");
      assert.ok(Number(testBest) <= Number(best));
      assert.equal(cameBack, "no");
      assert.equal(naiveFires, "never");
    }
    assert.match(
      cellText(nb, "seeds-stopping-table"),
      /the first rise was the best epoch in 0 of 4/,
    );
    const waits = stops.map((r) => Number(r[4]));
    const stopRead = md(nb, "seeds-stopping-read-md");
    quotes(stopRead, "The naive rule never fired in any of the four runs");
    quotes(stopRead, `The longest wait is ${Math.max(...waits)} epochs`);
    assert.ok(Math.max(...waits) + 1 < 5, "patience 5 has an epoch to spare");
    quotes(stopRead, `patience ${Math.max(...waits) + 1} would have`);
    const earlier = stops.filter((r) => Number(r[5]) < Number(r[2])).length;
    const words = ["no", "one", "two", "three", "four"];
    quotes(stopRead, `earlier than the one validation chose in ${words[earlier]} runs of four`);

    // gains over the last epoch: positive in every run; the accuracy gain within noise
    const gainRows = rowsOf(cellText(nb, "seeds-gain"));
    for (const r of gainRows) assert.ok(Number(r[1]) < Number(r[2]) && Number(r[3]) > 0);
    const budgetText = cellText(nb, "seeds-budget");
    const intervals = cellText(nb, "seeds-gain-summary") + budgetText +
      cellText(nb, "seeds-optimism");
    const interval = (label: string) =>
      new RegExp(`${label}: (-?[\\d.]+), 95% interval \\[(-?[\\d.]+), (-?[\\d.]+)\\]`)
        .exec(intervals)!.slice(1);
    const minus = (s: string) => s.replace(/-/g, "−");
    const gain = interval("test loss");
    const acc = interval("test accuracy, points");
    const vsBudget = interval(`over 4 seeds`);
    const optimism = interval("selection optimism");
    const splitGap = interval("split gap");
    assert.ok(Number(gain[1]) > 0, "the gain's interval is above zero");
    assert.ok(Number(acc[1]) < 0 && Number(acc[2]) > 0, "no accuracy gain shown");
    assert.ok(Number(vsBudget[1]) < 0 && Number(vsBudget[2]) > 0, "the budget: within noise");
    const seedsRead = md(nb, "seeds-read-md");
    quotes(
      seedsRead,
      `on average by ${gain[0]} in test loss, with a 95 % interval of ${gain[1]} to ${gain[2]}`,
    );
    quotes(
      seedsRead,
      `the gain is ${acc[0]} points, with an interval from ${minus(acc[1])} to ${acc[2]}`,
    );
    // the budget is chosen on validation; per-seed differences, 0 where a run chose it itself
    const budget = numberAfter(budgetText, "epochs 1–30):");
    const perSeedBudget = /per seed: ([\d., -]+)\n/.exec(budgetText)![1];
    const zeros = perSeedBudget.split(", ").filter((d) => Number(d) === 0).length;
    assert.equal(zeros, stops.filter((r) => Number(r[2]) === budget).length);
    quotes(seedsRead, `Against the fixed budget (${budget} epochs) the differences are`);
    quotes(seedsRead, `${minus(perSeedBudget)} (${words[zeros]} runs chose epoch ${budget}`);
    quotes(
      seedsRead,
      `on average ${minus(vsBudget[0])}, with an interval from ${minus(vsBudget[1])} to ` +
        `${vsBudget[2]}`,
    );
    const reach = Math.max(-Number(vsBudget[1]), Number(vsBudget[2])).toFixed(3);
    quotes(seedsRead, `differences up to about ${reach} either way`);
    // cost: early stopping = Σ best + 4 × patience; against the budget and the cap
    const [trained, bests, fixed, budgetAgain, cap] =
      /early stopping (\d+) = best epochs (\d+) \+ 4 × patience 5;\n {2}the budget (\d+) \(4 × (\d+)\); the cap of 30: (\d+)/
        .exec(budgetText)!.slice(1).map(Number);
    assert.equal(budgetAgain, budget);
    assert.equal(trained, bests + 20);
    assert.equal(trained, stops.reduce((s, r) => s + Number(r[1]), 0));
    assert.equal(bests, stops.reduce((s, r) => s + Number(r[2]), 0));
    assert.equal(fixed, 4 * budget);
    const extra = printed(budgetText, "extra epochs per run:");
    assert.equal(Number(extra), (trained - fixed) / 4);
    assert.ok(bests > fixed && fixed < trained && trained < cap, budgetText);
    quotes(seedsRead, `trained ${trained} epochs: their best epochs add up to ${bests}`);
    quotes(seedsRead, `The budget trains ${fixed} (4 × ${budget})`);
    quotes(seedsRead, `paid ${extra} epochs per run more`);
    quotes(seedsRead, `plus ${bests - fixed} epochs in all because the runs' own best epochs`);
    quotes(seedsRead, `came later than ${budget} on average`);
    quotes(seedsRead, `cap of 30 (${cap} epochs)`);
    // split or selection: per seed, chosen gap = split gap + optimism; the optimism small
    // but above zero, the split gap far larger
    const optText = cellText(nb, "seeds-optimism");
    const parts = [...optText.matchAll(/(\d+): ([\d.-]+) = ([\d.-]+) \+ ([\d.-]+)/g)];
    assert.equal(parts.length, 4, optText);
    for (const [, , whole, split, sel] of parts) {
      assert.ok(Math.abs(Number(whole) - Number(split) - Number(sel)) < 2e-4, optText);
    }
    assert.ok(Number(optimism[1]) > 0 && Number(optimism[2]) < 0.01, "optimism: small, > 0");
    assert.ok(Number(splitGap[1]) > 4 * Number(optimism[2]), `${splitGap} ${optimism}`);
    const splitMd = md(nb, "split-noise-md");
    quotes(
      splitMd,
      `by ${optimism[0]} on average, with an interval from ${optimism[1]} to ${optimism[2]}`,
    );
    quotes(splitMd, `split gap of ${splitGap[0]} (interval ${splitGap[1]} to ${splitGap[2]})`);
    // the split gap against chance: z about 2.1 (normal: about once in thirty); the random
    // deals of the same digits, which need no normal approximation, find it more often
    const noise = cellText(nb, "split-noise");
    const [splitDiff, splitSe, splitZ] = /test − validation: ([\d.]+) ± ([\d.]+) .*, ([\d.]+) se/
      .exec(noise)!.slice(1);
    assert.ok(Number(splitZ) > 2.05 && Number(splitZ) < 2.25, noise);
    const splitRead = md(nb, "split-read-md");
    quotes(splitRead, `${splitDiff} ± ${splitSe}, ${splitZ} standard errors`);
    const deals = Number(/either way: (\d+) of 1000/.exec(cellText(nb, "split-deal"))![1]);
    assert.ok(deals > 35, "more often than the normal approximation's ≈ 1 in 30");
    const onceIn = [
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "ten",
      "eleven",
      "twelve",
      "thirteen",
      "fourteen",
      "fifteen",
      "sixteen",
      "seventeen",
      "eighteen",
      "nineteen",
      "twenty",
    ][Math.round(1000 / deals)];
    quotes(splitRead, `${deals} times in 1,000, about once in ${onceIn}`);
    quotes(md(nb, "train-vs-val-read-md"), `${splitZ} standard errors harder`);

    // patience 30: same restored epoch, more epochs; the validation loss never came back
    // below the best by more than minDelta; restoreBestWeights leaves the best weights; the
    // lowest validation epoch, had it been taken, is worse on test
    const p30 = cellText(nb, "patience30-report");
    assert.equal(numberAfter(p30, "restored epoch"), bestEpoch, p30);
    assert.equal(numberAfter(p30, "stopped at epoch"), bestEpoch + 30, p30);
    const lowest = numberAfter(p30, "of the whole run:");
    const restoredVal = numberAfter(p30, "validation loss now");
    assert.ok(lowest >= restoredVal - 1e-3, p30);
    assert.equal(numberAfter(p30, "test loss"), ckpt[0], p30);
    assert.equal(numberAfter(p30, "cost"), bestEpoch + 30 - stopped, p30);
    assert.match(p30, /its first 30 epochs are the naive run's: true/);
    const [lowestText, lowestAt] = /of the whole run: ([\d.]+) at epoch (\d+)/.exec(p30)!.slice(1);
    const [tLowAt, tLow, tBestAt, tBest] = /at epoch (\d+) ([\d.]+), at epoch (\d+) ([\d.]+)/
      .exec(p30)!.slice(1);
    assert.equal(Number(tLowAt), Number(lowestAt));
    assert.equal(Number(tBestAt), bestEpoch);
    assert.ok(Number(tLow) > Number(tBest), p30);
    const p30Read = md(nb, "patience30-read-md");
    quotes(p30Read, `all ${bestEpoch + 30} epochs, ${lowestText} at epoch ${lowestAt}`);
    quotes(p30Read, `restored best ${printed(p30, "validation loss now")}`);
    quotes(p30Read, `same epoch ${bestEpoch}`);
    quotes(p30Read, `(at most ${Math.max(...waits)} epochs in the four runs)`);
    quotes(p30Read, `at epoch ${lowestAt}, had a test loss of ${tLow}`);
    quotes(p30Read, `the restored epoch ${bestEpoch}'s ${tBest}`);
    quotes(p30Read, "tried on this one seed only");
    const longFig = figuresOf(nb, "patience30-plot")[0];
    const lines = longFig.layout.shapes!.map((s) => s.x0).sort((a, b) => a - b);
    assert.deepEqual(lines, [stopped, bestEpoch + 30]);
    assert.ok(
      longFig.data.some((t) => t.name === `restored weights (epoch ${bestEpoch})`),
    );
    assert.deepEqual(longFig.layout.annotations!.map((a) => a.text).sort(), [
      `patience 30 stops (epoch ${bestEpoch + 30})`,
      `patience 5 stops (epoch ${stopped})`,
    ]);
    const summaryMd = md(nb, "summary");
    quotes(summaryMd, `(${Math.max(...waits)} epochs here, on this split and model)`);
    quotes(summaryMd, `30 cost ${bestEpoch + 30 - stopped} extra epochs`);
    quotes(summaryMd, "in the one run where we tried it");
    quotes(summaryMd, `interval ${Number(gain[1]).toFixed(3)} to ${Number(gain[2]).toFixed(3)}`);
    quotes(summaryMd, `for ${extra} more epochs per run`);
    quotes(summaryMd, `by ${optimism[0]} (interval ${optimism[1]} to ${optimism[2]})`);
    quotes(summaryMd, `(${splitZ} standard errors;`);
    quotes(summaryMd, `large ${deals} times in 1,000`);

    // a seeded tfjs dropout layer repeats its mask; without a seed it does not, and a run
    // through fit with an unseeded dropout layer repeats after setRandomSeed
    assert.match(
      cellText(nb, "dropout-seed"),
      /seed \}\): same mask on both calls: true\n.*setRandomSeed: same mask on both calls: false/,
    );
    assert.equal(
      cellText(nb, "dropout-fit"),
      "seed 42 twice: same weights true; seed 43: same false",
    );
    const cnnSource = [nb.cells.find((c) => c.id === "textcnn")!.source].flat().join("");
    assert.match(cnnSource, /tf\.layers\.dropout\(\{ rate: 0\.2 \}\)/);
    assert.match(cellText(nb, "textcnn-run"), /text-CNN: 33610 weights;/);
    quotes(md(nb, "textcnn-read-md"), "33,610 weights");

    // the text-CNN: stops on val_acc with a minDelta (marked); its dashboard's legend names
    // the two splits once
    assert.match(cellText(nb, "tokens"), /tokens 1000×28/);
    const cnn = cellText(nb, "textcnn-run");
    const [eLoss, eAcc] = [
      numberAfter(cnn, "best val_loss at epoch"),
      numberAfter(cnn, "best val_acc at epoch"),
    ];
    assert.ok(numberAfter(cnn, "stopped at epoch") === eAcc + 5, cnn);
    assert.match(JSON.stringify(cellBundles(nb, "textcnn-run")), /early stop \(epoch \d+\)/);
    const cnnDash = figuresOf(nb, "textcnn-run").at(-1)!;
    assert.deepEqual(
      cnnDash.data.filter((t) => t.showlegend !== false && !t.name.startsWith("best"))
        .map((t) => t.name),
      ["train", "validation"],
    );
    assert.ok(cnnDash.data.some((t) => t.name === `best val_acc (epoch ${eAcc})`));
    const neighbours = cellText(nb, "textcnn-loss");
    // each checkpoint sits on a small extreme: below (above) both neighbours
    const around = (label: string) =>
      new RegExp(`${label} +at epochs [\\d, ]+: ([\\d.]+), ([\\d.]+), ([\\d.]+)`).exec(neighbours)!
        .slice(1).map(Number);
    const [l0, l1, l2] = around("val_loss");
    const [a0, a1, a2] = around("val_acc");
    assert.ok(l1 < l0 && l1 < l2 && a1 > a0 && a1 > a2, neighbours);
    // later epochs above the star by at most minDelta, named next to the dashboard
    const hair = [
      .../minDelta 0\.005: (.*)\n/.exec(neighbours)![1].matchAll(/(\d+) \(([\d.]+)\)/g),
    ];
    assert.ok(hair.length > 0, neighbours);
    for (const [, , v] of hair) assert.ok(Number(v) > a1 && Number(v) <= a1 + 0.005 + 1e-9);
    const starMd = md(nb, "textcnn-loss-read-md");
    quotes(starMd, `The star is at epoch ${eAcc} (${a1.toFixed(3)}); epochs `);
    quotes(starMd, hair.map((h) => `${h[1]} (${h[2]})`).join(" and "));
    // past the bottom the validation loss climbs; the accuracy stays within noise
    const cnnDashVal = cnnDash.data.filter((t) => t.name === "validation");
    const [valLossCurve, valAccCurve] = cnnDashVal.map((t) => t.y);
    const accSe = numberAfter(neighbours, "1000 digits:");
    assert.ok(valLossCurve.at(-1)! > l1 + 0.03, `${valLossCurve}`);
    assert.ok(Math.abs(valAccCurve.at(-1)! - a1) < 2 * accSe, `${valAccCurve}`);
    quotes(starMd, `standard error of about ${printed(neighbours, "1000 digits:")}`);
    // the loss zoom: the bottom inside the range, the clipped epochs listed in the title
    const cnnLossFig = figuresOf(nb, "textcnn-loss-plot")[0];
    assert.match(JSON.stringify(cnnLossFig), /best val_loss \(epoch \d+\)/);
    const [clo, chi] = cnnLossFig.layout.yaxis!.range!;
    assert.ok(clo < l1 && l1 < chi && chi - clo < 0.21);
    const clipped = valLossCurve.flatMap((v, i) => (v > chi ? [i + 1] : []));
    assert.match(JSON.stringify(cnnLossFig), new RegExp(`epochs ${clipped.join(", ")} above 0.8`));
    // both checkpoints behind the MLP; on the same test digits, not told apart
    const cnnTest = rowsOf(cellText(nb, "textcnn-test")).map((r) => parseFloat(r[2]));
    assert.ok(cnnTest[0] > 60 && cnnTest[1] > 60, `${cnnTest}`);
    assert.ok(Math.max(cnnTest[0], cnnTest[1]) < cnnTest[2], "the text-CNN is behind the MLP");
    const cnnPaired = cellText(nb, "textcnn-paired");
    assert.ok(Math.abs(numberAfter(cnnPaired, "= ")) < 2, cnnPaired);
    const [cnnD, cnnSe] = /: ([\d.-]+) ± ([\d.]+) per digit/.exec(cnnPaired)!.slice(1).map(Number);
    assert.ok(Math.abs(cnnD) < cnnSe, "a fraction of its standard error");
    assert.equal(Math.abs(eLoss - eAcc), 1, "one epoch apart");
    // over-confident on its mistakes, on the same digit groups: about as many right, the
    // both-wrong digits' loss grows (more than the whole change), the both-right loss shrinks
    const cnnConf = cellText(nb, "textcnn-confidence");
    const [rightBest, rightEnd] = /\(best val_loss\) (\d+), epoch \d+ \(last\) (\d+)/.exec(cnnConf)!
      .slice(1);
    assert.ok(Math.abs(Number(rightBest) - Number(rightEnd)) < 2 * Math.sqrt(200));
    const cg = Object.fromEntries(
      rowsOf(cnnConf.split("\n").slice(1).join("\n")).map((r) => [r[0], r]),
    );
    assert.ok(Number(cg["both wrong"][3]) > Number(cg["both wrong"][2]));
    assert.ok(Number(cg["both wrong"][4]) > Number(cg["all"][4]));
    assert.ok(Number(cg["both right"][3]) < Number(cg["both right"][2]));
    const cnnRead = md(nb, "textcnn-read-md");
    quotes(cnnRead, `checkpoint (epoch ${eLoss}) and the last epoch (${valLossCurve.length})`);
    quotes(cnnRead, `right (${rightBest} against ${rightEnd})`);
    quotes(
      cnnRead,
      `On the ${cg["both wrong"][1]} digits both get wrong, the last epoch's mean loss is ` +
        `${cg["both wrong"][3]} against ${cg["both wrong"][2]}: a part of ${
          cg["both wrong"][4]
        }, ` +
        `more than the whole difference (${cg["all"][4]})`,
    );
    quotes(
      cnnRead,
      `On the ${cg["both right"][1]} both get right it is more confident ` +
        `(${cg["both right"][3]} against ${cg["both right"][2]}), which pays back ` +
        `${cg["both right"][4].replace("-", "")}`,
    );

    // train below validation in the log, never when scored like validation; ahead by about
    // 3 points early on
    const tv = cellText(nb, "train-vs-val");
    assert.ok(numberAfter(tv, "below validation:") === 1, tv);
    assert.match(tv, /dropout off, is below validation: none/);
    const [e1, e2, e3, lastAt, leadLast] =
      /epochs 1–3 ([\d.]+), ([\d.]+), ([\d.]+); epoch (\d+) ([\d.]+)/
        .exec(tv)!.slice(1);
    for (const l of [e1, e2, e3]) assert.ok(Number(l) > 2 && Number(l) < 4, tv);
    assert.equal(Number(lastAt), valLossCurve.length);
    const tvRead = md(nb, "train-vs-val-read-md");
    quotes(tvRead, `(${e1}, ${e2}, ${e3};`);
    quotes(tvRead, `by ${leadLast} points at epoch ${lastAt}`);
    const twoAccSe = 100 * Math.sqrt(2 * a1 * (1 - a1) / 1000);
    assert.equal(Math.round(twoAccSe), 2, "a standard error of about 2 points");
    // no printed line wraps in the HTML export (the backend report and verdicts are the library's)
    for (
      const c of nb.cells.filter((c) => c.cell_type === "code" && !/^(setup|ex\d)/.test(c.id!))
    ) {
      for (const line of cellText(nb, c.id!).split("\n")) assert.ok(line.length <= 90, line);
    }

    // self-checking exercises: ○ until answered, ✗ with a hint, ✓ when right; no answer
    // printed by the checks or written in the exercise cells
    for (const id of ["ex1", "ex2"]) {
      const source = [nb.cells.find((c) => c.id === id)!.source].flat().join("");
      assert.doesNotMatch(source, /equals\(|closeTo\(|allClose\(/, source);
    }
    assert.equal(cellText(nb, "exercise-checks"), "");
    assert.equal(cellText(nb, "exercise-checks-2"), "check for Exercise 2 ready");
    assert.doesNotMatch(md(nb, "ex2-md"), /0\.5|0\.25/);
    const verdict = (id: string) => cellText(nb, id);
    assert.match(verdict("ex1"), /^○ 03-stop-epoch: not answered yet/);
    assert.match(verdict("ex1-wrong1"), /^✗ 03-stop-epoch: 4 is not it.*count epochs from 1/);
    assert.match(verdict("ex1-wrong2"), /^✗ 03-stop-epoch: 8 is not it.*minDelta/);
    assert.match(verdict("ex1-right"), /^✓ 03-stop-epoch: right/);
    assert.match(verdict("ex2"), /^○ 03-xor-linear: not answered yet/);
    assert.match(verdict("ex2-wrong1"), /^✗ 03-xor-linear: Got .*array of shape \[3\]/);
    assert.match(verdict("ex2-wrong2"), /^✗ 03-xor-linear: .*Least squares/);
    assert.match(verdict("ex2-right"), /^✓ 03-xor-linear: right/);
  },
});

Deno.test({
  name:
    "03_early_stopping_checkpointing.ipynb: every code cell can run twice in a row (checkpoints, callbacks)",
  ignore: skipWithoutJupyter,
  fn: () => assertCellsRerun(NAME, ["cleanup"]),
});
