/**
 * The expression evaluator's core: field paths, variables, literals and the operator table.
 * Operator families live in `ops-*.ts`; `expressions.ts` registers them here, which keeps the
 * import graph acyclic (operator files import this core, never `expressions.ts`).
 */
import { fail } from '../errors.js';
import { bsonTypeName, compareValues, isPlainObject } from '../query/compare.js';
import { isNumeric, toNumber } from './numbers.js';

export interface EvalContext {
  /** $$ROOT */
  readonly root: Record<string, unknown>;
  /** $$CURRENT: what bare `$field` paths read. */
  readonly current: unknown;
  /** User variables plus NOW and the text-score hook (`__textScore`). */
  readonly vars: Record<string, unknown>;
}

export type OperatorFn = (args: unknown, ctx: EvalContext) => unknown;

const operators = new Map<string, OperatorFn>();

export function registerOperators(table: Record<string, OperatorFn>): void {
  for (const [name, fn] of Object.entries(table)) operators.set(name, fn);
}

export { isPlainObject };

export function isNullish(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

/** MongoDB truthiness: false, null, missing and numeric zero are false. */
export function isTruthy(v: unknown): boolean {
  if (v === false || v === null || v === undefined) return false;
  if (isNumeric(v)) return toNumber(v) !== 0;
  return true;
}

/**
 * Aggregation value order: like compareValues, except that a missing value sorts below
 * null (MongoDB canonicalises EOO to 0 and null to 5), so `{ $eq: ["$missing", null] }` is false.
 */
export function compareAgg(a: unknown, b: unknown): number {
  if (a === undefined || b === undefined) {
    if (a === b) return 0;
    const other = a === undefined ? b : a;
    const missingFirst = bsonTypeName(other) === 'minKey' ? 1 : -1;
    return a === undefined ? missingFirst : -missingFirst;
  }
  return compareValues(a, b);
}

/**
 * Aggregation field-path traversal: over an array, each element is traversed and the
 * results collected (missing ones dropped), so `$a.b` over `[{b:1},{c:2}]` is `[1]`.
 */
export function getPathValue(value: unknown, parts: readonly string[], i = 0): unknown {
  if (i === parts.length) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const el of value) {
      if (Array.isArray(el) || isPlainObject(el)) {
        const r = getPathValue(el, parts, i);
        if (r !== undefined) out.push(r);
      }
    }
    return out;
  }
  if (isPlainObject(value)) {
    const key = parts[i] as string;
    if (!Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    return getPathValue(value[key], parts, i + 1);
  }
  return undefined;
}

function evaluateVariable(ref: string, ctx: EvalContext): unknown {
  const dot = ref.indexOf('.');
  const name = dot < 0 ? ref : ref.slice(0, dot);
  const rest = dot < 0 ? [] : ref.slice(dot + 1).split('.');
  let base: unknown;
  if (name === 'ROOT') base = ctx.root;
  else if (name === 'CURRENT') base = ctx.current;
  else if (name === 'REMOVE') return undefined;
  else if (name === 'NOW') base = ctx.vars['NOW'] ?? new Date();
  else if (Object.prototype.hasOwnProperty.call(ctx.vars, name)) base = ctx.vars[name];
  else fail('Location17276', `Use of undefined variable: ${name}`, undefined, 17276);
  return getPathValue(base, rest);
}

export function evaluate(expr: unknown, ctx: EvalContext): unknown {
  if (typeof expr === 'string') {
    if (expr.startsWith('$$')) return evaluateVariable(expr.slice(2), ctx);
    if (expr.startsWith('$')) {
      if (expr.length === 1) fail('Location16872', "'$' by itself is not a valid FieldPath", undefined, 16872);
      return getPathValue(ctx.current, expr.slice(1).split('.'));
    }
    return expr;
  }
  if (Array.isArray(expr)) {
    // Missing values inside an array literal become null, as in MongoDB.
    return expr.map((e) => {
      const v = evaluate(e, ctx);
      return v === undefined ? null : v;
    });
  }
  if (isPlainObject(expr)) {
    const keys = Object.keys(expr);
    const first = keys[0];
    if (first !== undefined && first.startsWith('$')) {
      if (keys.length !== 1) {
        fail('Location15983', `An object representing an expression must have exactly one field: ${JSON.stringify(expr)}`, undefined, 15983);
      }
      const op = operators.get(first);
      if (!op) fail('InvalidPipelineOperator', `Unrecognized expression '${first}'`);
      return op(expr[first], ctx);
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      if (k.startsWith('$')) fail('Location16404', `FieldPath field names may not start with '$'. Given: ${k}`, undefined, 16404);
      const v = evaluate(expr[k], ctx);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  return expr;
}

/** Operands as a list: MongoDB accepts a bare operand for one-argument operators. */
export function argList(args: unknown): unknown[] {
  return Array.isArray(args) ? args : [args];
}

export function evalArgs(name: string, args: unknown, ctx: EvalContext, min: number, max = min): unknown[] {
  const list = argList(args);
  if (list.length < min || list.length > max) {
    const n = min === max ? `exactly ${min}` : `between ${min} and ${max}`;
    fail('Location16020', `Expression ${name} takes ${n} arguments. ${list.length} were passed in.`, undefined, 16020);
  }
  return list.map((a) => evaluate(a, ctx));
}

/** Object-form operator arguments, rejecting unknown fields as MongoDB does. */
export function objectArgs(name: string, args: unknown, allowed: readonly string[], required: readonly string[] = []): Record<string, unknown> {
  if (!isPlainObject(args)) fail('FailedToParse', `${name} only supports an object as its argument`);
  for (const k of Object.keys(args)) {
    if (!allowed.includes(k)) fail('FailedToParse', `Unrecognized parameter to ${name}: ${k}`);
  }
  for (const k of required) {
    if (!(k in args)) fail('FailedToParse', `Missing '${k}' parameter to ${name}`);
  }
  return args;
}

/** A child context with extra variables (for $let, $map, $filter, $reduce). */
export function withVars(ctx: EvalContext, vars: Record<string, unknown>): EvalContext {
  return { root: ctx.root, current: ctx.current, vars: { ...ctx.vars, ...vars } };
}

/** Type name for error messages; `missing` for an absent value. */
export function typeNameForError(v: unknown): string {
  return v === undefined ? 'missing' : bsonTypeName(v);
}
