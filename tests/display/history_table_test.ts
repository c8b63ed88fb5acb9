import assert from "node:assert/strict";
import { historyTable } from "../../lib/display/history_table.ts";
import { JUPYTER_DISPLAY } from "../../lib/core/output.ts";

const h = {
  epoch: [0, 1, 2],
  history: { val_loss: [0.9, 0.4, 0.6], loss: [1, 0.5, 0.3], val_acc: [0.5, 0.8, 0.7] },
};

Deno.test("historyTable() shows 1-based epochs, marks the best, and has an HTML bundle", () => {
  const table = historyTable(h, { digits: 2 });
  assert.equal(
    String(table),
    [
      "epoch   loss  val_loss  val_acc",
      "    1  1.00      0.90     0.50",
      "    2  0.50      0.40*    0.80*",
      "    3  0.30*     0.60     0.70",
    ].join("\n"),
  );
  const bundle = table[JUPYTER_DISPLAY]();
  assert.match(bundle["text/html"] as string, /<th>val_loss<\/th>.*<b>0\.40<\/b>/);
});

Deno.test("historyTable() highlights val_auc's maximum, as the callbacks judge it", () => {
  const table = historyTable({ val_auc: [0.6, 0.9, 0.8], learning_rate: [0.1, 0.1, 0.01] });
  assert.equal(table.best.val_auc, 1);
  assert.equal(table.best.learning_rate, undefined, "no direction, no highlight");
});

Deno.test("historyTable() of an empty history is a header alone", () => {
  assert.equal(String(historyTable({})), "epoch");
});
