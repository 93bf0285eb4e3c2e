/** Arithmetic expression operators ($add … $log10) with MongoDB's null and type rules. */
import { Long } from 'bson';
import { fail } from '../errors.js';
import { argList, evalArgs, evaluate, isNullish, typeNameForError, type EvalContext, type OperatorFn } from './expr-core.js';
import {
  addNumbers, isIntegral, isNumeric, makeNumber, multiplyNumbers, numKind, roundHalfEven, subtractNumbers, toNumber, truncTo, widest,
} from './numbers.js';

function requireNumber(name: string, v: unknown, code: number): void {
  if (!isNumeric(v)) {
    fail(`Location${code}`, `${name} only supports numeric types, not ${typeNameForError(v)}`, undefined, code);
  }
}

function add(args: unknown, ctx: EvalContext): unknown {
  const vals = argList(args).map((a) => evaluate(a, ctx));
  let total: unknown = 0;
  let date: Date | undefined;
  for (const v of vals) if (isNullish(v)) return null;
  for (const v of vals) {
    if (v instanceof Date) {
      if (date) fail('Location16612', 'only one date allowed in an $add expression', undefined, 16612);
      date = v;
    } else if (isNumeric(v)) {
      total = addNumbers(total, v);
    } else {
      fail('Location16554', `$add only supports numeric or date types, not ${typeNameForError(v)}`, undefined, 16554);
    }
  }
  // A date plus milliseconds is a date; fractional milliseconds round like MongoDB.
  if (date) return new Date(date.getTime() + Math.round(toNumber(total)));
  return total;
}

function subtract(args: unknown, ctx: EvalContext): unknown {
  const [a, b] = evalArgs('$subtract', args, ctx, 2);
  if (isNullish(a) || isNullish(b)) return null;
  if (a instanceof Date && b instanceof Date) return Long.fromNumber(a.getTime() - b.getTime());
  if (a instanceof Date && isNumeric(b)) return new Date(a.getTime() - Math.round(toNumber(b)));
  if (isNumeric(a) && isNumeric(b)) return subtractNumbers(a, b);
  return fail('Location16556', `can't $subtract ${typeNameForError(b)} from ${typeNameForError(a)}`, undefined, 16556);
}

function multiply(args: unknown, ctx: EvalContext): unknown {
  const vals = argList(args).map((a) => evaluate(a, ctx));
  for (const v of vals) if (isNullish(v)) return null;
  let total: unknown = 1;
  for (const v of vals) {
    requireNumber('$multiply', v, 16555);
    total = multiplyNumbers(total, v);
  }
  return total;
}

function divide(args: unknown, ctx: EvalContext): unknown {
  const [a, b] = evalArgs('$divide', args, ctx, 2);
  if (isNullish(a) || isNullish(b)) return null;
  if (!isNumeric(a) || !isNumeric(b)) {
    fail('Location16609', `$divide only supports numeric types, not ${typeNameForError(a)} and ${typeNameForError(b)}`, undefined, 16609);
  }
  if (toNumber(b) === 0) fail('Location16608', "can't $divide by zero", undefined, 16608);
  const kind = widest(a, b) === 'decimal' ? 'decimal' : 'double';
  return makeNumber(toNumber(a) / toNumber(b), kind);
}

function mod(args: unknown, ctx: EvalContext): unknown {
  const [a, b] = evalArgs('$mod', args, ctx, 2);
  if (isNullish(a) || isNullish(b)) return null;
  if (!isNumeric(a) || !isNumeric(b)) {
    fail('Location16611', `$mod only supports numeric types, not ${typeNameForError(a)} and ${typeNameForError(b)}`, undefined, 16611);
  }
  if (toNumber(b) === 0) fail('Location16610', "can't $mod by zero", undefined, 16610);
  return makeNumber(toNumber(a) % toNumber(b), widest(a, b));
}

/** One-argument numeric operator: null in → null out, result keeps the input's kind. */
function unary(name: string, fn: (n: number) => number, opts: { double?: boolean; check?: (n: number) => void } = {}): OperatorFn {
  return (args, ctx) => {
    const [v] = evalArgs(name, args, ctx, 1);
    if (isNullish(v)) return null;
    requireNumber(name, v, 28765);
    const n = toNumber(v);
    if (Number.isNaN(n)) return v;
    opts.check?.(n);
    const kind = numKind(v);
    return makeNumber(fn(n), opts.double && kind !== 'decimal' ? 'double' : kind);
  };
}

function roundLike(name: string, fn: (x: number, place: number) => number): OperatorFn {
  return (args, ctx) => {
    const [v, p] = evalArgs(name, args, ctx, 1, 2);
    if (isNullish(v) || (p === null)) return null;
    requireNumber(name, v, 51081);
    const place = p === undefined ? 0 : toNumber(p);
    if (!isIntegral(p ?? 0) || place < -20 || place > 100) {
      fail('Location51083', `cannot apply ${name} with precision value ${String(p)} value must be in [-20, 100]`, undefined, 51083);
    }
    return makeNumber(fn(toNumber(v), place), numKind(v));
  };
}

function pow(args: unknown, ctx: EvalContext): unknown {
  const [b, e] = evalArgs('$pow', args, ctx, 2);
  if (isNullish(b) || isNullish(e)) return null;
  requireNumber('$pow', b, 28762);
  requireNumber('$pow', e, 28763);
  const nb = toNumber(b);
  const ne = toNumber(e);
  if (nb === 0 && ne < 0) fail('Location28764', '$pow cannot take a base of 0 and a negative exponent', undefined, 28764);
  const kind = widest(b, e);
  // Integer bases with negative exponents produce doubles in MongoDB.
  return makeNumber(Math.pow(nb, ne), (kind === 'int' || kind === 'long') && ne < 0 ? 'double' : kind);
}

function log(args: unknown, ctx: EvalContext): unknown {
  const [x, base] = evalArgs('$log', args, ctx, 2);
  if (isNullish(x) || isNullish(base)) return null;
  requireNumber('$log', x, 28756);
  requireNumber('$log', base, 28757);
  const nx = toNumber(x);
  const nb = toNumber(base);
  if (nx <= 0) fail('Location28758', `$log's argument must be a positive number, but is ${nx}`, undefined, 28758);
  if (nb <= 0 || nb === 1) fail('Location28759', `$log's base must be a positive number not equal to 1, but is ${nb}`, undefined, 28759);
  return Math.log(nx) / Math.log(nb);
}

export const arithmeticOperators: Record<string, OperatorFn> = {
  $add: add,
  $subtract: subtract,
  $multiply: multiply,
  $divide: divide,
  $mod: mod,
  $abs: unary('$abs', Math.abs),
  $ceil: unary('$ceil', Math.ceil),
  $floor: unary('$floor', Math.floor),
  $sqrt: unary('$sqrt', Math.sqrt, {
    double: true,
    check: (n) => { if (n < 0) fail('Location28714', "$sqrt's argument must be greater than or equal to 0", undefined, 28714); },
  }),
  $exp: unary('$exp', Math.exp, { double: true }),
  $ln: unary('$ln', Math.log, {
    double: true,
    check: (n) => { if (n <= 0) fail('Location28766', `$ln's argument must be a positive number, but is ${n}`, undefined, 28766); },
  }),
  $log10: unary('$log10', Math.log10, {
    double: true,
    check: (n) => { if (n <= 0) fail('Location28761', `$log10's argument must be a positive number, but is ${n}`, undefined, 28761); },
  }),
  $log: log,
  $pow: pow,
  $round: roundLike('$round', roundHalfEven),
  $trunc: roundLike('$trunc', truncTo),
};
