/**
 * Checkpoint path templates in Keras's (Python `str.format`) style:
 * `"ckpt/epoch-{epoch:02d}-{val_loss:.3f}"`.
 *
 * @module
 */

/** One `{name:spec}` field of a template. */
interface Field {
  name: string;
  zero: boolean;
  width: number;
  precision: number | undefined;
  type: "d" | "f" | "e" | "g" | "";
}

type Part = string | Field;

const FIELD = /^([A-Za-z_][A-Za-z0-9_]*)(?::(0)?(\d+)?(?:\.(\d+))?([dfeg])?)?$/;

function parse(template: string, who: string): Part[] {
  const parts: Part[] = [];
  let text = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if ((c === "{" || c === "}") && template[i + 1] === c) {
      text += c;
      i++;
    } else if (c === "{") {
      const end = template.indexOf("}", i);
      if (end < 0) {
        throw new Error(`${who}: unclosed "{" in path template ${JSON.stringify(template)}.`);
      }
      const body = template.slice(i + 1, end);
      const m = FIELD.exec(body);
      if (m === null) {
        throw new Error(
          `${who}: cannot read field {${body}} in path template ${JSON.stringify(template)}. ` +
            "Use {key}, {key:02d}, {key:.3f}, {key:.2e} or {key:g}; write {{ or }} for braces.",
        );
      }
      if (text !== "") parts.push(text);
      text = "";
      parts.push({
        name: m[1],
        zero: m[2] === "0",
        width: m[3] === undefined ? 0 : Number(m[3]),
        precision: m[4] === undefined ? undefined : Number(m[4]),
        type: (m[5] ?? "") as Field["type"],
      });
      i = end;
    } else if (c === "}") {
      throw new Error(`${who}: single "}" in path template ${JSON.stringify(template)}; write }}.`);
    } else text += c;
  }
  if (text !== "") parts.push(text);
  return parts;
}

function formatValue(value: number, f: Field): string {
  let s: string;
  switch (f.type) {
    case "d":
      s = String(Math.trunc(value));
      break;
    case "f":
      s = value.toFixed(f.precision ?? 6);
      break;
    case "e":
      // Python writes exponents with at least two digits: 1.5e-03.
      s = value.toExponential(f.precision ?? 6).replace(/e([+-])(\d)$/, "e$10$2");
      break;
    case "g":
      s = f.precision === undefined
        ? String(value)
        : String(Number(value.toPrecision(f.precision)));
      break;
    default:
      s = f.precision === undefined ? String(value) : value.toFixed(f.precision);
  }
  if (s.length < f.width) {
    const negative = s.startsWith("-");
    const digits = negative ? s.slice(1) : s;
    s = f.zero
      ? (negative ? "-" : "") + digits.padStart(f.width - (negative ? 1 : 0), "0")
      : s.padStart(f.width, " ");
  }
  return s;
}

/**
 * The keys a path template refers to.
 *
 * @param template E.g. `"ckpt/{epoch:02d}-{val_loss:.3f}"`.
 * @param who Name used in error messages.
 * @returns E.g. `["epoch", "val_loss"]`.
 * @throws For a malformed field or unbalanced braces.
 * @example
 * ```ts
 * import { templateKeys } from "@lib/callbacks/path_template.ts";
 * templateKeys("ckpt/{epoch:02d}-{val_loss:.3f}"); // ["epoch", "val_loss"]
 * ```
 */
export function templateKeys(template: string, who = "formatPath"): string[] {
  return parse(template, who).flatMap((p) => typeof p === "string" ? [] : [p.name]);
}

/**
 * Fill a path template with values, Python-format style.
 *
 * @param template E.g. `"ckpt/epoch-{epoch:02d}-{val_loss:.3f}"`.
 * @param values Numbers by key (for checkpoints: the logs plus a 1-based `epoch`).
 * @param who Name used in error messages.
 * @returns The path, e.g. `"ckpt/epoch-03-0.125"`.
 * @throws When a key is missing from `values` (listing the available ones).
 * @example
 * ```ts
 * import { formatPath } from "@lib/callbacks/path_template.ts";
 * formatPath("ckpt/epoch-{epoch:02d}-{val_loss:.3f}", { epoch: 3, val_loss: 0.12345 });
 * // "ckpt/epoch-03-0.123"
 * ```
 */
export function formatPath(
  template: string,
  values: Record<string, number>,
  who = "formatPath",
): string {
  return parse(template, who).map((p) => {
    if (typeof p === "string") return p;
    const value = values[p.name];
    if (typeof value !== "number") {
      throw new Error(
        `${who}: path template ${JSON.stringify(template)} uses {${p.name}}, which is not in ` +
          `the logs; available keys: ${Object.keys(values).join(", ")}.`,
      );
    }
    return formatValue(value, p);
  }).join("");
}
