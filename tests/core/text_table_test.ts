import assert from "node:assert/strict";
import { textTable } from "../../lib/core/text_table.ts";

Deno.test("textTable() aligns the first column left and the others right by default", () => {
  assert.equal(
    textTable(["epoch", "loss"], [["1", "0.5"], ["10", "0.25"]]),
    ["epoch  loss", "1       0.5", "10     0.25"].join("\n"),
  );
});

Deno.test("textTable() follows align per column; columns past it align right", () => {
  assert.equal(
    textTable(["a", "b", "c"], [["xx", "yy", "zz"]], { align: ["right", "left"] }),
    [" a  b    c", "xx  yy  zz"].join("\n"),
  );
});

Deno.test("textTable() pads ragged rows with blank cells and trims trailing spaces", () => {
  assert.equal(
    textTable(["name", "n"], [["long name", "1", "extra"], ["x"]], { align: ["left", "right"] }),
    ["name       n", "long name  1  extra", "x"].join("\n"),
  );
});

Deno.test("textTable() with gap, indent and a rule under the header", () => {
  assert.equal(
    textTable(["notebook", "seconds"], [["00_setup.ipynb", "3.2"]], {
      gap: " | ",
      indent: "  ",
      rule: "-",
    }),
    [
      "  notebook       | seconds",
      "  -------------- | -------",
      "  00_setup.ipynb |     3.2",
    ].join("\n"),
  );
});

Deno.test("textTable() with an empty header has no header line (and no rule)", () => {
  assert.equal(
    textTable([], [["wasm", "chosen", "fast"], ["cpu", "not tried"]], {
      align: ["left", "left", "left"],
      rule: "-",
    }),
    ["wasm  chosen     fast", "cpu   not tried"].join("\n"),
  );
  assert.equal(textTable([], []), "");
});
