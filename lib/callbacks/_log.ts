/**
 * Private: the two ways callbacks talk to the user.
 *
 * @module
 */
import { display } from "../core/output.ts";

/** Print a status line: a notebook output in a kernel, stdout otherwise. */
export async function say(message: string): Promise<void> {
  await display({ "text/plain": message });
}

/** Print a warning on stderr (the one place callbacks use the console). */
export function warn(message: string): void {
  // deno-lint-ignore no-console
  console.warn(message);
}
