/**
 * Self-checking exercises (introduced in lesson 06): the learner computes an answer in a
 * cell and passes it to `checkAnswer(ex, answer)`, which shows ✓, or ✗ with a hint, and
 * returns whether it was right.
 *
 * ```ts
 * import { checkAnswer, closeTo, exercise } from "@lib";
 * const ex = exercise({
 *   id: "06-dL-dw",
 *   question: "For L = (w·x − y)² with w = 2, x = 3, y = 5, what is dL/dw?",
 *   check: closeTo(6, { hint: "Chain rule: dL/dw = 2(w·x − y)·x." }),
 * });
 * await checkAnswer(ex, 6); // ✓ 06-dL-dw: right
 * ```
 *
 * - `check.ts`     `exercise`, `evaluate` and `verdictBundle` (pure), `checkAnswer` (shows the verdict).
 * - `matchers.ts`  ready-made checks: `closeTo`, `allClose`, `equals`.
 *
 * @module
 */
export {
  type Check,
  checkAnswer,
  evaluate,
  type Exercise,
  exercise,
  type Verdict,
  verdictBundle,
} from "./check.ts";
export { allClose, closeTo, type CloseToOptions, equals, type NestedNumbers } from "./matchers.ts";
