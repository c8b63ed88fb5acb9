/**
 * The shape of the library as a whole: what `@lib` exports (a deliberate list, checked
 * against `tests/fixtures/lib_exports.txt`), and which folder of `lib/` may import which
 * (one way, the floor `core/` at the bottom).
 *
 * After a deliberate change of the public surface, rewrite the list with
 * `UPDATE_EXPORTS=1 deno test -P tests/mod_test.ts` and commit the diff.
 *
 * @module
 */
import assert from "node:assert/strict";
import { ROOT } from "../tools/notebooks.ts";

const EXPORTS_FILE = `${ROOT}/tests/fixtures/lib_exports.txt`;

/**
 * Each folder of lib/ and its floor: a folder may import only folders on a lower floor.
 * `core` uses none of them; `callbacks` may use the floor-1 folders (io for checkpoints,
 * display for the dashboard and progress) and core.
 */
const FLOORS: Record<string, number> = {
  core: 0,
  backend: 1,
  data: 1,
  io: 1,
  display: 1,
  exercises: 1,
  optim: 1,
  callbacks: 2,
};

async function publicSymbols(): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", `${ROOT}/lib/mod.ts`],
    env: { NO_COLOR: "1" },
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const doc = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    nodes: Record<string, { symbols: Array<{ name: string; declarations: { kind: string }[] }> }>;
  };
  const symbols = Object.values(doc.nodes)[0].symbols;
  return symbols.map((s) =>
    `${s.name} ${[...new Set(s.declarations.map((d) => d.kind))].join("+")}`
  )
    .sort();
}

Deno.test("@lib exports exactly the committed list (a new export is a deliberate change)", async () => {
  const actual = await publicSymbols();
  if (Deno.env.get("UPDATE_EXPORTS")) {
    await Deno.writeTextFile(EXPORTS_FILE, actual.join("\n") + "\n");
    return;
  }
  const expected = (await Deno.readTextFile(EXPORTS_FILE)).trim().split("\n");
  const added = actual.filter((s) => !expected.includes(s));
  const removed = expected.filter((s) => !actual.includes(s));
  assert.ok(
    added.length === 0 && removed.length === 0,
    `@lib's exports changed.\n  added: ${added.join(", ") || "(none)"}\n  removed: ${
      removed.join(", ") || "(none)"
    }\nIf this is deliberate, run UPDATE_EXPORTS=1 deno test -P tests/mod_test.ts and commit ` +
      "tests/fixtures/lib_exports.txt.",
  );
});

Deno.test("@lib exports no private helper (names from _files, decimate, markPlotlySent…)", async () => {
  const names = (await publicSymbols()).map((s) => s.split(" ")[0]);
  for (
    const internal of ["decimate", "cleanSeries", "markPlotlySent", "plotlyJsSource", "subplotAxes"]
  ) {
    assert.ok(!names.includes(internal), `${internal} is internal but exported from @lib`);
  }
});

async function* sources(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* sources(path);
    else if (entry.name.endsWith(".ts")) yield path;
  }
}

Deno.test("lib/ folders depend one way: each imports only folders on a lower floor", async () => {
  const violations: string[] = [];
  for await (const path of sources(`${ROOT}/lib`)) {
    const relative = path.slice(`${ROOT}/lib/`.length);
    const folder = relative.includes("/") ? relative.split("/")[0] : undefined;
    if (folder === undefined) continue; // lib/mod.ts, the entry, sits above every folder
    assert.ok(
      folder in FLOORS,
      `lib/${folder}/ has no floor in tests/mod_test.ts FLOORS; add it (what may it import?)`,
    );
    // Imports in JSDoc examples (`import … from "@lib"`) are the user's, not the module's.
    const text = (await Deno.readTextFile(path)).replace(/\/\*[\s\S]*?\*\//g, "");
    for (const match of text.matchAll(/\b(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
      const spec = match[1];
      let target: string | undefined;
      if (spec.startsWith("@lib")) {
        violations.push(`lib/${relative} imports "${spec}": inside lib, import by relative path`);
        continue;
      }
      if (spec.startsWith("../")) target = spec.split("/")[1];
      if (target === undefined || target === folder) continue;
      if (!(target in FLOORS)) continue;
      if (FLOORS[target] >= FLOORS[folder]) {
        violations.push(
          `lib/${relative} (${folder}, floor ${FLOORS[folder]}) imports ${spec} ` +
            `(${target}, floor ${FLOORS[target]})`,
        );
      }
    }
  }
  assert.deepEqual(violations, [], violations.join("\n"));
});
