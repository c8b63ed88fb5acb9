import assert from "node:assert/strict";
import { ROOT } from "../../tools/notebooks.ts";

async function runTask(script: string, env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}/tools/${script}`],
    env: { NO_COLOR: "1", ...env },
    cwd: ROOT,
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { code: out.code, text };
}

for (const script of ["setup.ts", "lessons.ts"]) {
  Deno.test(`${script} without Jupyter exits 1 and says how to install it`, async () => {
    const { code, text } = await runTask(script, { JUPYTER_PYTHON: "/nonexistent/python3" });
    assert.equal(code, 1);
    assert.match(text, /\/nonexistent\/python3/);
    assert.match(text, /apt-get install -y jupyter-notebook jupyter-nbconvert python3-nbclient/);
    assert.match(text, /pip install jupyterlab/);
  });
}

Deno.test({
  name:
    "lessons.ts with a failing notebook names it, the cell and the error, leaves no half-written file",
  ignore: (await import("../_gate.ts")).skipWithoutJupyter,
  async fn() {
    const out = await Deno.makeTempDir();
    try {
      const fixture = `${ROOT}/tests/notebooks/fixtures/broken.ipynb`;
      const res = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", `${ROOT}/tools/lessons.ts`, `--out=${out}`, fixture],
        env: { NO_COLOR: "1" },
      }).output();
      const text = new TextDecoder().decode(res.stdout) + new TextDecoder().decode(res.stderr);
      assert.equal(res.code, 1, text);
      assert.match(text, /broken\.ipynb/);
      assert.match(text, /cell 2: RangeError: deliberate failure for the harness test/);
      assert.match(text, /1 of 1 notebooks failed/);
      const files = [...Deno.readDirSync(out)].map((e) => e.name).sort();
      assert.deepEqual(files, ["broken.failed.ipynb"]);
      const failed = JSON.parse(await Deno.readTextFile(`${out}/broken.failed.ipynb`));
      assert.equal(failed.cells.length, 4, "the failed copy is a whole notebook");
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});
