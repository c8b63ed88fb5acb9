/**
 * Runs `deno task hub`'s script (tools/hub.ts) as a child and returns its exit code and
 * all it printed: the one way the hub tests drive the command line.
 *
 * @module
 */
import { ROOT } from "../../tools/notebooks.ts";

/**
 * @param args Arguments after `tools/hub.ts`, e.g. `["status"]`.
 * @param env Extra environment for the child.
 * @returns The exit code and stdout + stderr as text.
 */
export async function runHubTask(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; text: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}/tools/hub.ts`, ...args],
    env: { NO_COLOR: "1", ...env },
  }).output();
  return {
    code: out.code,
    text: new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr),
  };
}
