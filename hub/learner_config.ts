/**
 * The `deno.json` in each learner's lesson folder: the project's import map with `@lib`
 * pointing at the class's read-only copy of the library, and nothing Deno would write
 * next to the lessons (no `node_modules/`, no `deno.lock`).
 *
 * Deno's kernel finds this file by walking up from the notebook's folder, exactly as it
 * finds the project's own `deno.json` when the lessons run from a checkout.
 *
 * @module
 */

/** The name of the folder, in each learner's home, that holds their copy of the lessons. */
export const LESSONS_FOLDER = "tfjs-training";

/**
 * Build a learner's `deno.json` (JSONC) from the course's own `deno.json`.
 *
 * Every import-map entry that points into the course (`"./lib/mod.ts"`) is rewritten to
 * an absolute `file://` URL of the course folder; npm entries are kept as they are, so
 * they resolve from the shared, pre-warmed `DENO_DIR` (`nodeModulesDir: "none"`).
 *
 * @param courseDir Absolute path of the course folder (holds `deno.json` and `lib/`).
 * @param courseDenoJson The text of the course's `deno.json`.
 * @returns The text to write as `~/tfjs-training/deno.json`.
 * @example
 * ```ts
 * import { learnerDenoJson } from "./learner_config.ts";
 * const text = learnerDenoJson("/srv/hub/course", '{"imports":{"@lib":"./lib/mod.ts"}}');
 * if (!text.includes('"@lib": "file:///srv/hub/course/lib/mod.ts"')) throw new Error(text);
 * ```
 */
export function learnerDenoJson(courseDir: string, courseDenoJson: string): string {
  const { imports = {} } = JSON.parse(courseDenoJson) as { imports?: Record<string, string> };
  const base = new URL(`file://${courseDir.replace(/\/?$/, "/")}`);
  const mapped = Object.fromEntries(
    Object.entries(imports).map((
      [key, target],
    ) => [key, target.startsWith(".") ? new URL(target, base).href : target]),
  );
  const config = { imports: mapped, nodeModulesDir: "none", lock: false };
  return [
    '// Written by the class hub (`deno task hub`): it points "@lib" at the course\'s library.',
    "// Your edits to this file are kept; the hub then puts its new version beside it.",
    JSON.stringify(config, null, 2),
    "",
  ].join("\n");
}
