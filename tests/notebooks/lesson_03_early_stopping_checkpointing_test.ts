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
      // the mean absolute error of predicting 0.5
      `const verdict2 = await checkAnswer(ex2, 0.5);`,
    ],
    right: `const preds = [0.5, 0.5, 0.5, 0.5]; // w1 = w2 = 0, b = 0.5
const answer2 = [0, 1, 1, 0].reduce((s, y, i) => s + (preds[i] - y) ** 2, 0) / 4;
const verdict2 = await checkAnswer(ex2, answer2);`,
  },
};

/** A `textTable` output as rows of cells (columns at least two spaces apart). */
function rowsOf(text: string): string[][] {
  return text.trim().split("\n").slice(1).map((l) => l.trim().split(/\s{2,}/));
}

/** The Plotly figures a cell showed. */
function figuresOf(nb: Notebook, id: string) {
  return cellBundles(nb, id).flatMap((b) => b["application/vnd.plotly.v1+json"] ? [b] : [])
    .map((b) =>
      b["application/vnd.plotly.v1+json"] as {
        data: { name: string; y: number[]; line?: { color?: string } }[];
        layout: { yaxis?: { type?: string }; annotations?: { text: string }[] };
      }
    );
}

Deno.test({
  name:
    "03_early_stopping_checkpointing.ipynb: the naive rule fails, the recipe stops and restores, its gains are measured",
  ignore: skipWithoutJupyter,
  async fn() {
    const nb = await runWithAnswers(NAME, ANSWERS);

    // "the training-loss rule never fires while validation loss rises"
    const naive = cellText(nb, "naive");
    assert.match(naive, /never fired, ran all 30 epochs/);
    const naiveBest = numberAfter(naive, "lowest at epoch");
    assert.ok(naiveBest < 30, naive);
    assert.ok(numberAfter(naive, "ended at") > numberAfter(naive, `epoch ${naiveBest} (`), naive);
    // "the training loss keeps falling", shown on a linear axis
    const trainLoss = /training loss: ([\d.]+) after epoch 1, ([\d.]+) after 30/.exec(naive)!;
    assert.ok(Number(trainLoss[1]) > 100 * Number(trainLoss[2]), naive);
    assert.notEqual(figuresOf(nb, "naive-plot")[0].layout.yaxis?.type, "log");

    // the tutorial's XOR: 4 points, linear stalls at 0.25, tanh solves it; val_loss repeats loss
    const tutorial = cellText(nb, "tutorial");
    assert.match(tutorial, /^4 points/);
    assert.ok(Math.abs(numberAfter(tutorial, "linear  loss") - 0.25) < 1e-3, tutorial);
    assert.ok(numberAfter(tutorial, "tanh    loss") < 0.01, tutorial);
    for (const m of tutorial.matchAll(/at most ([\d.e+-]+) apart/g)) assert.ok(Number(m[1]) < 1e-5);

    // "no patience stops on noise, before the real bottom"; validation alone on a linear axis
    const patience = cellText(nb, "patience");
    const later = /fell again to ([\d.]+) at epoch (\d+)/.exec(patience);
    assert.ok(later, patience);
    assert.ok(numberAfter(patience, "would stop at epoch") < Number(later[2]), patience);
    assert.ok(Number(later[1]) < numberAfter(patience, "(val_loss"), patience);
    assert.ok(numberAfter(patience, "then rose to") > Number(later[1]), patience);
    const [valAlone] = figuresOf(nb, "patience");
    assert.deepEqual(valAlone.data.map((t) => t.name)[0], "loss (validation)");
    assert.notEqual(valAlone.layout.yaxis?.type, "log");
    // the marker names what it is: where the first-rise rule would stop (that run never stopped)
    const notes = JSON.stringify(valAlone.layout.annotations);
    assert.match(
      notes,
      new RegExp(
        `first-rise rule would stop here \\(epoch ${
          numberAfter(patience, "would stop at epoch")
        }\\)`,
      ),
    );
    assert.doesNotMatch(notes, /early stop/);

    // "training stopped before the epoch limit, patience epochs after the best"
    const recipe = cellText(nb, "recipe");
    const stopped = numberAfter(recipe, "stopped at epoch");
    const bestEpoch = numberAfter(recipe, "best epoch");
    assert.ok(stopped < 30, recipe);
    assert.equal(stopped - bestEpoch, 5, recipe);
    assert.equal(numberAfter(recipe, "last at epoch"), bestEpoch, recipe);
    // The dashboard's final frame marks the stop; train and validation in different colours.
    assert.match(JSON.stringify(cellBundles(nb, "recipe")), /early stop \(epoch \d+\)/);
    const dash = figuresOf(nb, "recipe").at(-1)!;
    assert.notEqual(dash.data[0].line?.color, dash.data[1].line?.color);
    assert.ok(numberAfter(recipe, "last epoch") > numberAfter(recipe, "(val_loss"), recipe);
    // the zoomed validation panel shows the rise: best and last inside its y range
    const zoom = figuresOf(nb, "recipe-zoom")[0] as unknown as {
      layout: { yaxis: { range: number[] } };
    };
    const [lo, hi] = zoom.layout.yaxis.range;
    for (const v of [numberAfter(recipe, "(val_loss"), numberAfter(recipe, "last epoch")]) {
      assert.ok(v > lo && v < hi, `${v} outside the zoom ${lo}–${hi}`);
    }

    // "the gap is the split's, not the selection's": no smaller at the unchosen last epoch
    const gap = cellText(nb, "gap");
    assert.ok(numberAfter(gap, "best epoch:") > 0.03, gap);
    assert.ok(numberAfter(gap, "last epoch:") >= numberAfter(gap, "best epoch:"), gap);
    // "from epoch 2 on the test loss is above validation at every epoch; only epoch 1 is below"
    assert.match(gap, /test loss at or below validation at epochs: 1\n/);

    // the reloaded checkpoint is the best epoch's model
    const reload = cellText(nb, "reload");
    assert.equal(
      numberAfter(reload, "validation loss"),
      numberAfter(reload, "best epoch in history:"),
    );

    // test scores: checkpoint, last epoch, naive 30 epochs; a small loss gain, same accuracy
    const compare = cellText(nb, "compare");
    const table = rowsOf(compare.split("\n\n")[0].split("\ncheckpoint vs")[0]);
    const [ckpt, lastEp, naive30] = table.map((r) => [Number(r[1]), parseFloat(r[2])]);
    assert.equal(numberAfter(table[0][0], "epoch"), bestEpoch);
    assert.ok(ckpt[0] < lastEp[0] && lastEp[0] < naive30[0], compare);
    assert.ok(numberAfter(compare, "allowed,") > 20, "fewer epochs than the naive run's cap of 30");
    // paired on the same digits: discordant counts even (McNemar), the loss gain > 3 standard errors
    const pairedText = cellText(nb, "compare-paired");
    for (
      const m of pairedText.matchAll(/only the checkpoint right (\d+), only [\w ]+ right (\d+)/g)
    ) {
      const [onlyCk, onlyOther] = [Number(m[1]), Number(m[2])];
      assert.ok(Math.abs(onlyCk - onlyOther) < 2 * Math.sqrt(onlyCk + onlyOther), pairedText);
    }
    for (const m of pairedText.matchAll(/per digit: ([\d.-]+) ± ([\d.]+)/g)) {
      assert.ok(Number(m[1]) > 3 * Number(m[2]), pairedText);
    }

    // across seeds: the paired gain over the last epoch is positive in every run and many of its
    // own standard errors from zero; against the best fixed budget in hindsight, within noise;
    // the selection optimism is far smaller than every seed's split gap
    const seeds = cellText(nb, "seeds");
    const seedRows = rowsOf(seeds.split("\nover")[0]);
    for (const r of seedRows) assert.ok(Number(r[3]) < Number(r[4]) && Number(r[5]) > 0, seeds);
    const f = (label: string) =>
      /([\d.-]+) ± ([\d.]+) \(se ([\d.]+)\)/.exec(seeds.split(label)[1])!.slice(1).map(Number);
    const [gain, , gainSe] = f("over the last epoch:");
    const [vsBudget, , budgetSe] = f("minus the checkpoint:");
    const [optimism, optimismSd] = f("selection optimism");
    assert.ok(gain > 5 * gainSe, seeds);
    assert.ok(Math.abs(vsBudget) < 2 * budgetSe, seeds);
    assert.ok(Math.abs(optimism) < Math.min(...seedRows.map((r) => Number(r[6]))) / 5, seeds);
    assert.ok(optimismSd < 0.005, seeds);

    // patience 30: same restored epoch, more epochs; restoreBestWeights leaves the best weights
    const p30 = cellText(nb, "patience30");
    assert.equal(numberAfter(p30, "restored epoch"), bestEpoch, p30);
    assert.equal(numberAfter(p30, "stopped at epoch"), bestEpoch + 30, p30);
    assert.equal(numberAfter(p30, "validation loss now"), numberAfter(p30, "best in history"));
    assert.equal(numberAfter(p30, "test loss"), ckpt[0], p30);
    assert.ok(numberAfter(p30, "cost") >= 20, p30);

    // the text-CNN: stops on val_acc (marked), val_acc peaks after val_loss; behind the MLP
    assert.match(cellText(nb, "tokens"), /tokens 1000×28/);
    const cnn = cellText(nb, "textcnn-fit");
    assert.ok(numberAfter(cnn, "stopped at epoch") < 100, cnn);
    assert.ok(
      numberAfter(cnn, "best val_acc at epoch") > numberAfter(cnn, "best val_loss at epoch"),
    );
    assert.match(JSON.stringify(cellBundles(nb, "textcnn-fit")), /early stop \(epoch \d+\)/);
    const cnnTest = rowsOf(cellText(nb, "textcnn-test")).map((r) => parseFloat(r[2]));
    assert.ok(cnnTest[0] > 60 && cnnTest[1] > 60, `${cnnTest}`);
    assert.ok(cnnTest[1] >= cnnTest[0], "the val_acc checkpoint is at least as accurate");
    const cnnLoss = rowsOf(cellText(nb, "textcnn-test")).map((r) => Number(r[1]));
    assert.ok(cnnLoss[1] > cnnLoss[0], "… and behind in test loss");
    // after the best val_loss, val_acc wobbles in a band, with one spike (the val_acc best)
    const after = cellText(nb, "textcnn-loss").split("on:")[1].split("Figure")[0].match(/[\d.]+/g)!
      .map(Number);
    const spike = Math.max(...after);
    const rest = after.filter((a) => a !== spike);
    assert.equal(after.length - rest.length, 1, `${after}`);
    assert.ok(Math.max(...rest) - Math.min(...rest) < 0.035 && spike > Math.max(...rest) + 0.01);
    assert.equal(
      after.indexOf(spike) + numberAfter(cnn, "best val_loss at epoch"),
      numberAfter(cnn, "best val_acc at epoch"),
    );
    assert.match(JSON.stringify(figuresOf(nb, "textcnn-loss")), /best val_loss \(epoch \d+\)/);
    assert.ok(Math.max(cnnTest[0], cnnTest[1]) < cnnTest[2], "the text-CNN is behind the MLP");

    // train below validation in the log, never when scored like validation
    const tv = cellText(nb, "train-vs-val");
    assert.ok(numberAfter(tv, "below validation:") === 1, tv);
    assert.match(tv, /dropout off, is below validation: none/);

    // no printed line wraps in the HTML export (the backend report and verdicts are the library's)
    for (
      const c of nb.cells.filter((c) => c.cell_type === "code" && !/^(setup|ex\d)/.test(c.id!))
    ) {
      for (const line of cellText(nb, c.id!).split("\n")) assert.ok(line.length <= 90, line);
    }

    // self-checking exercises: ✗ with a hint, ✓ when right; no answer in the exercise cells
    for (const id of ["ex1", "ex2"]) {
      const source = [nb.cells.find((c) => c.id === id)!.source].flat().join("");
      assert.doesNotMatch(source, /equals\(|closeTo\(/, source);
    }
    assert.doesNotMatch([nb.cells.find((c) => c.id === "ex2-md")!.source].flat().join(""), /0\.25/);
    const verdict = (id: string) => cellText(nb, id);
    assert.match(verdict("ex1"), /^✗ 03-stop-epoch: Got undefined/);
    assert.match(verdict("ex1-wrong1"), /^✗ 03-stop-epoch: 4 is not it.*count epochs from 1/);
    assert.match(verdict("ex1-wrong2"), /^✗ 03-stop-epoch: 8 is not it.*minDelta/);
    assert.match(verdict("ex1-right"), /^✓ 03-stop-epoch: right/);
    assert.match(verdict("ex2"), /^✗ 03-xor-linear: Got undefined/);
    assert.match(verdict("ex2-wrong1"), /^✗ 03-xor-linear: .*2× too large/);
    assert.match(verdict("ex2-right"), /^✓ 03-xor-linear: right/);
  },
});

Deno.test({
  name:
    "03_early_stopping_checkpointing.ipynb: every code cell can run twice in a row (checkpoints, callbacks)",
  ignore: skipWithoutJupyter,
  fn: () => assertCellsRerun(NAME, ["cleanup"]),
});
