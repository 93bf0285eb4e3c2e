/**
 * Public entry to aggregation expressions. Registers every operator family with the core
 * evaluator, then evaluates against one document.
 */
import { accumulatorOperators } from './accumulators.js';
import { typeOperators } from './convert.js';
import { evaluate, registerOperators, type EvalContext } from './expr-core.js';
import { arithmeticOperators } from './ops-arithmetic.js';
import { arrayOperators } from './ops-array.js';
import { dateOperators } from './ops-date.js';
import { logicOperators } from './ops-logic.js';
import { objectOperators } from './ops-object.js';
import { stringOperators } from './ops-string.js';

registerOperators(arithmeticOperators);
registerOperators(logicOperators);
registerOperators(stringOperators);
registerOperators(arrayOperators);
registerOperators(objectOperators);
registerOperators(typeOperators);
registerOperators(dateOperators);
registerOperators(accumulatorOperators);

export type { EvalContext };

/**
 * Evaluates `expr` with `doc` as $$ROOT and $$CURRENT. `vars` holds user variables
 * (`$$name`), optionally `NOW` (a Date, fixed per command) and `__textScore`
 * (a number, or a function of the root document) for `{ $meta: "textScore" }`.
 */
export function evaluateExpression(expr: unknown, doc: Record<string, unknown>, vars?: Record<string, unknown>): unknown {
  return evaluate(expr, { root: doc, current: doc, vars: vars ?? {} });
}
