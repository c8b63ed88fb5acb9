import assert from "node:assert/strict";
import { cellBundles, cellText, numberAfter } from "../../tools/notebooks.ts";
import { skipWithoutJupyter } from "../_gate.ts";
import { assertCellsRerun, runLesson } from "./_lesson.ts";

Deno.test({
  name: "04_training_loop_anatomy.ipynb: the hand loop equals fit, and the measurements hold",
  ignore: skipWithoutJupyter,
  async fn() {
    const nb = await runLesson("04_training_loop_anatomy");

    // "the same seeded run with model.fit gives the same numbers"
    const hand = cellText(nb, "hand-run");
    const fit = cellText(nb, "fit-run");
    assert.equal(hand.match(/epoch \d+:/g)?.length, 4, hand);
    assert.equal(fit.match(/epoch \d+:/g)?.length, 4, fit);
    const compare = cellText(nb, "compare");
    assert.ok(numberAfter(compare, "largest loss difference") < 1e-5, compare);
    assert.ok(numberAfter(compare, "largest val_loss difference") < 1e-5, compare);
    assert.ok(numberAfter(compare, "largest weight difference") < 1e-5, compare);

    // "batch size trade-offs, measured": throughput and memory grow, accuracy per epoch falls
    const batch = cellText(nb, "batch");
    const row = (size: number) =>
      batch.split("\n").find((l) => l.startsWith(`batch ${size}:`)) ?? "";
    const perSecond = (size: number) => numberAfter(row(size), `batch ${size}:`);
    assert.ok(perSecond(512) > 2 * perSecond(8), batch);
    assert.ok(numberAfter(row(512), "peak") > numberAfter(row(8), "peak"), batch);
    const accuracy = (size: number) => numberAfter(row(size), "validation accuracy");
    assert.ok(accuracy(8) > accuracy(512), batch);
    assert.ok(
      cellBundles(nb, "batch-plot").some((b) => b["application/vnd.plotly.v1+json"]),
      "the throughput chart is a Plotly figure",
    );

    // "tf.tidy and dispose free what a loop makes; the hand loop does not leak"
    const memory = cellText(nb, "memory");
    assert.equal(numberAfter(memory, "without tidy"), 200, memory);
    assert.equal(numberAfter(memory, "with tf.tidy"), 0, memory);
    assert.equal(numberAfter(memory, "with dispose"), 0, memory);
    assert.equal(numberAfter(cellText(nb, "leak"), "difference"), 0);

    // "the errors of common mistakes name the problem"
    assert.match(cellText(nb, "mistake-shape"), /fit refused: .*shape \[10\].*\[64,1\]/);
    const split = cellText(nb, "mistake-split");
    assert.match(split, /trainTestSplit\(\): x and y must have the same number of rows/);
    assert.match(split, /fitStandardizer\(\): column 0 contains NaN/);
    assert.equal(numberAfter(cellText(nb, "mistake-nan"), "stopped at epoch"), 1);
    const lr = cellText(nb, "mistake-lr");
    assert.ok(!(numberAfter(lr, "loss after epoch 1") < 1e6), lr); // huge, or already NaN
    assert.ok(numberAfter(lr, "stopped at epoch") < 50, lr);
  },
});

Deno.test({
  name:
    "04_training_loop_anatomy.ipynb: every code cell can run twice in a row (no redeclaration errors, no stale state)",
  ignore: skipWithoutJupyter,
  fn: () => assertCellsRerun("04_training_loop_anatomy"),
});
