import assert from "node:assert/strict";
import { cellBundles, cellText, type Notebook, numberAfter } from "../../tools/notebooks.ts";
import { skipWithoutJupyter } from "../_gate.ts";
import { assertCellsRerun, type ExerciseAnswers, runWithAnswers } from "./_lesson.ts";

const NAME = "02_overfitting_regularization";

/**
 * What a learner might type into each self-checking exercise's answer cell: typical wrong
 * answers first, then the right one. The test runs them as extra cells right after the
 * committed answer cell (which leaves the answer `undefined`).
 */
const ANSWERS: ExerciseAnswers = {
  "ex1-answer": {
    // "the first step moves w by lr·2λ·w = 0.125, so 4 steps" (a constant step, as for L1)
    wrong: ["const verdict1 = await checkAnswer(ex1, 4);"],
    right:
      "const verdict1 = await checkAnswer(ex1, Math.ceil(Math.log(0.5) / Math.log(1 - 2 * 0.125 * 0.5)));",
  },
  "ex2-answer": {
    // the L2 habit of a factor 2 in the gradient, or "never", as for L2
    wrong: [
      "const verdict2 = await checkAnswer(ex2, 8);",
      "const verdict2 = await checkAnswer(ex2, Infinity);",
    ],
    right: "const verdict2 = await checkAnswer(ex2, 1 / (0.125 * 0.5));",
  },
};

/** `"0.579 ± 0.014"` after `label` → `{ mean, sd }`. */
function meanSd(text: string, label: string): { mean: number; sd: number } {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const num = "(-?[\\d.]+(?:e[-+]?\\d+)?)";
  const m = new RegExp(`${escaped} ${num} ± ${num}`).exec(text);
  if (!m) throw new Error(`No "mean ± sd" after "${label}" in:\n${text}`);
  return { mean: Number(m[1]), sd: Number(m[2]) };
}

/** The number after `label` and then `then`, e.g. `("L2: blank 1e-4, lit 2e-3", "L2:", "lit")`. */
function numberAfterIn(text: string, label: string, then: string): number {
  const at = text.indexOf(label);
  if (at < 0) throw new Error(`No "${label}" in:\n${text}`);
  return numberAfter(text.slice(at + label.length), then);
}

/** The line of `text` that starts with `start`. */
function lineOf(text: string, start: string): string {
  const line = text.split("\n").find((l) => l.startsWith(start));
  if (line === undefined) throw new Error(`No line starting with "${start}" in:\n${text}`);
  return line;
}

/** Every "mean ± sd" in a line, in order. */
function allMeanSd(line: string): { mean: number; sd: number }[] {
  return [...line.matchAll(/(-?[\d.]+(?:e[-+]?\d+)?) ± ([\d.]+(?:e[-+]?\d+)?)/g)].map((m) => ({
    mean: Number(m[1]),
    sd: Number(m[2]),
  }));
}

/** `label m ± h (beyond noise)` → `{ mean, half, beyond }`; checks the printed verdict. */
function paired(text: string, label: string): { mean: number; half: number; beyond: boolean } {
  const line = lineOf(text, label);
  const [{ mean, sd: half }] = allMeanSd(line.slice(label.length));
  const m = /\((beyond|within) noise\)/.exec(line);
  if (!m) throw new Error(`No verdict in: ${line}`);
  const beyond = m[1] === "beyond";
  assert.equal(beyond, Math.abs(mean) > half, `the verdict follows the 95% interval: ${line}`);
  return { mean, half, beyond };
}

/** Part 1: the linear model. */
function assertLinear(nb: Notebook): void {
  const constVal = meanSd(cellText(nb, "d2l-data"), "validation mse").mean;
  // "a valley: λ = 0 overfits (worse than the constant), the chosen λ is best, large λ → constant"
  const sweep = cellText(nb, "d2l-sweep");
  const rows = sweep.split("\n").filter((l) => /^[\d.]+\s+[\d.]+ ±/.test(l)).map((l) => ({
    lambda: Number(l.split(/\s+/)[0]),
    ...allMeanSd(l)[0],
  }));
  assert.equal(rows.length, 8, sweep);
  const chosen = numberAfter(sweep, "chosen on validation: λ =");
  const best = rows.reduce((a, b) => (b.mean < a.mean ? b : a));
  assert.equal(best.lambda, chosen, sweep);
  assert.ok(chosen > 0 && chosen < rows.at(-1)!.lambda, `an interior optimum:\n${sweep}`);
  assert.ok(rows[0].mean > constVal, `λ = 0 is worse than the constant on validation:\n${sweep}`);
  assert.ok(best.mean < constVal, sweep);
  const atLargest = rows.at(-1)!.mean;
  assert.ok(atLargest > best.mean && atLargest < constVal, `large λ moves towards the constant`);
  // "a flat floor: several λ are within noise of the chosen one"
  const alike = lineOf(sweep, "within noise of the chosen λ").split("λ =")[1].split(",").map(
    Number,
  );
  assert.ok(alike.includes(chosen) && alike.length >= 3 && !alike.includes(0), sweep);

  // "validation mse first falls, then rises while training mse goes to zero"
  const curves = cellText(nb, "d2l-curves-numbers");
  const lowest = numberAfter(curves, "lowest at step");
  const lowestValue = numberAfter(curves, `step ${lowest} (`);
  assert.ok(lowestValue < 0.8 * numberAfter(curves, "ends at"), curves);
  assert.ok(lowest <= 100, curves);
  assert.ok(numberAfter(curves, "training mse ends at") < 1e-4, curves);

  // "L2 beats both, each paired gain more than twice its spread; λ = 0 worse than the
  // constant on average, by less than twice the spread; ‖w‖ too long without, shorter with"
  const result = cellText(nb, "d2l-result");
  const constMinusL2 = paired(result, "paired, constant − L2:");
  const plainMinusL2 = paired(result, "paired, (λ = 0) − L2:");
  const earlyMinusL2 = paired(result, "paired, (λ = 0 stopped early) − L2:");
  const plainMinusConst = paired(result, "paired, (λ = 0) − constant:");
  for (const g of [constMinusL2, plainMinusL2, earlyMinusL2]) {
    assert.ok(g.beyond && g.mean > 0, result);
  }
  assert.ok(plainMinusConst.mean > 0 && !plainMinusConst.beyond, result);
  // "early stopping alone gets most of the way; L2 adds a small gain on top"
  assert.ok(earlyMinusL2.mean < 0.25 * plainMinusL2.mean, result);
  const early = cellText(nb, "d2l-early");
  const stepsAtBest = early.split("steps")[1].split("(")[0].split(",").map(Number);
  assert.equal(stepsAtBest.length, 3, early);
  for (const s of stepsAtBest) assert.ok(s > 0 && s < 1000, early);
  const [norm0, normL2] = allMeanSd(lineOf(result, "‖w‖"));
  assert.ok(norm0.mean > 0.141 && normL2.mean < 0.141, result);

  // "from N(0, 1), λ = 0 scores about 50; the penalty erases the start"
  const pit = cellText(nb, "pitfall");
  const big0 = numberAfter(pit, "λ = 0 from N(0, 1)");
  assert.ok(big0 > 30 && big0 < 80, pit);
  const bigL2 = numberAfterIn(pit, `λ = ${chosen} from N(0, 1)`, "");
  const zeroL2 = numberAfter(pit, `λ = ${chosen} from zero`);
  assert.ok(Math.abs(bigL2 - zeroL2) < 0.05 * zeroL2, pit);
  // "tfjs's dense + l2 lands where the column did"
  const layers = cellText(nb, "d2l-layers");
  const dense = numberAfter(layers, "dense + l2");
  assert.ok(Math.abs(dense - numberAfter(layers, "column")) < 0.02 * dense, layers);
}

/** Part 2: the unregularized network and the capacity sweep. */
function assertLearningCurves(nb: Notebook): void {
  // "the constant predictor does no better than the uniform guess"
  const mnist = cellText(nb, "mnist");
  assert.ok(numberAfter(mnist, "validation CE") >= numberAfter(mnist, "uniform guess: CE"), mnist);
  assert.ok(Math.abs(numberAfter(mnist, "uniform guess: CE") - Math.log(10)) < 1e-3, mnist);

  const none = cellText(nb, "none");
  const best = numberAfter(none, "lowest at epoch");
  const bestVal = numberAfter(none, `epoch ${best} (`);
  assert.ok(best < 20, none);
  assert.ok(numberAfterIn(none, "ends at epoch", "at") > 1.05 * bestVal, none);
  assert.ok(numberAfter(none, "training loss ends at") < 0.01, none);
  // "noisy from epoch to epoch; another epoch comes within 0.01 of the best"
  const near = lineOf(none, "epochs within 0.01").split(":")[1].split(",").map(Number);
  assert.ok(near.length >= 2 && near.includes(best), none);
  assert.ok(numberAfter(none, "from epoch 3 on:") > 0.05, none);

  // "accuracy does not fall (rises about a point, within two paired standard errors); more
  // confident on average; each mistake costs more"
  const conf = cellText(nb, "overconfident-numbers");
  const accLine = lineOf(conf, "validation accuracy");
  const accChange = numberAfter(accLine, "last epoch") - numberAfter(accLine, "best-loss epoch");
  assert.ok(Math.abs(accChange - numberAfter(conf, "change")) < 0.11, conf);
  assert.ok(accChange >= 0.5 && accChange <= 1.5, conf);
  assert.ok(accChange < 2 * numberAfter(conf, "paired SE"), conf);
  const costs = cellText(nb, "overconfident-cost");
  const top = lineOf(costs, "mean top probability");
  assert.ok(numberAfter(top, "last epoch") > numberAfter(top, "best epoch"), conf);
  const cost = (start: string) => numberAfter(lineOf(costs, start), "cost");
  assert.ok(cost("wrong digits: best epoch") < cost("last epoch"), costs);
  const loss = lineOf(costs, "validation loss");
  assert.ok(numberAfter(loss, "→") > numberAfter(loss, "validation loss"), costs);

  // Capacity: "2 units underfit (high training CE); validation CE improves with width; the
  // best-to-stopped gap is largest for the widest; every width trained until it stopped"
  const cap = cellText(nb, "capacity").split("\n").filter((l) => /^\d+ units:/.test(l));
  assert.equal(cap.length, 4, cap.join("\n"));
  const trainCe = cap.map((l) => numberAfter(l, "train CE"));
  const bestVals = cap.map((l) => numberAfter(l, "best val CE"));
  const gaps = cap.map((l, i) => numberAfter(l, "when stopped") - bestVals[i]);
  assert.ok(trainCe[0] > 1 && trainCe.at(-1)! < 0.05, cap.join("\n"));
  assert.ok(Math.abs(trainCe[0] - 1.7) < 0.1, `"about 1.7": ${cap[0]}`);
  for (let i = 1; i < 4; i++) assert.ok(bestVals[i] < bestVals[i - 1], cap.join("\n"));
  assert.equal(gaps.indexOf(Math.max(...gaps)), 3, cap.join("\n"));
  for (const l of cap) assert.ok(numberAfterIn(l, "when stopped", "epoch") < 100, l);
}

/** Part 3: the grid, the scoreboard and the paired comparisons. */
function assertCures(nb: Notebook): void {
  const grid = cellText(nb, "grid-table");
  const chosenLine = lineOf(grid, "chosen:");
  for (const name of ["L2", "L1", "dropout"]) {
    const rows = grid.split("\n").filter((l) => l.startsWith(`${name} `)).map((l) =>
      l.split(/\s+/)
    );
    assert.equal(rows.length, 3, grid);
    const best = rows.reduce((a, b) => (Number(b[2]) < Number(a[2]) ? b : a));
    assert.equal(numberAfter(chosenLine, name), Number(best[1]), `${name} chosen on validation`);
    for (const r of rows) assert.ok(Number(r[4]) < 100, `every grid run stopped: ${r.join(" ")}`);
  }
  assert.match(cellText(nb, "compare"), /every run stopped before 100 epochs: true/);

  const table = cellText(nb, "table");
  const cols = (name: string) => allMeanSd(lineOf(table, `${name} `));
  // [best epoch, CE best, acc best, CE stop, acc stop, wrong cost]
  const none = cols("none");
  const cures = ["L2", "L1", "dropout"];
  for (const name of cures) {
    const c = cols(name);
    assert.ok(c[0].mean > none[0].mean, `${name} moves the best epoch later:\n${table}`);
    assert.ok(Math.abs(c[2].mean - none[2].mean) <= 2, `accuracy within 2 points:\n${table}`);
    assert.ok(c[4].mean <= none[4].mean, `none has the highest stopped accuracy:\n${table}`);
    assert.ok(c[2].mean < none[4].mean, `none stopped beats ${name} at its best:\n${table}`);
    assert.ok(c[5].mean < none[5].mean, `wrong digits cost less:\n${table}`);
  }
  // "L1's best epoch spreads widely over seeds"
  const epochSd = (name: string) => cols(name)[0].sd;
  assert.ok(epochSd("L1") >= 2 * Math.max(epochSd("L2"), epochSd("dropout")), table);
  for (const name of ["L2", "L1"]) {
    assert.ok(cols(name)[5].mean < 0.8 * none[5].mean, `penalties curb over-confidence:\n${table}`);
    assert.ok(cols(name)[5].mean < cols("dropout")[5].mean, `more than dropout:\n${table}`);
  }
  const prior = numberAfter(cellText(nb, "score-test"), "constant predictor: test CE");
  assert.ok(prior > 3 * none[3].mean, table);
  assert.match(cellText(nb, "score-test"), /test set scored: 15 runs/);
  assert.match(JSON.stringify(cellBundles(nb, "table")), /\| run \| strength \| best epoch/);

  // "each cure beats none at the best epoch beyond noise; when stopped L2 does, L1 and dropout
  // not; the cures within noise of each other"
  const pairs = cellText(nb, "paired");
  for (const name of cures) {
    assert.ok(paired(pairs, `best: none − ${name}`).beyond, pairs);
    assert.equal(paired(pairs, `stop: none − ${name}`).beyond, name === "L2", pairs);
  }
  for (const label of ["L1 − L2", "dropout − L2", "dropout − L1"]) {
    assert.ok(!paired(pairs, `best: ${label}`).beyond, pairs);
  }
  // "no hidden layer: beaten beyond noise by L2 and L1, within noise of dropout and of none"
  for (const name of ["L2", "L1"]) {
    const g = paired(pairs, `best: no hidden layer − ${name}`);
    assert.ok(g.beyond && g.mean > 0, pairs);
  }
  for (const name of ["dropout", "none"]) {
    assert.ok(!paired(pairs, `best: no hidden layer − ${name}`).beyond, pairs);
  }
  // "both gaps and their paired difference within noise"
  const gap = cellText(nb, "gap");
  for (const label of ["best epoch", "when stopped", "difference (best − stopped)"]) {
    assert.ok(!paired(gap, label).beyond, gap);
  }
}

/** "What loss means", the weights, Adam vs AdamW. */
function assertPenalties(nb: Notebook): void {
  const penalty = cellText(nb, "penalty");
  const difference = numberAfter(penalty, "difference");
  assert.ok(Math.abs(difference - numberAfter(penalty, "λ·Σw² =")) < 0.1 * difference, penalty);
  assert.equal(
    numberAfter(penalty, "val_loss"),
    numberAfter(penalty, "= val_categoricalCrossentropy"),
  );
  assert.equal(
    numberAfterIn(penalty, "evaluate", "loss"),
    numberAfterIn(penalty, "evaluate", "= CE"),
  );
  // "logged > end-of-epoch with dropout on > inference mode": two separate effects
  const drop = cellText(nb, "penalty-dropout");
  const logged = numberAfter(drop, "epoch average)");
  const on = numberAfter(drop, "dropout on");
  const off = numberAfter(drop, "inference mode");
  assert.ok(logged > 1.2 * on && on > 2 * off, drop);

  // Histogram line: "L1 more weights near zero than L2, none exactly zero under Adam"
  const weights = cellText(nb, "weights-zeros");
  const near = (name: string) => numberAfterIn(weights, `${name}:`, "|w| < 1e-3");
  const exact = (name: string) => numberAfterIn(weights, `${name}:`, "|w| < 1e-6");
  assert.ok(near("L1") > near("L2") && near("L2") > 10 * near("none"), weights);
  for (const name of ["none", "L2", "L1", "dropout"]) assert.ok(exact(name) < 1, weights);
  const h = cellBundles(nb, "weights").find((b) => b["application/vnd.plotly.v1+json"]);
  const layout =
    (h!["application/vnd.plotly.v1+json"] as { layout: Record<string, unknown> }).layout;
  const ranges = Object.keys(layout).filter((k) => k.startsWith("yaxis"))
    .map((k) => JSON.stringify((layout[k] as { range?: number[] }).range));
  assert.equal(ranges.length, 5);
  assert.equal(new Set(ranges).size, 1, `one shared count axis: ${ranges}`);

  // Blank pixels: "never move without a penalty (the Glorot start's limit/2); L2 closer to zero
  // than L1; L1 pulls the lit pixels harder"
  const border = cellText(nb, "border");
  assert.ok(numberAfter(border, "") > 50, border);
  const blank = (name: string) => numberAfter(border, `${name}: blank`);
  const lit = (name: string) => numberAfterIn(border, `${name}: blank`, "lit");
  const glorotHalf = Math.sqrt(6 / (784 + 128)) / 2;
  for (const name of ["none", "dropout"]) {
    assert.ok(Math.abs(blank(name) - glorotHalf) < 0.05 * glorotHalf, border);
  }
  assert.ok(blank("L2") < blank("L1") && blank("L1") < 0.02 * blank("none"), border);
  assert.ok(lit("L1") < lit("L2"), border);
  // "only a few validation digits have ink there; zeroing those weights changes the validation
  // CE by less than 0.001"
  const zero = cellText(nb, "border-zero");
  assert.ok(numberAfter(zero, "with ink there:") < 0.1 * 500, zero);
  for (const name of ["none", "dropout"]) {
    const line = lineOf(zero, `${name}:`);
    const change = numberAfter(line, "zeroed") - numberAfter(line, "validation CE");
    assert.ok(Math.abs(change) < 0.001, line);
  }

  // Adam: "the quiet weight ends the same for a 100× larger λ, moved by about lr per step; the
  // busy weight shrinks about ten times less than under AdamW; AdamW shrinks both alike"
  const adam = cellText(nb, "adam-run");
  const [small, large, decoupled] = adam.split("\n");
  const quiet = (l: string) => meanSd(l, "0.5 →").mean;
  const shrink = (l: string) => meanSd(l, "shrinks by");
  assert.ok(Math.abs(quiet(small) - quiet(large)) < 0.01, adam);
  assert.ok(0.5 - quiet(small) > 0.5 * 300 * 0.001, adam);
  const ratio = shrink(large).mean / shrink(decoupled).mean;
  assert.ok(ratio > 0.05 && ratio < 0.2, `about ten times less: ${ratio}\n${adam}`);
  const quietShrink = 0.5 - quiet(decoupled);
  assert.ok(Math.abs(shrink(decoupled).mean - quietShrink) < 0.1 * quietShrink, adam);
  assert.ok(shrink(decoupled).mean > 3 * shrink(decoupled).sd, adam);
}

/** Part 5 and the exercises. */
function assertDropout(nb: Notebook): void {
  const scratch = cellText(nb, "dropout-scratch").split("\n");
  for (const l of scratch.slice(0, 2)) {
    assert.ok(
      Math.abs(numberAfter(l, "zeroed") - 50) < 2 && numberAfter(l, "kept values") === 2,
      l,
    );
    // "within about two standard errors (1/√16384)"
    assert.ok(Math.abs(numberAfter(l, "mean") - 1) < 2.5 / Math.sqrt(64 * 256), l);
  }
  assert.ok(Math.abs(numberAfter(scratch[2], "agree on") - 50) < 3, scratch[2]);
  // "deno check rejects dropoutRate inline (line 2), not through a variable (line 4)"
  const check = cellText(nb, "dropout-check");
  assert.match(check, /exit code 1; 1 error\(s\)/);
  assert.match(check, /TS2353.*dropoutRate/);
  assert.match(check, /at snippet\.ts:2:/);
  assert.doesNotMatch(check, /file:\/\//);
  // "dense({ dropoutRate }) is silently ignored; real dropout acts only in training"
  const fake = cellText(nb, "dropout-rate");
  assert.match(fake, /config mentions dropout: false; layers: Dense;/);
  assert.equal(numberAfter(fake, "passes differ by"), 0);
  const real = cellText(nb, "dropout-train");
  assert.equal(numberAfter(real, "predict() calls differ by at most"), 0);
  assert.ok(numberAfter(real, "passes by up to") > 0.01, real);

  // self-checking exercises: ✗ with a hint when wrong, ✓ when right
  assert.match(cellText(nb, "ex1-answer"), /^○ 02-l2-halve: not answered yet/);
  assert.match(cellText(nb, "ex1-answer-wrong1"), /^✗ 02-l2-halve: .*same factor/);
  assert.match(cellText(nb, "ex1-answer-right"), /^✓ 02-l2-halve: right/);
  assert.match(cellText(nb, "ex2-answer"), /^○ 02-l1-zero: not answered yet/);
  assert.match(cellText(nb, "ex2-answer-wrong1"), /^✗ 02-l1-zero: .*sign\(w\)/);
  assert.match(cellText(nb, "ex2-answer-wrong2"), /^✗ 02-l1-zero: /);
  assert.match(cellText(nb, "ex2-answer-right"), /^✓ 02-l1-zero: right/);
}

/** The capacity figure: training CE on a log axis (left), validation CE on a linear one (right). */
function assertCapacityFigure(nb: Notebook): void {
  const b = cellBundles(nb, "capacity-plot").find((x) => x["application/vnd.plotly.v1+json"]);
  const fig = b!["application/vnd.plotly.v1+json"] as {
    data: { yaxis?: string }[];
    layout: Record<string, { type?: string }>;
  };
  assert.equal(fig.layout.yaxis.type, "log");
  assert.notEqual(fig.layout.yaxis2.type, "log");
  assert.deepEqual(fig.data.map((d) => d.yaxis ?? "y"), ["y", "y2", "y2"]);
}

/** The lesson's claims, checked on its executed outputs. */
export function assertClaims(nb: Notebook): void {
  assertLinear(nb);
  assertLearningCurves(nb);
  assertCures(nb);
  assertPenalties(nb);
  assertDropout(nb);
  assertCapacityFigure(nb);
  for (
    const id of [
      "d2l-sweep-plot",
      "d2l-curves",
      "none-plot",
      "overconfident",
      "capacity-plot",
      "seeds-plot-draw",
      "gains-plot-draw",
      "weights",
    ]
  ) {
    assert.ok(
      cellBundles(nb, id).some((b) => b["application/vnd.plotly.v1+json"]),
      `cell ${id} shows a Plotly figure`,
    );
  }
}

Deno.test({
  name:
    "02_overfitting_regularization.ipynb: overfitting shows, and every cure is chosen on validation and measured against a baseline and seed noise",
  ignore: skipWithoutJupyter,
  async fn() {
    assertClaims(await runWithAnswers(NAME, ANSWERS));
  },
});

Deno.test({
  name:
    "02_overfitting_regularization.ipynb: every code cell can run twice in a row (no redeclaration errors, no stale state)",
  ignore: skipWithoutJupyter,
  fn: () => assertCellsRerun(NAME),
});
