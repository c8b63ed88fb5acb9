import assert from "node:assert/strict";
import {
  markPlotlySent,
  PLOTLY_READY_EVENT,
  plotlyJsPath,
  plotlyJsSource,
  plotlyScriptTag,
  plotlySent,
} from "@lib/display/plotly_js.ts";

Deno.test("plotlyJsPath() finds plotly.min.js of the pinned npm package", async () => {
  const path = plotlyJsPath();
  assert.match(path, /plotly\.js-dist-min.*plotly\.min\.js$/);
  const pkg = JSON.parse(await Deno.readTextFile(path.replace(/plotly\.min\.js$/, "package.json")));
  const pinned = JSON.parse(await Deno.readTextFile("deno.json")).imports["plotly.js-dist-min"];
  assert.equal(`npm:plotly.js-dist-min@${pkg.version}`, pinned);
});

Deno.test("plotlyScriptTag() inlines the library and fires the ready event", () => {
  const tag = plotlyScriptTag();
  assert.ok(tag.length > 1_000_000, "the whole library, no CDN link");
  assert.ok(!/<script[^>]+src=/.test(tag));
  assert.ok(tag.includes(plotlyJsSource().slice(0, 200)));
  assert.ok(tag.includes(`new Event("${PLOTLY_READY_EVENT}")`));
  assert.equal(tag.match(/<\/script/gi)?.length, 1, "only the closing tag");
});

Deno.test("markPlotlySent() records whether the library went out this session", () => {
  markPlotlySent(false);
  assert.equal(plotlySent(), false);
  markPlotlySent();
  assert.equal(plotlySent(), true);
  markPlotlySent(false);
});
