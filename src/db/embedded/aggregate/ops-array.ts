/** Array and set expression operators. */
import { fail } from '../errors.js';
import { canonicalKey, compareValues } from '../query/compare.js';
import {
  argList, compareAgg, evalArgs, evaluate, isNullish, isTruthy, objectArgs, typeNameForError, withVars, type EvalContext, type OperatorFn,
} from './expr-core.js';
import { isIntegral, isNumeric, toNumber } from './numbers.js';

function requireArray(v: unknown, code: number, message: string): unknown[] {
  if (!Array.isArray(v)) fail(`Location${code}`, `${message}${typeNameForError(v)}`, undefined, code);
  return v;
}

function intArg(name: string, v: unknown, code: number, what: string): number {
  if (!isNumeric(v) || !isIntegral(v)) fail(`Location${code}`, `${name}'s ${what} must be a 32-bit integer, but is ${typeNameForError(v)}`, undefined, code);
  return toNumber(v);
}

function varName(name: string, as: unknown): string {
  if (as === undefined) return 'this';
  if (typeof as !== 'string' || !/^[a-z\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*$/.test(as)) {
    fail('Location16866', `${name}: invalid variable name '${String(as)}'`, undefined, 16866);
  }
  return as;
}

function filterOp(args: unknown, ctx: EvalContext): unknown {
  const a = objectArgs('$filter', args, ['input', 'as', 'cond', 'limit'], ['input', 'cond']);
  const name = varName('$filter', a['as']);
  const input = evaluate(a['input'], ctx);
  if (isNullish(input)) return null;
  const arr = requireArray(input, 28651, 'input to $filter must be an array not ');
  let limit = Infinity;
  if (a['limit'] !== undefined) {
    const l = evaluate(a['limit'], ctx);
    if (!isNullish(l)) {
      limit = intArg('$filter', l, 327391, 'limit');
      if (limit < 1) fail('Location327392', "$filter: limit must be greater than 0", undefined, 327392);
    }
  }
  const out: unknown[] = [];
  for (const el of arr) {
    if (out.length >= limit) break;
    if (isTruthy(evaluate(a['cond'], withVars(ctx, { [name]: el })))) out.push(el);
  }
  return out;
}

function mapOp(args: unknown, ctx: EvalContext): unknown {
  const a = objectArgs('$map', args, ['input', 'as', 'in'], ['input', 'in']);
  const name = varName('$map', a['as']);
  const input = evaluate(a['input'], ctx);
  if (isNullish(input)) return null;
  const arr = requireArray(input, 16883, 'input to $map must be an array not ');
  return arr.map((el) => {
    const v = evaluate(a['in'], withVars(ctx, { [name]: el }));
    return v === undefined ? null : v;
  });
}

function reduceOp(args: unknown, ctx: EvalContext): unknown {
  const a = objectArgs('$reduce', args, ['input', 'initialValue', 'in'], ['input', 'initialValue', 'in']);
  const input = evaluate(a['input'], ctx);
  if (isNullish(input)) return null;
  const arr = requireArray(input, 40080, '$reduce requires that \'input\' be an array, found: ');
  let value = evaluate(a['initialValue'], ctx);
  for (const el of arr) value = evaluate(a['in'], withVars(ctx, { value, this: el }));
  return value;
}

function arrayElemAt(args: unknown, ctx: EvalContext): unknown {
  const [arr, idx] = evalArgs('$arrayElemAt', args, ctx, 2);
  if (isNullish(arr) || isNullish(idx)) return null;
  requireArray(arr, 28689, "$arrayElemAt's first argument must be an array, but is ");
  if (!isNumeric(idx)) fail('Location28690', `$arrayElemAt's second argument must be a numeric value, but is ${typeNameForError(idx)}`, undefined, 28690);
  if (!isIntegral(idx)) fail('Location28691', `$arrayElemAt's second argument must be representable as a 32-bit integer: ${String(idx)}`, undefined, 28691);
  const list = arr as unknown[];
  const i = toNumber(idx);
  return i < 0 ? list[list.length + i] : list[i];
}

function firstLast(name: string, pick: (a: unknown[]) => unknown): OperatorFn {
  return (args, ctx) => {
    const [arr] = evalArgs(name, args, ctx, 1);
    if (isNullish(arr)) return null;
    return pick(requireArray(arr, 28689, `${name}'s argument must be an array, but is `));
  };
}

function slice(args: unknown, ctx: EvalContext): unknown {
  const vals = evalArgs('$slice', args, ctx, 2, 3);
  if (vals.some(isNullish)) return null;
  const arr = requireArray(vals[0], 28724, 'First argument to $slice must be an array, but is of type: ');
  if (vals.length === 2) {
    const n = intArg('$slice', vals[1], 28725, 'second argument');
    return n >= 0 ? arr.slice(0, n) : arr.slice(Math.max(0, arr.length + n));
  }
  let pos = intArg('$slice', vals[1], 28725, 'second argument');
  const n = intArg('$slice', vals[2], 28727, 'third argument');
  if (n <= 0) fail('Location28729', `Third argument to $slice must be positive: ${n}`, undefined, 28729);
  if (pos < 0) pos = Math.max(0, arr.length + pos);
  return arr.slice(pos, pos + n);
}

function range(args: unknown, ctx: EvalContext): unknown {
  const vals = evalArgs('$range', args, ctx, 2, 3);
  const start = intArg('$range', vals[0], 34443, 'starting value');
  const end = intArg('$range', vals[1], 34445, 'ending value');
  const step = vals[2] === undefined ? 1 : intArg('$range', vals[2], 34447, 'step value');
  if (step === 0) fail('Location34449', '$range requires a non-zero step value', undefined, 34449);
  const out: number[] = [];
  for (let i = start; step > 0 ? i < end : i > end; i += step) out.push(i);
  return out;
}

function indexOfArray(args: unknown, ctx: EvalContext): unknown {
  const [arr, search, start, end] = evalArgs('$indexOfArray', args, ctx, 2, 4);
  if (isNullish(arr)) return null;
  const list = requireArray(arr, 40090, '$indexOfArray requires an array as a first argument, found: ');
  const from = start === undefined ? 0 : intArg('$indexOfArray', start, 40096, 'starting index');
  const to = end === undefined ? list.length : Math.min(list.length, intArg('$indexOfArray', end, 40096, 'ending index'));
  if (from < 0 || to < 0) fail('Location40097', '$indexOfArray requires a nonnegative index', undefined, 40097);
  for (let i = from; i < to; i++) if (compareAgg(list[i], search) === 0) return i;
  return -1;
}

/** Set operators treat arrays as sets: duplicates removed, order unspecified (we keep first-seen order). */
function dedupe(arr: unknown[]): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const v of arr) if (!m.has(canonicalKey(v))) m.set(canonicalKey(v), v);
  return m;
}

function setArgs(name: string, args: unknown, ctx: EvalContext, min: number, max: number): unknown[][] | null {
  const vals = evalArgs(name, args, ctx, min, max);
  if (vals.some(isNullish)) return null;
  return vals.map((v) => requireArray(v, 17044, `All operands of ${name} must be arrays. One argument is of type: `));
}

export const arrayOperators: Record<string, OperatorFn> = {
  $size: (args, ctx) => {
    const [v] = evalArgs('$size', args, ctx, 1);
    return requireArray(v, 17124, 'The argument to $size must be an array. Type of argument is: ').length;
  },
  $filter: filterOp,
  $map: mapOp,
  $reduce: reduceOp,
  $in: (args, ctx) => {
    const [v, arr] = evalArgs('$in', args, ctx, 2);
    const list = requireArray(arr, 40081, '$in requires an array as a second argument, found: ');
    return list.some((x) => compareAgg(x, v) === 0);
  },
  $arrayElemAt: arrayElemAt,
  $first: firstLast('$first', (a) => a[0]),
  $last: firstLast('$last', (a) => a[a.length - 1]),
  $slice: slice,
  $concatArrays: (args, ctx) => {
    const vals = argList(args).map((a) => evaluate(a, ctx));
    if (vals.some(isNullish)) return null;
    return vals.flatMap((v) => requireArray(v, 28664, '$concatArrays only supports arrays, not '));
  },
  $isArray: (args, ctx) => Array.isArray(evalArgs('$isArray', args, ctx, 1)[0]),
  $range: range,
  $reverseArray: (args, ctx) => {
    const [v] = evalArgs('$reverseArray', args, ctx, 1);
    if (isNullish(v)) return null;
    return [...requireArray(v, 34435, 'The argument to $reverseArray must be an array, but was of type: ')].reverse();
  },
  $indexOfArray: indexOfArray,
  $sortArray: (args, ctx) => {
    const a = objectArgs('$sortArray', args, ['input', 'sortBy'], ['input', 'sortBy']);
    const input = evaluate(a['input'], ctx);
    if (isNullish(input)) return null;
    const arr = requireArray(input, 2942504, 'The input argument to $sortArray must be an array, but was of type: ');
    const by = a['sortBy'];
    if (typeof by === 'number') return [...arr].sort((x, y) => by * compareValues(x, y));
    if (by === null || typeof by !== 'object' || Array.isArray(by)) fail('Location2942505', '$sortArray requires sortBy to be 1, -1 or an object', undefined, 2942505);
    const keys = Object.entries(by as Record<string, unknown>).map(([k, d]) => [k.split('.'), Number(d)] as const);
    return [...arr].sort((x, y) => {
      for (const [path, dir] of keys) {
        const c = compareValues(evaluate('$' + path.join('.'), { root: {}, current: x, vars: {} }) ?? null,
          evaluate('$' + path.join('.'), { root: {}, current: y, vars: {} }) ?? null);
        if (c !== 0) return dir * c;
      }
      return 0;
    });
  },
  $setUnion: (args, ctx) => {
    const sets = setArgs('$setUnion', args, ctx, 0, Infinity);
    return sets === null ? null : [...dedupe(sets.flat()).values()];
  },
  $setIntersection: (args, ctx) => {
    const sets = setArgs('$setIntersection', args, ctx, 0, Infinity);
    if (sets === null) return null;
    if (sets.length === 0) return [];
    const rest = sets.slice(1).map((s) => new Set(s.map(canonicalKey)));
    return [...dedupe(sets[0] as unknown[]).entries()].filter(([k]) => rest.every((s) => s.has(k))).map(([, v]) => v);
  },
  $setDifference: (args, ctx) => {
    const sets = setArgs('$setDifference', args, ctx, 2, 2);
    if (sets === null) return null;
    const other = new Set((sets[1] as unknown[]).map(canonicalKey));
    return [...dedupe(sets[0] as unknown[]).entries()].filter(([k]) => !other.has(k)).map(([, v]) => v);
  },
  $setIsSubset: (args, ctx) => {
    const [a, b] = evalArgs('$setIsSubset', args, ctx, 2);
    const x = requireArray(a, 17046, 'both operands of $setIsSubset must be arrays. First argument is of type: ');
    const y = new Set(requireArray(b, 17042, 'both operands of $setIsSubset must be arrays. Second argument is of type: ').map(canonicalKey));
    return x.every((v) => y.has(canonicalKey(v)));
  },
  $setEquals: (args, ctx) => {
    const sets = setArgs('$setEquals', args, ctx, 2, Infinity);
    if (sets === null) fail('Location17044', 'All operands of $setEquals must be arrays.', undefined, 17044);
    const keys = sets.map((s) => [...dedupe(s).keys()].sort().join('\u0001'));
    return keys.every((k) => k === keys[0]);
  },
  $anyElementTrue: (args, ctx) => {
    const [v] = evalArgs('$anyElementTrue', args, ctx, 1);
    return requireArray(v, 5159200, '$anyElementTrue\'s argument must be an array, but is ').some(isTruthy);
  },
  $allElementsTrue: (args, ctx) => {
    const [v] = evalArgs('$allElementsTrue', args, ctx, 1);
    return requireArray(v, 5159201, '$allElementsTrue\'s argument must be an array, but is ').every(isTruthy);
  },
};
