/**
 * Exercises that check themselves: the learner computes an answer in a cell and hands it
 * to {@linkcode checkAnswer}, which shows ✓, or ✗ with a hint, as the cell's output and
 * returns whether it was right. The checks are plain functions (pure, unit-tested); the
 * matchers in `matchers.ts` build the usual ones.
 *
 * @module
 */
import { display, type MimeBundle } from "../core/output.ts";
import { escapeHtml } from "../core/html.ts";

/**
 * A check: `true` for a right answer; for a wrong one a hint (a sentence that helps
 * without giving the answer away), or `false` when there is nothing to add.
 */
export type Check = (answer: unknown) => true | false | string;

/** An exercise whose answer a library helper can judge. */
export interface Exercise {
  /** A short id, shown with the verdict (e.g. `"06-grad-w2"`). */
  id: string;
  /** The question, in one sentence. */
  question: string;
  /** Judges an answer. */
  check: Check;
}

/** What {@linkcode evaluate} decided. */
export interface Verdict {
  /** The answer is right. */
  ok: boolean;
  /** `"right"`, or the hint for a wrong answer. */
  message: string;
  /**
   * Present (and `true`) only when there is no answer yet: the answer is `undefined`,
   * as a committed exercise cell leaves it. Shown neutrally, not as a wrong answer.
   */
  unanswered?: true;
}

/** What an unanswered exercise says (its answer is still `undefined`). */
const NOT_ANSWERED = "not answered yet: replace `undefined` with your answer and run the cell " +
  "(if you did, the cell passed `undefined`: did it assign the answer?)";

/**
 * Define a self-checking exercise (it only validates and returns its options; the value
 * of having a factory is one place that rejects a malformed exercise early).
 *
 * @param options `id`, `question`, and `check` (e.g. `closeTo(0.25)`).
 * @returns The exercise, for {@linkcode checkAnswer}.
 * @example
 * ```ts
 * import { closeTo, exercise } from "@lib";
 * const square = exercise({
 *   id: "square",
 *   question: "What is 0.5²?",
 *   check: closeTo(0.25),
 * });
 * console.log(square.id); // square
 * ```
 */
export function exercise(options: Exercise): Exercise {
  const { id, question, check } = options;
  if (typeof id !== "string" || id.trim() === "") {
    throw new Error('exercise(): `id` must be a non-empty string, e.g. "06-grad-w2".');
  }
  if (typeof check !== "function") {
    throw new Error(
      `exercise("${id}"): \`check\` must be a function answer => true | "hint", ` +
        "e.g. closeTo(0.25) from @lib.",
    );
  }
  return { id, question: String(question), check };
}

/**
 * Judge an answer without showing anything: what {@linkcode checkAnswer} shows. A check
 * that throws counts as a wrong answer whose hint is the error's message. An `undefined`
 * answer (the placeholder of an exercise not done yet) is not judged: the verdict says
 * "not answered yet" and has `unanswered: true`.
 *
 * @param ex The exercise.
 * @param answer What the learner computed.
 * @returns `{ ok, message }`.
 * @example
 * ```ts
 * import { closeTo, evaluate, exercise } from "@lib";
 * const ex = exercise({ id: "half", question: "1 / 2?", check: closeTo(0.5) });
 * console.log(evaluate(ex, 0.5)); // { ok: true, message: "right" }
 * console.log(evaluate(ex, undefined).unanswered); // true
 * ```
 */
export function evaluate(ex: Exercise, answer: unknown): Verdict {
  if (answer === undefined) return { ok: false, message: NOT_ANSWERED, unanswered: true };
  let result: true | false | string;
  try {
    result = ex.check(answer);
  } catch (error) {
    result = `Checking the answer failed: ${(error as Error)?.message ?? String(error)}`;
  }
  if (result === true) return { ok: true, message: "right" };
  return { ok: false, message: result === false || result === "" ? "not yet" : String(result) };
}

/**
 * The MIME bundle that shows a verdict: `text/plain` `✓ id: right`, `✗ id: hint`, or
 * `○ id: not answered yet…` for an unanswered exercise, and HTML with the mark in green,
 * red or a neutral grey (the question as the hint's tooltip).
 *
 * @param ex The exercise.
 * @param verdict What {@linkcode evaluate} decided.
 * @returns A bundle for `display`.
 * @example
 * ```ts
 * import { closeTo, evaluate, exercise, verdictBundle } from "@lib";
 * const ex = exercise({ id: "half", question: "1 / 2?", check: closeTo(0.5) });
 * console.log(verdictBundle(ex, evaluate(ex, 2))["text/plain"]); // ✗ half: 2 is 4× too large: …
 * ```
 */
export function verdictBundle(ex: Exercise, verdict: Verdict): MimeBundle {
  const { ok, message, unanswered } = verdict;
  const mark = ok ? "✓" : unanswered ? "○" : "✗";
  const color = ok ? "#1a7f37" : unanswered ? "#6e7781" : "#cf222e";
  return {
    "text/plain": `${mark} ${ex.id}: ${message}`,
    "text/html": `<div style="border-left:4px solid ${color};padding:4px 10px">` +
      `<span style="color:${color};font-weight:bold">${mark} ${escapeHtml(ex.id)}</span> ` +
      `<span title="${escapeHtml(ex.question)}">${escapeHtml(message)}</span></div>`,
  };
}

/**
 * Check an answer and show the verdict as the cell's output: `✓ id: right`,
 * `✗ id: hint`, or `○ id: not answered yet…` while the answer is `undefined`. Ends the
 * cell safely (the output is delivered before it returns).
 *
 * @param ex The exercise.
 * @param answer What the learner computed (a number, an array…; tensors are named, not read).
 * @returns Whether the answer is right.
 * @example
 * ```ts
 * import { checkAnswer, closeTo, exercise } from "@lib";
 * const ex = exercise({ id: "half", question: "1 / 2?", check: closeTo(0.5) });
 * const ok = await checkAnswer(ex, 1 / 2); // shows: ✓ half: right
 * console.log(ok); // true
 * ```
 */
export async function checkAnswer(ex: Exercise, answer: unknown): Promise<boolean> {
  const verdict = evaluate(ex, answer);
  await display(verdictBundle(ex, verdict));
  return verdict.ok;
}
