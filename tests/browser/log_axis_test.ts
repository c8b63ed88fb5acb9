/**
 * Log-axis tick labels as plotly.js really draws them: `figureBundle`'s HTML opened
 * offline in Chromium, the labels read from the DOM. No bare "2" or "5" standing for
 * 0.02 or 500 between the decades, and the same labels as the static SVG.
 */
import assert from "node:assert/strict";
import { type Figure, figureBundle, lineFigure } from "../../lib/display/mod.ts";
import { artifact, launchChromium, skipWithoutChromium } from "./_browser.ts";

/** The three axes the learner reviews flagged, and which of each figure's axes is log. */
const AXES: Array<{ name: string; letter: "x" | "y"; figure: Figure }> = [
  {
    name: "12-decade loss",
    letter: "y",
    figure: lineFigure([0, 1, 2, 3], [2.3, 1e-3, 1e-8, 1e-12], { logY: true }),
  },
  { name: "0.3–1 loss", letter: "y", figure: lineFigure([0, 1, 2], [1, 0.5, 0.3], { logY: true }) },
  {
    name: "batch size 8–512",
    letter: "x",
    figure: lineFigure([8, 32, 128, 512], [0.9, 0.8, 0.7, 0.6], { logX: true }),
  },
];

const SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";

/** An SVG label as Plotly's DOM text reads: `10⁻¹²` → `10−12` (its `<sup>` flattened). */
function asPlotlyText(label: string): string {
  return label.replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]/g, (c) => c === "⁻" ? "−" : String(SUPERSCRIPT.indexOf(c)));
}

/** The static SVG's tick labels of one axis, in drawing order (ascending values). */
function svgLabels(svg: string, letter: "x" | "y"): string[] {
  const anchor = letter === "x" ? "middle" : "end";
  const re = new RegExp(`font-size="11" text-anchor="${anchor}" fill="#444">([^<]*)<`, "g");
  return [...svg.matchAll(re)].map((m) => asPlotlyText(m[1]));
}

Deno.test({
  name: "figureBundle() log axes: plotly.js draws full values or decades, as the SVG does",
  ignore: skipWithoutChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const page = await artifact("log_axes.html");
    const bundles = AXES.map((a, i) => figureBundle(a.figure, { includePlotlyJs: i === 0 }));
    await Deno.writeTextFile(
      page,
      `<!DOCTYPE html><html><body>${bundles.map((b) => b["text/html"]).join("\n")}</body></html>`,
    );
    const browser = await launchChromium({ offline: true });
    try {
      const tab = await browser.context.newPage();
      await tab.goto(`file://${page}`);
      await tab.waitForFunction(
        (n) => document.querySelectorAll(".tfjs-plot[data-drawn]").length >= n,
        AXES.length,
        { timeout: 60_000 },
      );
      const drawn = await tab.evaluate(
        (letters) =>
          [...document.querySelectorAll(".tfjs-plot")].map((div, i) =>
            [...div.querySelectorAll(`.${letters[i]}tick text`)].map((t) =>
              // Plotly sets a zero-width space either side of an exponent's <sup>.
              (t.textContent ?? "").replace(/\u200b/g, "")
            )
          ),
        AXES.map((a) => a.letter),
      );
      await tab.screenshot({ path: await artifact("log_axes.png"), fullPage: true });
      const seen: Record<string, string[]> = {};
      AXES.forEach(({ name, letter }, i) => {
        seen[name] = drawn[i];
        const svg = svgLabels(bundles[i]["image/svg+xml"] as string, letter);
        assert.deepEqual(drawn[i], svg, `${name}: plotly.js and the SVG label the same values`);
      });
      // deno-lint-ignore no-console
      console.log("plotly.js drew:", JSON.stringify(seen));
      assert.deepEqual(seen, {
        "12-decade loss": ["10−12", "10−10", "10−8", "10−6", "10−4", "10−2", "1"],
        "0.3–1 loss": ["0.3", "0.5", "1"],
        "batch size 8–512": ["10", "20", "50", "100", "200", "500"],
      });
      for (const [name, labels] of Object.entries(seen)) {
        // A bare minor digit sits between decades; full values here all have a 1 before them.
        const bare = labels.filter((l, i) => /^[25]$/.test(l) && labels[i - 1] !== "1");
        assert.deepEqual(bare, [], `${name}: no bare "2"/"5" between decades`);
      }
    } finally {
      await browser.close();
    }
  },
});
