import assert from "node:assert/strict";
import { cellBundles, cellText, type Notebook, numberAfter } from "../../tools/notebooks.ts";
import { skipWithoutJupyter } from "../_gate.ts";
import { assertCellsRerun, type ExerciseAnswers, runWithAnswers } from "./_lesson.ts";

const NAME = "06_backpropagation";

/**
 * What a learner might type into each self-checking exercise's answer cell: typical wrong
 * answers first, then the right one. The test runs them as extra cells right after the
 * committed answer cell (which leaves the answer `undefined`).
 */
const ANSWERS: ExerciseAnswers = {
  "ex1-answer": {
    wrong: [
      // the square's factor 2 forgotten
      `const s1 = 1 / (1 + Math.exp(-(neuron.w * neuron.x + neuron.b)));
const answer1 = (s1 - neuron.y) * s1 * (1 - s1) * neuron.x;
const verdict1 = await checkAnswer(ex1, answer1);`,
    ],
    right: `const s1 = 1 / (1 + Math.exp(-(neuron.w * neuron.x + neuron.b)));
const answer1 = 2 * (s1 - neuron.y) * s1 * (1 - s1) * neuron.x;
const verdict1 = await checkAnswer(ex1, answer1);`,
  },
  "ex2-answer": {
    wrong: [
      // the tensor itself, not its values
      `const dZ1 = tf.tidy(() => {
  const { A1, Z2 } = forward(params);
  const dA1 = Z2.sub(Yt).mul(2 / N).matMul(params.W2.transpose());
  return dA1.mul(tf.scalar(1).sub(A1.square()));
});
const verdict2 = await checkAnswer(ex2, dZ1.sum(0));`,
      // summed with keepDims: shape [1, 4]
      `const answer2 = await dZ1.sum(0, true).array();
const verdict2 = await checkAnswer(ex2, answer2);`,
    ],
    right: `const answer2 = (await dZ1.sum(0).array()) as number[];
const verdict2 = await checkAnswer(ex2, answer2);`,
  },
  ex3: {
    wrong: [
      `const answer3 = 2 ** -11; // ε itself
const verdict3 = await checkAnswer(ex3, answer3);`,
      // the rule of thumb alone, ignoring what the float32 sweep measured
      `const answer3 = Math.cbrt(2 ** -11);
const verdict3 = await checkAnswer(ex3, answer3);`,
    ],
    right: `const answer3 = h32 * Math.cbrt(2 ** -11 / 2 ** -24); // scaled from the measurement
const verdict3 = await checkAnswer(ex3, answer3);`,
  },
};

/**
 * A `textTable` output as rows keyed by their first cell; columns are at least two spaces
 * apart, and a range "1.2e-8 to 8.0e-8" becomes `[1.2e-8, 8e-8]`.
 */
function tableOf(text: string): Record<string, number[][]> {
  const rows = text.split("\n").slice(1).map((l) => l.trim().split(/\s{2,}/));
  return Object.fromEntries(
    rows.map(([name, ...cells]) => [name, cells.map((c) => c.split(" to ").map(Number))]),
  );
}

/** The Plotly figure a cell showed. */
function figureOf(nb: Notebook, id: string) {
  const bundle = cellBundles(nb, id).find((b) => b["application/vnd.plotly.v1+json"]);
  assert.ok(bundle, `cell ${id} shows a Plotly figure`);
  return bundle["application/vnd.plotly.v1+json"] as {
    data: { name: string; x: number[]; y: number[]; showlegend?: boolean }[];
    layout: { xaxis?: { type?: string }; yaxis?: { type?: string } };
  };
}

/**
 * Section 4's plots: each setting one colour, the same in every plot, from a colour-blind-safe
 * set without pure red or green; each seed its own dash and marker, open for ReLU networks.
 */
function assertStyledBySetting(fig: ReturnType<typeof figureOf>) {
  const colours = new Map<string, string>();
  for (const [i, t] of fig.data.entries()) {
    const { line, marker } = t as {
      line?: { color?: string; dash?: string };
      marker?: { symbol?: string };
    };
    assert.ok(line?.color && STYLE_COLOURS.includes(line.color), `${t.name}: ${line?.color}`);
    const seen = colours.get(t.name) ?? SECTION4_COLOURS.get(t.name) ?? line.color;
    assert.equal(line.color, seen, `${t.name} keeps one colour`);
    colours.set(t.name, line.color);
    SECTION4_COLOURS.set(t.name, line.color);
    assert.equal(line.dash, ["solid", "dash", "dot"][i % 3], `${t.name}: seed ${i % 3 + 1}'s dash`);
    const symbol = ["circle", "square", "triangle-up"][i % 3] +
      (t.name.startsWith("ReLU") ? "-open" : "");
    assert.equal(marker?.symbol, symbol, `${t.name}: seed ${i % 3 + 1}'s marker`);
  }
  assert.equal(new Set(colours.values()).size, colours.size, "one colour per setting");
}
const STYLE_COLOURS = ["#CC79A7", "#009E73", "#E69F00", "#0072B2", "#56B4E9", "#999933", "#D55E00"];
const SECTION4_COLOURS = new Map<string, string>();

Deno.test({
  name: "06_backpropagation.ipynb: hand gradients, gradient checks and per-layer norms hold",
  ignore: skipWithoutJupyter,
  async fn() {
    const nb = await runWithAnswers(NAME, ANSWERS);

    // 1. "the chain rule … tf.grad should agree"
    const chain = cellText(nb, "chain");
    const [byHand, byTf] = [numberAfter(chain, "by the chain rule"), numberAfter(chain, "tf.grad")];
    assert.ok(Math.abs(byHand - byTf) < 1e-5, chain);
    // "to about 1e-7, not exactly": float64 against float32
    const chainGap = numberAfter(chain, "difference");
    assert.ok(chainGap > 0 && chainGap < 1e-6, chain);

    // 2. "every gradient has the shape of its parameter"; "our gradients equal tf.grads / variableGrads"
    const shapes = cellText(nb, "backward");
    for (const k of ["W1", "b1", "W2", "b2"]) {
      const m = new RegExp(`^${k} (\\[[\\d,]*\\]) → d${k} (\\[[\\d,]*\\])$`, "m").exec(shapes);
      assert.ok(m && m[1] === m[2], shapes);
    }
    const compare = cellText(nb, "compare");
    const scale = numberAfter(compare, "largest gradient entry");
    assert.ok(numberAfter(compare, "hand vs tf.grads") <= 1e-6 * scale, compare);
    assert.ok(numberAfter(compare, "hand vs tf.variableGrads") <= 1e-6 * scale, compare);

    // 3. "the very same numbers in plain JavaScript"
    assert.match(
      cellText(nb, "plain-loss"),
      /θ has 21 entries; unpack\(pack\(init\)\) is init: true/,
    );
    const tfLoss = numberAfter(cellText(nb, "forward"), "loss at the initial weights");
    const plainLoss = cellText(nb, "plain-forward");
    assert.ok(Math.abs(numberAfter(plainLoss, "in float64") - tfLoss) < 1e-4, plainLoss);
    assert.ok(Math.abs(numberAfter(plainLoss, "in float32") - tfLoss) < 1e-4, plainLoss);
    // "near L ≈ 2.9, neighbouring float32 numbers are 2⁻²² ≈ 2.4e-7 apart"
    assert.ok(tfLoss > 2.5 && tfLoss < 3.5, `L ≈ 2.9: ${tfLoss}`);
    assert.equal(numberAfter(plainLoss, "float32 spacing near the loss"), 2.4e-7, plainLoss);

    // the float64 check passes tightly; float32 rounding alone moves gradients visibly
    const check = cellText(nb, "check64");
    assert.ok(numberAfter(check, "largest relative error") < 1e-8, check);
    const f32 = numberAfter(check.split("\n")[1], "largest relative error");
    assert.ok(f32 > 1e-9 && f32 < 1e-5, check);

    // the V: best h within 3× of ε^(1/3), error near ε^(2/3); right slopes 2.00 in float64 and
    // about 1.76 in float32 (measured over 0.1 to 1), left slopes about −1
    const row = Object.fromEntries(
      Object.entries(tableOf(cellText(nb, "sweep-read"))).map(([k, v]) => [k, v.flat()]),
    );
    for (const [name, [bestH, third, err, twoThirds, right, left]] of Object.entries(row)) {
      const msg = `${name}: ${row[name]}`;
      assert.ok(bestH / third < 3 && third / bestH < 3, `best h within 3× of ε^(1/3): ${msg}`);
      assert.ok(err / twoThirds < 4 && twoThirds / err < 4, `error ≈ ε^(2/3): ${msg}`);
      const [lo, hi] = name === "float64" ? [1.95, 2.05] : [1.65, 1.85];
      assert.ok(right > lo && right < hi, `right-arm slope: ${msg}`);
      assert.ok(left > -1.4 && left < -0.7, `left-arm slope about −1: ${msg}`);
    }
    assert.ok(row.float64[0] >= 1e-6 && row.float64[0] <= 1e-4, "float64 best h about 1e-5");
    assert.ok(row.float32[0] >= 1e-3 && row.float32[0] <= 1e-1, "float32 best h about 1e-2");
    const above = row.float32[0] / row.float32[1];
    assert.ok(above > 2 && above < 3, `float32 best h 2.6× ε^(1/3): ${above}`);
    assert.ok(row.float32[2] / row.float64[2] > 3e5, "float32's best is ~a million times worse");
    const sweep = figureOf(nb, "sweep-plot");
    assert.equal(sweep.layout.xaxis?.type, "log");
    assert.equal(sweep.layout.yaxis?.type, "log");
    const trace = (name: string) => sweep.data.find((t) => t.name === name)!;
    const [fround, tfjs, f64] = ["float32 (Math.fround)", "float32 (tfjs)", "float64 (plain JS)"]
      .map(trace);
    assert.equal(sweep.data.at(-1), f64, "float64 drawn last, so the right arm shows it");
    const x = f64.x;
    assert.ok(x.every((h, i) => h > 1e-7 * 1.01 || fround.y[i] === 1), "flat top left at 1");
    const apart = Math.max(...fround.y.map((v, i) => Math.abs(Math.log10(v / tfjs.y[i]))));
    assert.ok(apart < Math.log10(2), `tfjs within 2× of Math.fround: ${apart}`);

    // the float32 check with threshold 1e-2 passes the correct dW1 and catches the forgotten tanh′
    const bug = cellText(nb, "bug");
    const threshold = numberAfter(bug, "threshold");
    assert.equal(threshold, 1e-2, bug);
    const correct = numberAfter(bug, "largest relative error");
    assert.ok(correct > 1e-7 && correct < threshold / 10, bug);
    assert.ok(numberAfter(bug, "tanh′ forgotten,") > 10 * threshold, bug);
    assert.match(bug, /error [\d.e+-]+ \(passes\); tanh′ forgotten, [\d.e+-]+ \(fails\)$/, bug);

    // 4. sigmoid: 1e-8 to 1e-7 of the last layer's gradient at layer 1, ×0.2 per layer;
    //    the other three settings within 6× across layers
    const deep = tableOf(cellText(nb, "deep-table"));
    const [ratio, perLayer, spread] = deep["sigmoid, glorotUniform"];
    assert.ok(ratio[0] >= 5e-9 && ratio[1] <= 2e-7, `sigmoid layer 1 / layer 12: ${ratio}`);
    assert.ok(perLayer[0] > 0.15 && perLayer[1] < 0.3, `sigmoid per layer: ${perLayer}`);
    assert.ok(spread[0] > 1e6, `sigmoid spread: ${spread}`);
    for (const name of ["tanh, glorotUniform", "ReLU, glorotUniform", "ReLU, heNormal"]) {
      assert.ok(deep[name][2][1] < 6, `${name}: largest / smallest layer ${deep[name][2]}`);
    }
    // tanh "×0.94 to 1.01 per layer"
    const tanhPerLayer = deep["tanh, glorotUniform"][1];
    assert.ok(tanhPerLayer[0] > 0.9 && tanhPerLayer[1] < 1.05, `tanh per layer: ${tanhPerLayer}`);
    const grads = figureOf(nb, "deep-plot");
    assert.equal(grads.data.length, 12);
    assert.equal(grads.data.filter((t) => t.showlegend !== false).length, 4);
    assert.equal(grads.layout.yaxis?.type, "log");
    assertStyledBySetting(grads);

    // ReLU: the forward signal grows by √(fan_in·Var(w)/2) per layer, within 10%; only
    // heUniform keeps it level; heNormal shrinks it 3- to 5-fold over 10 layers, glorotUniform ~20×
    const signal = tableOf(cellText(nb, "scale-table"));
    assert.equal(Object.keys(signal).length, 5);
    for (const [name, [growth, [predicted]]] of Object.entries(signal)) {
      assert.ok(growth.every((g) => Math.abs(g / predicted - 1) < 0.1), `${name}: ${growth}`);
    }
    const change = (name: string) => signal[name][4];
    assert.ok(signal.heUniform[0].every((g) => g > 1 && g < 1.1), `${signal.heUniform[0]}`);
    assert.ok(change("heNormal").every((c) => c > 1 / 5.5 && c < 1 / 2.5), `${change("heNormal")}`);
    assert.ok(
      change("glorotUniform").every((c) => c > 1 / 30 && c < 1 / 12),
      `${change("glorotUniform")}`,
    );
    assert.ok(change("N(0, 1)").every((c) => c > 1e7 && c < 1e8), `${change("N(0, 1)")}`);
    const signalFig = figureOf(nb, "scale-plot");
    assert.equal(signalFig.data.length, 15);
    assertStyledBySetting(signalFig);

    // gradients vanish or explode in all layers together; the loss against its baseline ≈ 1
    const grad = tableOf(cellText(nb, "scale-grads"));
    for (const [name, [, layers]] of Object.entries(grad)) {
      if (name.startsWith("baseline")) continue;
      assert.ok(layers[1] <= 21, `${name}: largest / smallest layer ${layers}`);
    }
    const baseline = numberAfter(cellText(nb, "scale-grads"), "gives loss");
    assert.ok(baseline > 0.8 && baseline < 1.2, `baseline ≈ 1: ${baseline}`);
    const medianOf = (name: string) => grad[name][0];
    assert.ok(medianOf("N(0, 0.05²)")[1] < 1e-5, `${medianOf("N(0, 0.05²)")}`);
    assert.ok(medianOf("N(0, 1)")[0] > 1e16 && grad["N(0, 1)"][3][0] > 1e16, "explodes");
    const [glorot, heNormal] = [medianOf("glorotUniform"), medianOf("heNormal")];
    assert.ok(glorot[0] > 0.02 && glorot[1] < 0.08, `glorotUniform: ${glorot}`);
    assert.ok(heNormal[0] > 0.1 && heNormal[1] < 3, `heNormal: ${heNormal}`);
    assert.ok(heNormal[0] > glorot[1], "heNormal's medians all above glorotUniform's");
    assert.ok(heNormal[1] / heNormal[0] > 8, `heNormal's seeds span ~12×: ${heNormal}`);
    const uniform = grad.heUniform[1];
    assert.ok(
      uniform[0] >= 5 && uniform[1] <= 20,
      `heUniform's layers 10 to 17× apart: ${uniform}`,
    );
    assert.ok(medianOf("heUniform")[0] > 5 * heNormal[1], "heUniform's gradients far above");
    assert.ok(grad.heUniform[3][0] > 2 * baseline, `heUniform's loss: ${grad.heUniform[3]}`);

    // self-checking exercises: ✗ with a hint that names the mistake, ✓ when right
    const verdict = (id: string) => cellText(nb, id);
    assert.match(verdict("ex1-answer"), /^○ 06-neuron: not answered yet/);
    assert.match(verdict("ex1-answer-wrong1"), /^✗ 06-neuron: .*2× too small.*dL\/da/);
    assert.match(verdict("ex1-answer-right"), /^✓ 06-neuron: right/);
    assert.match(verdict("ex2-answer"), /^○ 06-db1: not answered yet/);
    assert.match(verdict("ex2-answer-wrong1"), /^✗ 06-db1: Got a float32 tensor .*await t\.array/);
    assert.match(
      verdict("ex2-answer-wrong2"),
      /^✗ 06-db1: Got shape \[1, 4\]; expected shape \[4\]/,
    );
    assert.match(verdict("ex2-answer-right"), /^✓ 06-db1: right/);
    assert.match(verdict("ex3"), /^○ 06-h-float16: not answered yet/);
    assert.match(verdict("ex3-wrong1"), /^✗ 06-h-float16: .*too small.*Balance truncation/);
    assert.match(verdict("ex3-wrong2"), /^✗ 06-h-float16: .*too small.*measured h32/);
    assert.match(verdict("ex3-right"), /^✓ 06-h-float16: right/);
  },
});

Deno.test({
  name:
    "06_backpropagation.ipynb: every code cell can run twice in a row (no redeclaration errors, no stale state)",
  ignore: skipWithoutJupyter,
  fn: () => assertCellsRerun(NAME),
});
