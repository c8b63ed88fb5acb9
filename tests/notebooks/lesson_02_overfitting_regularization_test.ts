import assert from "node:assert/strict";
import { cellBundles, cellText, numberAfter } from "../../tools/notebooks.ts";
import { skipWithoutJupyter } from "../_gate.ts";
import { assertCellsRerun, runLesson } from "./_lesson.ts";

Deno.test({
  name: "02_overfitting_regularization.ipynb: overfitting shows, and every cure says what it does",
  ignore: skipWithoutJupyter,
  async fn() {
    const nb = await runLesson("02_overfitting_regularization");

    // Part 1 (d2l): "without a penalty the 20 points are memorised; L2 cuts the test error"
    const d2l = cellText(nb, "d2l-result");
    const [plainLine, l2Line] = d2l.split("\n");
    assert.ok(numberAfter(plainLine, "train mse") < 1e-6, d2l);
    assert.ok(numberAfter(plainLine, "test mse") > 100 * numberAfter(l2Line, "test mse"), d2l);
    assert.ok(numberAfter(l2Line, "‖w‖") < numberAfter(plainLine, "‖w‖") / 10, d2l);

    // "training loss falls while validation loss rises"
    const none = cellText(nb, "none");
    const best = numberAfter(none, "lowest at epoch");
    const bestVal = numberAfter(none, `epoch ${best} (`);
    assert.ok(best < 30, none);
    assert.ok(numberAfter(none, "and ends at") > 1.1 * bestVal, none);
    assert.ok(numberAfter(none, "training loss ends at") < 0.01, none);

    // "tfjs's training loss includes the penalty, val_loss does not"
    const penalty = cellText(nb, "penalty");
    const difference = numberAfter(penalty, "difference");
    assert.ok(Math.abs(difference - numberAfter(penalty, "λ·Σw² =")) < 0.1 * difference, penalty);
    assert.equal(
      numberAfter(penalty, "val_loss"),
      numberAfter(penalty, "= val_categoricalCrossentropy"),
    );

    // The table: "each cure lowers the test loss; L1 and L2 shrink weights; L1 zeroes the most"
    const table = cellText(nb, "table");
    const row = (name: string) => table.split("\n").find((l) => l.startsWith(`${name}:`)) ?? "";
    const testCe = (name: string) => numberAfter(row(name), "test CE");
    for (const name of ["L2", "L1", "dropout", "L2 + dropout"]) {
      assert.ok(testCe(name) < testCe("none"), `${name} beats none on test CE:\n${table}`);
    }
    for (const name of ["L2", "L1"]) {
      assert.ok(numberAfter(row(name), "Σw²") < 0.5 * numberAfter(row("none"), "Σw²"), table);
    }
    const zeros = (name: string) => numberAfter(row(name), "near zero");
    assert.ok(zeros("L1") > zeros("L2") && zeros("L2") > 10 * zeros("none"), table);
    assert.match(JSON.stringify(cellBundles(nb, "table")), /\| run \| train CE/);

    // "dense({ dropoutRate }) is silently ignored; real dropout acts only in training"
    const fake = cellText(nb, "dropout-rate");
    assert.match(fake, /layers: Dense;/);
    assert.equal(numberAfter(fake, "passes differ by"), 0);
    assert.match(fake, /config mentions dropout: false/);
    const real = cellText(nb, "dropout-train");
    assert.equal(numberAfter(real, "predict() calls differ by"), 0);
    assert.ok(numberAfter(real, "training-mode passes differ by") > 0.01, real);

    for (const id of ["d2l-result", "none-plot", "compare-plot", "weights"]) {
      assert.ok(
        cellBundles(nb, id).some((b) => b["application/vnd.plotly.v1+json"]),
        `cell ${id} shows a Plotly figure`,
      );
    }
  },
});

Deno.test({
  name:
    "02_overfitting_regularization.ipynb: every code cell can run twice in a row (no redeclaration errors, no stale state)",
  ignore: skipWithoutJupyter,
  fn: () => assertCellsRerun("02_overfitting_regularization"),
});
