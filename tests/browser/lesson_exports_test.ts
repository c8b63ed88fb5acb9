/**
 * The lessons' HTML exports (written by `deno task lessons` to build/lessons/) open
 * offline in Chromium, every figure in them is drawn, and the page logs no errors.
 * Skipped with a printed reason when there are no exports yet.
 */
import assert from "node:assert/strict";
import { type Notebook, ROOT } from "../../tools/notebooks.ts";
import { artifact, launchChromium, skipWithoutChromium } from "./_browser.ts";

const LESSONS = `${ROOT}/build/lessons`;

async function exports(): Promise<Array<{ name: string; html: string; ipynb: string }>> {
  const found: Array<{ name: string; html: string; ipynb: string }> = [];
  try {
    for await (const e of Deno.readDir(LESSONS)) {
      if (!e.isFile || !e.name.endsWith(".html")) continue;
      const name = e.name.slice(0, -".html".length);
      const ipynb = `${LESSONS}/${name}.ipynb`;
      try {
        await Deno.stat(ipynb);
        found.push({ name, html: `${LESSONS}/${e.name}`, ipynb });
      } catch { /* an export without its executed notebook: not ours to judge */ }
    }
  } catch { /* no build/lessons yet */ }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

const lessons = await exports();
if (lessons.length === 0) {
  // deno-lint-ignore no-console
  console.log(`Skipping lesson exports: none in ${LESSONS} (run \`deno task lessons\` first)`);
}

/** Outputs of an executed notebook that carry a Plotly figure. */
function figureCount(nb: Notebook): number {
  return nb.cells.flatMap((c) => c.outputs ?? [])
    .filter((o) => o.data && "application/vnd.plotly.v1+json" in o.data).length;
}

Deno.test({
  name: "lesson HTML exports: every figure is drawn offline, no page errors",
  ignore: skipWithoutChromium || lessons.length === 0,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const browser = await launchChromium({ offline: true });
    try {
      for (const lesson of lessons) {
        await t.step(lesson.name, async () => {
          const nb = JSON.parse(await Deno.readTextFile(lesson.ipynb)) as Notebook;
          const figures = figureCount(nb);
          const page = await browser.context.newPage();
          const errors: string[] = [];
          page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
          page.on("pageerror", (e) => errors.push(e.message));
          try {
            await page.goto(`file://${lesson.html}`);
            await page.waitForFunction(
              (n) => document.querySelectorAll(".tfjs-plot[data-drawn]").length >= n,
              figures,
              { timeout: 60_000 },
            );
            const drawn = await page.evaluate(() =>
              [...document.querySelectorAll(".tfjs-plot[data-drawn]")]
                .filter((d) => d.querySelector(".main-svg")).length
            );
            assert.equal(drawn, figures, `${lesson.name}: figures drawn`);
            await page.screenshot({
              path: await artifact(`lesson_${lesson.name}.png`),
              fullPage: true,
            });
            assert.deepEqual(errors, [], `${lesson.name}: page errors`);
          } finally {
            await page.close();
          }
        });
      }
    } finally {
      await browser.close();
    }
  },
});
