import assert from "node:assert/strict";
import { cellBundles, cellText, type Notebook, numberAfter } from "../../tools/notebooks.ts";
import { skipWithoutJupyter } from "../_gate.ts";
import { assertCellsRerun, type ExerciseAnswers, runWithAnswers } from "./_lesson.ts";

const NAME = "04_training_loop_anatomy";

/**
 * What a learner might type into each self-checking exercise's answer cell: a typical wrong
 * answer, then the right one. They run as extra cells right after the committed answer cell
 * (which leaves the answer `undefined`).
 */
const ANSWERS: ExerciseAnswers = {
  "ex1-answer": {
    wrong: [
      `const verdict1 = await checkAnswer(ex1, 5 * xTrain.shape[0] / 48); // no partial batch`,
    ],
    right: `const verdict1 = await checkAnswer(ex1, 5 * Math.ceil(xTrain.shape[0] / 48));`,
  },
  "ex2-answer": {
    wrong: [`const verdict2 = await checkAnswer(ex2, leakyCounts.at(-1)); // all 32 batches`],
    right: `const answer2 = (leakyCounts.at(-1)! - leakyCounts[0]) / (leakyCounts.length - 1);
const verdict2 = await checkAnswer(ex2, answer2);`,
  },
};

/** A `textTable` output as rows keyed by their first cell (columns are ≥ 2 spaces apart). */
function tableOf(text: string): Record<string, string[]> {
  const rows = text.trim().split("\n").slice(1).map((l) => l.trim().split(/\s{2,}/));
  return Object.fromEntries(rows.map(([key, ...cells]) => [key, cells]));
}

/** `"88.9 ± 1.1"` → `{ mean: 88.9, sd: 1.1 }`. */
function meanSd(cell: string): { mean: number; sd: number } {
  const [mean, sd] = cell.split("±").map(Number);
  return { mean, sd };
}

/** The Plotly figure a cell showed. */
function figureOf(nb: Notebook, id: string) {
  const bundle = cellBundles(nb, id).find((b) => b["application/vnd.plotly.v1+json"]);
  assert.ok(bundle, `cell ${id} shows a Plotly figure`);
  return bundle["application/vnd.plotly.v1+json"] as {
    data: { name?: string; x: number[]; y: number[]; mode?: string }[];
    layout: { xaxis?: { type?: string; tickvals?: number[] }; yaxis?: { type?: string } };
  };
}

Deno.test({
  name: "04_training_loop_anatomy.ipynb: the hand loop equals fit, and the measurements hold",
  ignore: skipWithoutJupyter,
  async fn() {
    const nb = await runWithAnswers(NAME, ANSWERS);

    // "the same seeded run with model.fit gives the same numbers"
    const hand = cellText(nb, "hand-run");
    const fit = cellText(nb, "fit-run");
    assert.equal(hand.match(/epoch \d+:/g)?.length, 4, hand);
    assert.equal(fit.match(/epoch \d+:/g)?.length, 4, fit);
    const compare = cellText(nb, "compare-run");
    assert.ok(numberAfter(compare, "largest loss difference") < 1e-5, compare);
    assert.ok(numberAfter(compare, "largest val_loss difference") < 1e-5, compare);
    assert.equal(numberAfter(compare, "largest weight difference"), 0, compare);
    // "7.1e-8, less than one float32 step"; "redone fit's way, the training losses agree to the bit"
    const step = (text: string) =>
      Number(text.match(/one float32 step near [\d.]+: ([\d.e+-]+)/)![1]);
    assert.ok(numberAfter(compare, "largest loss difference") < step(compare), compare);
    const redone = cellText(nb, "roundoff-train");
    assert.equal(numberAfter(redone, "largest difference"), 0, redone);

    // "summed fit's way, our number equals fit's to the last bit; both orders land within a few
    // float32 steps of the float64 reference"
    const roundoff = tableOf(cellText(nb, "roundoff-table"));
    const minusFit = (row: string) => Number(roundoff[row][1]);
    assert.equal(minusFit("validateInBatches(handModel, 64)"), 0, JSON.stringify(roundoff));
    const whole = Math.abs(minusFit("validate(): all 500 at once"));
    assert.ok(whole > 0 && whole < 1e-6, JSON.stringify(roundoff));
    assert.ok(
      Math.abs(minusFit("float64 mean of the 500 losses")) < 1e-6,
      JSON.stringify(roundoff),
    );
    // the "all at once" row is the hand run's last val_loss (printed there with 6 digits)
    const handLast = Number(roundoff["validate(): all 500 at once"][0]).toFixed(6);
    assert.ok(
      hand.includes(`epoch 4: loss ${"" /* any */}`) && hand.endsWith(`val_loss ${handLast}`),
      hand,
    );

    // batch sizes: underfitting at one rate, the linear scaling rule, cost
    const batch = tableOf(cellText(nb, "batch-table"));
    const col = (size: number, i: number) => batch[String(size)][i];
    const updates = (s: number) => Number(col(s, 0));
    const sameAcc = (s: number) => meanSd(col(s, 1));
    const sameLoss = (s: number) => meanSd(col(s, 2)).mean;
    const scaledAcc = (s: number) => meanSd(col(s, 4));
    const perSecond = (s: number) => Number(col(s, 6));
    const seconds = (s: number) => Number(col(s, 8));
    const peak = (s: number) => Number(col(s, 9));
    const text = JSON.stringify(batch);
    assert.deepEqual([8, 32, 128, 512].map(updates), [750, 189, 48, 12], text);
    assert.ok(
      sameAcc(8).mean > sameAcc(128).mean + 10 && sameAcc(128).mean > sameAcc(512).mean,
      text,
    );
    // "they do not overfit, they underfit": training loss rises with the batch, 512 near ln 10
    assert.ok(sameLoss(512) > 4 * sameLoss(8) && sameLoss(512) > 2, text);
    // "linear scaling closes most of the gap up to 128: within about 2 points of batch 8's, some
    // 25 points above the same-rate run, many times the seed-to-seed spread"
    assert.ok(scaledAcc(128).mean > sameAcc(8).mean - 3, text);
    const spread = Math.max(scaledAcc(128).sd, sameAcc(128).sd);
    assert.ok(scaledAcc(128).mean - sameAcc(128).mean > 5 * spread, text);
    assert.ok(scaledAcc(128).mean - sameAcc(128).mean > 15, text);
    // "at 512 the rule breaks"
    assert.ok(scaledAcc(512).mean < scaledAcc(128).mean - 20, text);
    // "examples per second rise some 4–7 times from 8 to 128" (less on a loaded machine); "per
    // second, batch 8 took several times as long"; "64 times the batch, about 6 times the memory"
    assert.ok(perSecond(128) > 2.5 * perSecond(8) && perSecond(512) > 2 * perSecond(8), text);
    assert.ok(seconds(8) > 2 * seconds(128), text);
    assert.ok(peak(512) > 2 * peak(8) && peak(512) < 16 * peak(8), text);
    // "from 8 to 32 the peak hardly moves"; "from 128 to 512 about 6 KB per example"
    assert.ok(Math.abs(peak(32) - peak(8)) < 10, text);
    const perExample = (peak(512) - peak(128)) / 384;
    assert.ok(perExample > 4 && perExample < 8, text);
    assert.match(cellText(nb, "batch-summary"), /input-sized tensors .*Identity \[512,784\]/);
    // "a 6-step warm-up leaves the accuracy where it was; without it the loss jumps back up at step 4"
    const warm = tableOf(cellText(nb, "batch-warmup"));
    const [coldAcc, warmAcc] = [meanSd(warm["no warm-up"][0]), meanSd(warm["warm-up, 6 steps"][0])];
    assert.ok(Math.abs(warmAcc.mean - coldAcc.mean) < coldAcc.sd, JSON.stringify(warm));
    const coldLosses = warm["no warm-up"][1].split(", ").map(Number);
    assert.ok(coldLosses[3] > coldLosses[2], JSON.stringify(warm));
    assert.match(cellText(nb, "batch"), /^21 runs in/);
    const accFigure = figureOf(nb, "batch-plot-dots");
    assert.equal(accFigure.layout.xaxis?.type, "log");
    assert.deepEqual(accFigure.layout.xaxis?.tickvals, [8, 32, 128, 512]);
    const dots = accFigure.data.filter((t) => t.mode === "markers");
    assert.deepEqual(dots.map((t) => t.x.length), [12, 9], "3 seeds × 4, batch 8 drawn once");
    assert.ok(dots.every((t) => t.name?.startsWith("each seed")), "the dots are in the legend");
    const costFigure = figureOf(nb, "batch-cost");
    assert.equal(costFigure.layout.xaxis?.type, "log");
    assert.deepEqual(costFigure.layout.xaxis?.tickvals, [8, 32, 128, 512]);
    assert.equal(costFigure.layout.yaxis?.type, "log");

    // "tf.tidy and dispose free what a loop makes"
    const memory = cellText(nb, "memory");
    assert.equal(numberAfter(memory, "without tidy"), 200, memory);
    assert.equal(numberAfter(memory, "with tf.tidy"), 0, memory);
    assert.equal(numberAfter(memory, "with dispose"), 0, memory);
    // "the count climbs by the same amount at every batch; the tidy loop's stays flat at zero"
    const leak = cellText(nb, "leak-run");
    assert.equal(numberAfter(leak, "trainStep"), 0, leak);
    const [leaky, tidy] = figureOf(nb, "leak-plot").data;
    assert.equal(leaky.y.length, 32);
    const steps = leaky.y.slice(1).map((v, i) => v - leaky.y[i]);
    assert.ok(leaky.y[0] > 0 && steps.every((d) => d === leaky.y[0]), JSON.stringify(leaky.y));
    assert.ok(tidy.y.every((v) => v === 0), JSON.stringify(tidy.y));

    // streaming: fitDataset equals the hand loop over the same pipeline, and leaks nothing
    const stream = cellText(nb, "stream-compare");
    assert.ok(numberAfter(stream, "largest loss difference") < 1e-6, stream);
    assert.equal(numberAfter(stream, "largest val_loss difference"), 0, stream);
    assert.equal(numberAfter(stream, "largest weight difference"), 0, stream);
    assert.equal(numberAfter(stream, "generator: by hand"), 4000, stream); // 2 epochs × 2,000, re-generated
    assert.equal(numberAfter(stream, "in all"), 8000, stream);
    assert.ok(numberAfter(stream, "largest loss difference") < step(stream), stream);
    assert.equal(numberAfter(stream, "tensors left by fitDataset:"), 8, stream);
    // "exactly Adam's m and v for each of the 4 weights"
    const state = stream.split("the optimizer's variables: ")[1].split(", ");
    assert.equal(state.length, 8, stream);
    assert.equal(state.filter((v) => /\/m \[/.test(v)).length, 4, stream);
    // "an example comes out at most 499 places earlier than it went in"
    const buffer = cellText(nb, "stream-buffer");
    const [lo, hi] = [numberAfter(buffer, "positions"), numberAfter(buffer, "to")];
    assert.ok(lo > 0 && hi > 63 && hi <= 563, buffer);

    // "the errors of common mistakes name the problem"
    assert.match(cellText(nb, "mistake-shape"), /fit refused: .*shape \[10\].*\[64,1\]/);
    const split = cellText(nb, "mistake-split");
    assert.match(split, /trainTestSplit\(\): x and y must have the same number of rows/);
    assert.match(split, /fitStandardizer\(\): column 0 contains NaN/);
    const nan = cellText(nb, "mistake-nan");
    assert.match(
      nan,
      /terminateOnNaN: epoch 1, batch \d+: loss is NaN; .*Try a lower learning rate/,
    );
    assert.equal(numberAfter(nan, "stopped in epoch"), 1, nan);
    // the message counts from 1, terminatedAt from 0
    const [, msgBatch] = nan.match(/epoch 1, batch (\d+)/)!.map(Number);
    assert.ok(nan.includes(`terminatedAt [0,${msgBatch - 1}]`), nan);
    // "without terminateOnNaN, fit carries on"; "from the first batch with row 150 on, NaN"
    const carry = cellText(nb, "mistake-nan-carry");
    assert.match(carry, /5 of 5 epochs ran/);
    assert.match(carry, /epoch losses NaN, NaN, NaN, NaN, NaN$/);
    const batchLosses = carry.split("batch losses ")[1].split("; ")[0].split(", ");
    const firstNaN = batchLosses.indexOf("NaN");
    assert.equal(firstNaN, msgBatch - 1, carry); // the same batch terminateOnNaN named
    assert.ok(batchLosses.slice(firstNaN).every((l) => l === "NaN"), carry);
    const lr = cellText(nb, "mistake-lr");
    assert.match(lr, /terminateOnNaN: epoch \d+, batch \d+: loss is (NaN|Infinity); .*Try a lower/);
    assert.ok(!(numberAfter(lr, "loss after epoch 1") < 1e6), lr); // huge, or already NaN
    assert.ok(numberAfter(lr, "stopped in epoch") < 50, lr);

    // self-checking exercises: ✗ with a hint, ✓ when right
    assert.match(cellText(nb, "ex1-answer"), /^○ 04-updates: not answered yet/);
    assert.match(cellText(nb, "ex1-answer-wrong1"), /^✗ 04-updates: .*not it.*last batch/);
    assert.match(cellText(nb, "ex1-answer-right"), /^✓ 04-updates: right/);
    assert.match(cellText(nb, "ex2-answer"), /^○ 04-leak-per-step: not answered yet/);
    assert.match(cellText(nb, "ex2-answer-wrong1"), /^✗ 04-leak-per-step: .*not it.*per batch/);
    assert.match(cellText(nb, "ex2-answer-right"), /^✓ 04-leak-per-step: right/);
  },
});

Deno.test({
  name:
    "04_training_loop_anatomy.ipynb: every code cell can run twice in a row (no redeclaration errors, no stale state)",
  ignore: skipWithoutJupyter,
  fn: () => assertCellsRerun(NAME),
});
