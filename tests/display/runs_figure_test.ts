import assert from "node:assert/strict";
import { compareRunsFigure } from "@lib/display/runs_figure.ts";

const runs = {
  "no regularisation": { loss: [1, 0.4, 0.1], val_loss: [1, 0.6, 0.8] },
  "L2": { loss: [1, 0.5, 0.3], val_loss: [1, 0.6, 0.5] },
  "dropout": { history: { loss: [1, 0.6, 0.4], val_loss: [1, 0.55, 0.45] } },
};

Deno.test("compareRunsFigure() gives each run one colour, train solid and validation dashed", () => {
  const fig = compareRunsFigure(runs);
  assert.equal(fig.data.length, 6);
  assert.equal(fig.data[0].line?.color, fig.data[1].line?.color);
  assert.notEqual(fig.data[0].line?.color, fig.data[2].line?.color);
  assert.deepEqual(fig.data.map((t) => t.line?.dash), [
    "solid",
    "dash",
    "solid",
    "dash",
    "solid",
    "dash",
  ]);
  assert.equal(fig.data[4].name, "dropout (train)");
});

Deno.test("compareRunsFigure() can show one split and names runs plainly", () => {
  const fig = compareRunsFigure(runs, { split: "validation" });
  assert.deepEqual(fig.data.map((t) => t.name), ["no regularisation", "L2", "dropout"]);
});

Deno.test("compareRunsFigure() lists the runs' series for an unknown metric", () => {
  assert.throws(
    () => compareRunsFigure(runs, { metric: "acc" }),
    /no run has "acc" or "val_acc" \(the runs have: loss, val_loss\)/,
  );
});
