import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
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

Deno.test("plotlyScriptTag() inlines the whole library gzip-compressed, no CDN", () => {
  const tag = plotlyScriptTag();
  assert.ok(!/<script[^>]+src=/.test(tag));
  const packed = /var packed = "([A-Za-z0-9+/=]+)";/.exec(tag)?.[1] ?? "";
  const bytes = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
  assert.equal(new TextDecoder().decode(gunzipSync(bytes)), plotlyJsSource());
  assert.ok(tag.length < 0.5 * plotlyJsSource().length, `${tag.length} characters`);
  assert.match(tag, /new DecompressionStream\("gzip"\)/);
  assert.ok(tag.includes(`new Event(\\"${PLOTLY_READY_EVENT}\\")`));
  assert.equal(tag.match(/<\/script/gi)?.length, 1, "only the closing tag");
});

Deno.test("plotlyScriptTag({ compress: false }) inlines the source as it is", () => {
  const tag = plotlyScriptTag({ compress: false });
  assert.ok(tag.includes(plotlyJsSource().slice(0, 2000)));
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
