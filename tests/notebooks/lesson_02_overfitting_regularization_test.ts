import assert from "node:assert/strict";
import { cellBundles, cellText, type Notebook, numberAfter } from "../../tools/notebooks.ts";
import { skipWithoutJupyter } from "../_gate.ts";
import { assertCellsRerun, runLesson } from "./_lesson.ts";

/** `"0.579 ± 0.014"` after `label` → `{ mean, sd }`. */
function meanSd(text: string, label: string): { mean: number; sd: number } {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = new RegExp(`${escaped} (-?[\\d.]+(?:e[-+]?\\d+)?) ± ([\\d.]+(?:e[-+]?\\d+)?)`).exec(
    text,
  );
  if (!m) throw new Error(`No "mean ± sd" after "${label}" in:\n${text}`);
  return { mean: Number(m[1]), sd: Number(m[2]) };
}

/** The number after `label` and then `then`, e.g. `("L2: blank 1e-4, lit 2e-3", "L2:", "lit")`. */
function numberAfterIn(text: string, label: string, then: string): number {
  const at = text.indexOf(label);
  if (at < 0) throw new Error(`No "${label}" in:\n${text}`);
  return numberAfter(text.slice(at + label.length), then);
}

/** The lesson's claims, checked on its executed outputs. */
export function assertClaims(nb: Notebook): void {
  // Part 1: "no penalty memorises; the chosen λ beats the constant predictor, beyond seed noise"
  const constantVal = numberAfter(cellText(nb, "d2l-data"), "validation mse");
  const sweep = cellText(nb, "d2l-sweep");
  assert.ok(numberAfter(sweep, "λ = 0: validation mse") > 100 * constantVal, sweep);
  assert.ok(numberAfter(sweep, "lowest validation mse") < constantVal, sweep);
  assert.ok(
    numberAfter(sweep, "at λ = 10:") > numberAfter(sweep, "lowest validation mse"),
    sweep,
  );
  const d2l = cellText(nb, "d2l-result");
  const [plainLine, l2Line, constLine] = d2l.split("\n");
  assert.ok(numberAfter(plainLine, "train mse") < 1e-4, d2l);
  assert.ok(numberAfter(plainLine, "test mse") > 100 * numberAfter(constLine, "test mse"), d2l);
  assert.ok(numberAfter(l2Line, "test mse") < numberAfter(constLine, "test mse"), d2l);
  assert.ok(numberAfter(l2Line, "‖w‖") < numberAfter(plainLine, "‖w‖") / 10, d2l);
  const seeds = cellText(nb, "d2l-seeds");
  const l2Test = meanSd(seeds, "test mse");
  assert.ok(numberAfter(seeds, "constant") - l2Test.mean > 3 * l2Test.sd, seeds);
  // Part 1b: "d2l's version is worse than the constant, and the bias is why"
  const old = cellText(nb, "d2l-bias");
  assert.ok(
    numberAfter(old, "test mse") > 2 * numberAfter(old, "constant predictor test mse"),
    old,
  );
  assert.ok(numberAfter(old, "bias error²") > 0.5 * numberAfter(old, "test mse"), old);

  // Part 2: "training loss falls while validation loss rises", "accuracy rises meanwhile"
  const mnist = cellText(nb, "mnist");
  const none = cellText(nb, "none");
  const best = numberAfter(none, "lowest at epoch");
  const bestVal = numberAfter(none, `epoch ${best} (`);
  assert.ok(best < 20, none);
  assert.ok(numberAfter(none, "and ends at") > 1.1 * bestVal, none);
  assert.ok(numberAfter(none, "training loss ends at") < 0.01, none);
  const conf = cellText(nb, "overconfident");
  assert.ok(numberAfter(conf, "last epoch") >= numberAfter(conf, "best-loss epoch"), conf);
  assert.ok(
    numberAfter(conf, "cost") < numberAfterIn(conf, "; last epoch", "cost"),
    conf,
  );

  // Capacity: "tiny underfits (train ≈ val, both high); large fits training almost perfectly"
  const cap = cellText(nb, "capacity").split("\n").filter((l) => /^\d+ units:/.test(l));
  assert.ok(
    numberAfter(cap[0], "train CE") > 1 &&
      numberAfter(cap[0], "best val CE") < 1.2 * numberAfter(cap[0], "train CE"),
    cap[0],
  );
  assert.ok(numberAfter(cap.at(-1)!, "train CE") < 0.05, cap.at(-1));
  assert.ok(
    numberAfter(cap.at(-1)!, "best val CE") < numberAfter(cap[0], "best val CE") / 2,
    cap.join("\n"),
  );

  // The table: "at the last epoch every cure beats none by several sd; at the best epoch, noise;
  // every network beats the constant predictor"
  const table = cellText(nb, "table");
  const row = (name: string) => table.split("\n").find((l) => l.startsWith(`${name}:`)) ?? "";
  const lastCe = (name: string) => meanSd(row(name), "last-epoch test CE");
  const bestCe = (name: string) => meanSd(row(name), "best-epoch test CE");
  for (const name of ["L2", "L1", "dropout"]) {
    const [a, b] = [lastCe("none"), lastCe(name)];
    assert.ok(
      a.mean - b.mean > 2 * Math.max(a.sd, b.sd),
      `${name} beats none at the last epoch:\n${table}`,
    );
    const [c, d] = [bestCe("none"), bestCe(name)];
    assert.ok(
      Math.abs(c.mean - d.mean) < 2 * Math.max(c.sd, d.sd),
      `${name} ≈ none at the best epoch:\n${table}`,
    );
    assert.ok(
      Math.abs(numberAfter(row(name), "accuracy") - numberAfter(row("none"), "accuracy")) < 1.6,
      table,
    );
  }
  assert.ok(numberAfter(mnist, "constant predictor: test CE") > 3 * lastCe("none").mean, mnist);
  assert.match(JSON.stringify(cellBundles(nb, "table")), /\| run \| best epoch/);
  const gap = cellText(nb, "gap");
  assert.ok(
    Math.abs(numberAfter(gap, "best epoch")) < 0.1 &&
      Math.abs(numberAfter(gap, "last epoch")) < 0.1,
    gap,
  );

  // "tfjs's training loss includes the penalty, val_loss does not; dropout's loss is measured with dropout on"
  const penalty = cellText(nb, "penalty");
  const difference = numberAfter(penalty, "difference");
  assert.ok(Math.abs(difference - numberAfter(penalty, "λ·Σw² =")) < 0.1 * difference, penalty);
  assert.equal(
    numberAfter(penalty, "val_loss"),
    numberAfter(penalty, "= val_categoricalCrossentropy"),
  );
  assert.ok(
    numberAfter(penalty, "logged training CE") > 1.5 * numberAfter(penalty, "inference mode"),
    penalty,
  );

  // Weights: "blank pixels' weights are driven to zero by the penalties, not without"
  const border = cellText(nb, "border");
  assert.ok(numberAfter(border, "") > 50, border);
  const blank = (name: string) => numberAfter(border, `${name}: blank`);
  const lit = (name: string) => numberAfterIn(border, `${name}: blank`, "lit");
  assert.ok(blank("none") > 0.5 * lit("none"), border);
  assert.ok(blank("L2") < 0.1 * lit("L2") && blank("L1") < 0.2 * lit("L1"), border);

  // Adam + L2: "the penalty-only weight moves about the same for a 100× larger λ; decoupled decay does not"
  const [small, large] = cellText(nb, "adam").split("\n");
  assert.ok(
    Math.abs(numberAfter(small, "0.5 →") - numberAfter(large, "0.5 →")) < 0.02,
    small + large,
  );
  assert.ok(numberAfter(small, "0.5 →") < 0.3, small);
  assert.ok(numberAfter(small, "both →") > 0.49, small);

  // Dropout from scratch = tf.layers.dropout's statistics
  const scratch = cellText(nb, "dropout-scratch").split("\n");
  for (const l of scratch) {
    assert.ok(
      Math.abs(numberAfter(l, "zeroed") - 50) < 2 && numberAfter(l, "kept values") === 2,
      l,
    );
    assert.ok(Math.abs(numberAfter(l, "mean") - 1) < 0.03, l);
  }
  // "deno check rejects dropoutRate inline (line 2), not through a variable (line 4)"
  const check = cellText(nb, "dropout-check");
  assert.match(check, /exit code 1; 1 error\(s\)/);
  assert.match(check, /TS2353.*dropoutRate/);
  assert.match(check, /snippet\.ts:2:/);
  // "dense({ dropoutRate }) is silently ignored; real dropout acts only in training"
  const fake = cellText(nb, "dropout-rate");
  assert.match(fake, /layers: Dense;/);
  assert.equal(numberAfter(fake, "passes differ by"), 0);
  assert.match(fake, /config mentions dropout: false/);
  const real = cellText(nb, "dropout-train");
  assert.equal(numberAfter(real, "predict() calls differ by"), 0);
  assert.ok(numberAfter(real, "training-mode passes differ by") > 0.01, real);

  for (
    const id of [
      "d2l-sweep",
      "d2l-result",
      "none",
      "overconfident",
      "capacity",
      "seeds-plot",
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
    "02_overfitting_regularization.ipynb: overfitting shows, and every cure is measured against a baseline and seed noise",
  ignore: skipWithoutJupyter,
  async fn() {
    assertClaims(await runLesson("02_overfitting_regularization"));
  },
});

Deno.test({
  name:
    "02_overfitting_regularization.ipynb: every code cell can run twice in a row (no redeclaration errors, no stale state)",
  ignore: skipWithoutJupyter,
  fn: () => assertCellsRerun("02_overfitting_regularization"),
});
