/**
 * plotly.js for `text/html` outputs, read from the installed npm package
 * (`plotly.js-dist-min` in the import map) and inlined into the first figure of a kernel
 * session — no CDN, so figures draw offline in classic Notebook, Lab without the Plotly
 * extension, and nbconvert HTML exports. Later figures wait for it (`window.Plotly`, or
 * the `tfjs-plotly-ready` event if their output is rendered before the library's).
 *
 * By default the library travels gzip-compressed and base64-encoded (about 2.0 MB
 * instead of 4.8 MB per notebook) and the browser unpacks it with `DecompressionStream`
 * (Chrome 80, Firefox 113, Safari 16.4); `{ compress: false }` inlines it as it is.
 *
 * Nothing is read at import time; the file is read once, on first use.
 *
 * @module
 */
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";

/** The event the inlined library fires on `window` once `window.Plotly` is defined. */
export const PLOTLY_READY_EVENT = "tfjs-plotly-ready";

let source: string | undefined;
let packed: string | undefined;
let sentThisSession = false;

/**
 * Path of `plotly.min.js` in the installed `plotly.js-dist-min` package.
 *
 * @returns An absolute file path.
 * @throws When the package is not installed (the message says how to install it).
 * @example
 * ```ts
 * import { plotlyJsPath } from "@lib/display/plotly_js.ts";
 * console.log(plotlyJsPath().endsWith("plotly.min.js")); // true
 * ```
 */
export function plotlyJsPath(): string {
  try {
    return createRequire(import.meta.url).resolve("plotly.js-dist-min/plotly.min.js");
  } catch (cause) {
    throw new Error(
      "Cannot find plotly.js: the npm package plotly.js-dist-min is not installed next to " +
        `${
          new URL(".", import.meta.url).pathname
        } (resolving "plotly.js-dist-min/plotly.min.js"). ` +
        'Run `deno install` in the project root (deno.json maps "plotly.js-dist-min" and sets ' +
        '`nodeModulesDir: "auto"`).',
      { cause },
    );
  }
}

/**
 * The plotly.js bundle's source (about 4.8 MB), read on first call and cached.
 *
 * @returns The JavaScript source.
 * @example
 * ```ts
 * import { plotlyJsSource } from "@lib/display/plotly_js.ts";
 * console.log(plotlyJsSource().includes("window.Plotly")); // true
 * ```
 */
export function plotlyJsSource(): string {
  source ??= Deno.readTextFileSync(plotlyJsPath());
  return source;
}

/** Options of {@linkcode plotlyScriptTag}. */
export interface PlotlyScriptOptions {
  /** Ship the library gzip-compressed (unpacked in the browser). @default {true} */
  compress?: boolean;
}

/**
 * A `<script>` that defines `window.Plotly` from the inlined bundle and then fires
 * {@linkcode PLOTLY_READY_EVENT}. Safe to run twice (the second run only re-fires the
 * event once the library is there).
 *
 * @param options Whether to compress the library.
 * @returns HTML: about 2.0 MB compressed, 4.8 MB plain.
 * @example
 * ```ts
 * import { plotlyScriptTag } from "@lib/display/plotly_js.ts";
 * console.log(plotlyScriptTag().startsWith("<script")); // true
 * ```
 */
export function plotlyScriptTag(options: PlotlyScriptOptions = {}): string {
  const { compress = true } = options;
  const ready = `window.dispatchEvent(new Event("${PLOTLY_READY_EVENT}"));`;
  if (!compress) {
    // `</script` inside the source would end the element early; the bundle has none
    // today, but escape it anyway so an upgrade cannot break every export.
    const js = plotlyJsSource().replace(/<\/script/gi, "<\\/script");
    return `<script type="text/javascript">if (!window.Plotly) {\n${js}\n}\n${ready}</script>`;
  }
  packed ??= gzipBase64(plotlyJsSource());
  return `<script type="text/javascript">(function () {
  if (window.Plotly) { ${ready} return; }
  if (window.__tfjsPlotlyLoading) return;
  window.__tfjsPlotlyLoading = true;
  var packed = "${packed}";
  var bytes = Uint8Array.from(atob(packed), function (c) { return c.charCodeAt(0); });
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  new Response(stream).text().then(function (js) {
    var script = document.createElement("script");
    script.text = js + "\\n;" + ${JSON.stringify(ready)};
    document.head.appendChild(script);
  });
})();</script>`;
}

function gzipBase64(text: string): string {
  const bytes = gzipSync(new TextEncoder().encode(text), { level: 9 });
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * Whether plotly.js went out with a figure in this kernel session (then later figures'
 * HTML leaves it out).
 *
 * @returns `true` once {@linkcode markPlotlySent} was called.
 * @example
 * ```ts
 * import { plotlySent } from "@lib/display/plotly_js.ts";
 * console.log(plotlySent()); // false in a fresh process
 * ```
 */
export function plotlySent(): boolean {
  return sentThisSession;
}

/**
 * Record whether plotly.js has been sent in this session. Call `markPlotlySent(false)`
 * to make the next figure carry the library again (e.g. after clearing the output that
 * had it, or before saving a notebook whose first figures were deleted).
 *
 * @param sent Whether the library is in a kept output. @default {true}
 * @example
 * ```ts
 * import { markPlotlySent, plotlySent } from "@lib/display/plotly_js.ts";
 * markPlotlySent(false);
 * console.log(plotlySent()); // false
 * ```
 */
export function markPlotlySent(sent = true): void {
  sentThisSession = sent;
}
