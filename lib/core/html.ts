/**
 * The one HTML/XML escaper every view in `lib` uses (tables, reports, SVG).
 *
 * @module
 */

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escape text for HTML or XML, safe both as element content and inside a quoted
 * attribute (`&`, `<`, `>`, `"` and `'` are replaced by entities).
 *
 * @param text Any text.
 * @returns The text with the five special characters escaped.
 * @example
 * ```ts
 * import { escapeHtml } from "@lib";
 * console.log(escapeHtml(`<b title="x">Tom & Jerry's</b>`));
 * // &lt;b title=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/b&gt;
 * ```
 */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}
