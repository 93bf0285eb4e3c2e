/**
 * $group accumulators, and the same operators used as array expressions
 * (`{ $sum: "$arrayField" }`, `{ $max: [1, "$x"] }`).
 */
import { Decimal128 } from 'bson';
import { fail } from '../errors.js';
import { canonicalKey, compareValues } from '../query/compare.js';
import { evaluate, type EvalContext, type OperatorFn } from './expr-core.js';
import { addNumbers, isNumeric, numKind, toNumber } from './numbers.js';
import { mergeInto } from './ops-object.js';

export interface Accumulator {
  add(value: unknown): void;
  result(): unknown;
}

function sum(): Accumulator {
  let total: unknown = 0;
  return {
    // Non-numeric values are ignored, as in MongoDB.
    add: (v) => { if (isNumeric(v)) total = addNumbers(total, v); },
    result: () => total,
  };
}

function avg(): Accumulator {
  let total = 0;
  let n = 0;
  let decimal = false;
  return {
    add: (v) => {
      if (!isNumeric(v)) return;
      total += toNumber(v);
      n++;
      if (numKind(v) === 'decimal') decimal = true;
    },
    result: () => (n === 0 ? null : decimal ? Decimal128.fromString(String(total / n)) : total / n),
  };
}

function extreme(sign: 1 | -1): () => Accumulator {
  return () => {
    let best: unknown;
    return {
      add: (v) => {
        if (v === null || v === undefined) return;
        if (best === undefined || sign * compareValues(v, best) > 0) best = v;
      },
      result: () => best ?? null,
    };
  };
}

function first(): Accumulator {
  let seen = false;
  let value: unknown = null;
  return {
    add: (v) => { if (!seen) { seen = true; value = v ?? null; } },
    result: () => value,
  };
}

function last(): Accumulator {
  let value: unknown = null;
  return { add: (v) => { value = v ?? null; }, result: () => value };
}

function push(): Accumulator {
  const out: unknown[] = [];
  return { add: (v) => { if (v !== undefined) out.push(v); }, result: () => out };
}

function addToSet(): Accumulator {
  const seen = new Map<string, unknown>();
  return {
    add: (v) => {
      if (v === undefined) return;
      const k = canonicalKey(v);
      if (!seen.has(k)) seen.set(k, v);
    },
    result: () => [...seen.values()],
  };
}

function mergeObjects(): Accumulator {
  const out: Record<string, unknown> = {};
  return { add: (v) => mergeInto(out, v), result: () => out };
}

function stdDev(sample: boolean): () => Accumulator {
  return () => {
    // Welford's algorithm: numerically stable single pass.
    let n = 0;
    let mean = 0;
    let m2 = 0;
    return {
      add: (v) => {
        if (!isNumeric(v)) return;
        const x = toNumber(v);
        n++;
        const d = x - mean;
        mean += d / n;
        m2 += d * (x - mean);
      },
      result: () => {
        const div = sample ? n - 1 : n;
        return div <= 0 ? null : Math.sqrt(m2 / div);
      },
    };
  };
}

export const ACCUMULATORS: Record<string, () => Accumulator> = {
  $sum: sum,
  $avg: avg,
  $min: extreme(-1),
  $max: extreme(1),
  $first: first,
  $last: last,
  $push: push,
  $addToSet: addToSet,
  $mergeObjects: mergeObjects,
  $stdDevPop: stdDev(false),
  $stdDevSamp: stdDev(true),
};

export interface CompiledAccumulator {
  create(): Accumulator;
  expr: unknown;
}

/** Parses `{ $sum: <expr> }` from a $group field; `{ $count: {} }` is `{ $sum: 1 }`. */
export function compileAccumulator(field: string, spec: unknown): CompiledAccumulator {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec) || Object.keys(spec).length !== 1) {
    fail('Location40234', `The field '${field}' must be an accumulator object`, undefined, 40234);
  }
  const [name, expr] = Object.entries(spec)[0] as [string, unknown];
  if (name === '$count') {
    if (expr === null || typeof expr !== 'object' || Object.keys(expr).length !== 0) {
      fail('Location40237', "$count takes no arguments, i.e. $count:{}", undefined, 40237);
    }
    return { create: sum, expr: 1 };
  }
  const create = ACCUMULATORS[name];
  if (!create) fail('Location15952', `unknown group operator '${name}'`, undefined, 15952);
  if (Array.isArray(expr)) fail('Location40237', `The ${name} accumulator is a unary operator`, undefined, 40237);
  return { create, expr };
}

/** Expression form: one array operand is accumulated element-wise; several operands are accumulated as values. */
function arrayForm(name: string): OperatorFn {
  const create = ACCUMULATORS[name] as () => Accumulator;
  return (args: unknown, ctx: EvalContext) => {
    const acc = create();
    if (Array.isArray(args) && args.length !== 1) {
      for (const a of args) acc.add(evaluate(a, ctx));
    } else {
      const v = evaluate(Array.isArray(args) ? args[0] : args, ctx);
      if (Array.isArray(v)) for (const x of v) acc.add(x);
      else acc.add(v);
    }
    return acc.result();
  };
}

export const accumulatorOperators: Record<string, OperatorFn> = Object.fromEntries(
  ['$sum', '$avg', '$min', '$max', '$stdDevPop', '$stdDevSamp'].map((n) => [n, arrayForm(n)]),
);
