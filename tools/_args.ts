/**
 * The one command-line parser of the project's scripts (`tools/`, `bench/`): `parseArgs`
 * from `node:util`, plus what it lacks here — a `--help` text built from the same flag
 * list, whole-number flags, and usage errors that name the bad flag and list the known
 * ones.
 *
 * Private to the scripts; `lib/` never parses a command line.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { textTable } from "../lib/core/text_table.ts";

/** One `--flag` of a command. */
export interface FlagSpec {
  /**
   * `"boolean"`: present or not (`--strict`); `"string"`: `--out=DIR` or `--out DIR`;
   * `"integer"`: a string that must be a whole number ≥ 1 (`--runs=5`).
   */
  type: "boolean" | "string" | "integer";
  /** One line for `--help`. */
  description: string;
  /** Placeholder after `=` in `--help`. @default {"N" for integers, "VALUE" for strings} */
  value?: string;
  /** Value when the flag is absent (string and integer flags; shown in `--help`). */
  default?: string | number;
  /**
   * For a string flag: it is a comma-separated list whose every item must be one of
   * these (`--backends=cpu,wasm-1`); an unknown item is a usage error that lists them.
   * @default {undefined} (any text)
   */
  choices?: readonly string[];
}

/** A command: how it is run and what it accepts. */
export interface CommandSpec<F extends Record<string, FlagSpec> = Record<string, FlagSpec>> {
  /** How to run it, e.g. `"deno task bench [flags]"`. */
  usage: string;
  /** What it does, a sentence or two for `--help`. */
  summary: string;
  /** Its flags by name, without the dashes. `--help` (and `-h`) is always added. */
  flags: F;
  /** What arguments that are not flags mean, for `--help`. Absent: the command takes none. */
  positionals?: string;
}

/** The parsed value of one flag, by its spec. */
export type FlagValue<S extends FlagSpec> = S["type"] extends "boolean" ? boolean
  : S extends { default: string | number } ? (S["type"] extends "integer" ? number : string)
  : (S["type"] extends "integer" ? number : string) | undefined;

/** What {@linkcode parseCommandLine} returns. */
export interface ParsedCommandLine<F extends Record<string, FlagSpec>> {
  /** Every flag of the spec, defaults filled in (booleans default to `false`). */
  values: { [K in keyof F]: FlagValue<F[K]> };
  /** The arguments that are not flags, in order. */
  positionals: string[];
  /** Whether `--help` or `-h` was given (then nothing else was checked). */
  help: boolean;
}

/** A command line that does not fit the command's spec; the message says what to change. */
export class UsageError extends Error {
  override name = "UsageError";
}

const HELP: FlagSpec = { type: "boolean", description: "show this help and exit" };

function known(spec: CommandSpec): string {
  return [...Object.keys(spec.flags), "help"].map((name) => `--${name}`).join(", ");
}

/**
 * Parse `args` against `spec`.
 *
 * @param spec The command's flags and positionals.
 * @param args The command line after the script name.
 * @returns Every flag's value (defaults filled in) and the positionals.
 * @throws {UsageError} For an unknown flag (named, with the known ones listed), a flag
 *   without its value or with one it does not take, a bad whole number, a list item
 *   outside a flag's `choices`, or positionals a command without them was given.
 * @example
 * ```ts
 * import { parseCommandLine } from "./_args.ts";
 * const spec = {
 *   usage: "demo [flags]",
 *   summary: "A demo.",
 *   flags: { runs: { type: "integer", description: "timed runs", default: 3 } },
 * } as const;
 * parseCommandLine(spec, ["--runs=5"]).values.runs; // 5
 * ```
 */
export function parseCommandLine<const F extends Record<string, FlagSpec>>(
  spec: CommandSpec<F>,
  args: readonly string[],
): ParsedCommandLine<F> {
  const options = Object.fromEntries(
    [...Object.entries(spec.flags), ["help", HELP] as const].map(([name, flag]) => [
      name,
      {
        type: flag.type === "boolean" ? "boolean" as const : "string" as const,
        ...(name === "help" ? { short: "h" } : {}),
      },
    ]),
  );
  // A first, lenient pass finds unknown flags, so the error can name them and list the
  // known ones (node:util's own message does not).
  const { tokens } = parseArgs({
    args: [...args],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const help = tokens.some((t) => t.kind === "option" && t.name === "help");
  const unknown = tokens.find((t) => t.kind === "option" && !(t.name in options));
  if (!help && unknown?.kind === "option") {
    throw new UsageError(`Unknown flag ${unknown.rawName}. Known flags: ${known(spec)}.`);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options,
      strict: !help,
      allowPositionals: help || spec.positionals !== undefined,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. Known flags: ${known(spec)}.`);
  }
  const values: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(spec.flags)) {
    const raw = parsed.values[name];
    if (flag.type === "boolean") {
      values[name] = raw === true;
    } else if (typeof raw !== "string") {
      values[name] = flag.default;
    } else if (flag.type === "integer" && !help) {
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n < 1) {
        throw new UsageError(`Invalid --${name}=${raw}: it must be a whole number ≥ 1.`);
      }
      values[name] = n;
    } else {
      if (flag.choices && !help) checkChoices(name, raw, flag.choices);
      values[name] = raw;
    }
  }
  return {
    values: values as ParsedCommandLine<F>["values"],
    positionals: parsed.positionals,
    help,
  };
}

function checkChoices(name: string, raw: string, choices: readonly string[]): void {
  const unknown = raw.split(",").filter((item) => !choices.includes(item));
  if (unknown.length > 0) {
    const what = unknown.map((item) => `"${item}"`).join(", ");
    throw new UsageError(
      `Unknown ${what} in --${name}=${raw}. Choose from: ${choices.join(", ")}.`,
    );
  }
}

/**
 * The `--help` text of a command: usage, summary, arguments, one line per flag.
 *
 * @param spec The command.
 * @returns Plain text, without a trailing newline.
 */
export function helpText(spec: CommandSpec): string {
  const rows = [...Object.entries(spec.flags), ["help", HELP] as const].map(([name, flag]) => {
    const placeholder = flag.value ?? (flag.type === "integer" ? "N" : "VALUE");
    const shown = flag.type === "boolean" ? `--${name}` : `--${name}=${placeholder}`;
    const fallback = flag.default === undefined ? "" : ` (default: ${flag.default})`;
    return [name === "help" ? "-h, --help" : shown, flag.description + fallback];
  });
  return [
    `Usage: ${spec.usage}`,
    "",
    spec.summary,
    ...(spec.positionals ? ["", `Arguments: ${spec.positionals}`] : []),
    "",
    "Flags:",
    textTable([], rows, { align: ["left", "left"], indent: "  " }),
  ].join("\n");
}

/**
 * {@linkcode parseCommandLine} for a script's `main`: on `--help` prints the help and
 * exits 0; on a {@linkcode UsageError} prints it with a pointer to `--help` and exits 2.
 *
 * @param spec The command.
 * @param args The command line. @default {Deno.args}
 * @returns The parsed values and positionals.
 */
export function commandLine<const F extends Record<string, FlagSpec>>(
  spec: CommandSpec<F>,
  args: readonly string[] = Deno.args,
): ParsedCommandLine<F> {
  const write = (stream: { writeSync(p: Uint8Array): number }, text: string) =>
    stream.writeSync(new TextEncoder().encode(text + "\n"));
  try {
    const parsed = parseCommandLine(spec, args);
    if (parsed.help) {
      write(Deno.stdout, helpText(spec));
      Deno.exit(0);
    }
    return parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    write(Deno.stderr, `${error.message}\nUsage: ${spec.usage} (--help for more).`);
    Deno.exit(2);
  }
}
