/**
 * Field-level query operators ($eq … $elemMatch). Each compiles to an OpMatcher that
 * can test either the candidates a path reaches in a document, or one single value
 * (inside $elemMatch and $pull).
 */
import { fail } from '../errors.js';
import { bsonTypeName, canonicalKey, compareValues, isPlainObject, typeRank, valuesEqual } from './compare.js';
import { isNaNValue, isNumeric, toDouble } from './numeric.js';
import type { PathValue } from './paths.js';
import { isRegexValue, regexFromOperands, regexOf } from './regex.js';

export interface MatchDetails { arrayIndex?: number }

export interface OpMatcher {
  candidates(cands: PathValue[], details: MatchDetails): boolean;
  single(v: unknown): boolean;
}

/** Compiles a whole sub-filter for an element (object-mode $elemMatch / $pull); supplied by match.ts. */
export type DocCompiler = (filter: Record<string, unknown>) => (doc: Record<string, unknown>, details: MatchDetails) => boolean;

function record(details: MatchDetails, idx: number | undefined): void {
  if (idx !== undefined) details.arrayIndex = idx;
}

/** A test on single values; leaf arrays are searched element-wise, then as a whole. */
function positive(test: (v: unknown) => boolean, expand = true): OpMatcher {
  return {
    candidates(cands, details) {
      for (const c of cands) {
        const v = c.value;
        if (expand && Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) {
            if (test(v[i])) { record(details, c.arrayIndex ?? i); return true; }
          }
        }
        if (test(v)) { record(details, c.arrayIndex); return true; }
      }
      return false;
    },
    single: test,
  };
}

function negate(m: OpMatcher): OpMatcher {
  return {
    candidates: (cands) => !m.candidates(cands, {}),
    single: (v) => !m.single(v),
  };
}

export function allOf(ms: OpMatcher[]): OpMatcher {
  if (ms.length === 1) return ms[0] as OpMatcher;
  return {
    candidates: (cands, details) => ms.every((m) => m.candidates(cands, details)),
    single: (v) => ms.every((m) => m.single(v)),
  };
}

const NEVER: OpMatcher = { candidates: () => false, single: () => false };

function isNullish(v: unknown): boolean {
  return v === null || v === undefined;
}

function regexTest(re: RegExp): (v: unknown) => boolean {
  return (v) => {
    if (typeof v === 'string') { re.lastIndex = 0; return re.test(v); }
    if (bsonTypeName(v) === 'symbol') return re.test((v as { value: string }).value);
    return false;
  };
}

/** Equality as {a: v}: a regex value also matches strings, null matches missing. */
export function equalityMatcher(value: unknown, regexMatches = true): OpMatcher {
  if (value === null) return positive(isNullish);
  if (regexMatches && isRegexValue(value)) {
    const t = regexTest(regexOf(value));
    return positive((v) => t(v) || (isRegexValue(v) && valuesEqual(v, value)));
  }
  const rank = typeRank(value);
  if (typeof value !== 'object') return positive((v) => v === value || (typeRank(v) === rank && compareValues(v, value) === 0));
  return positive((v) => typeRank(v) === rank && compareValues(v, value) === 0);
}

type CmpOp = '$gt' | '$gte' | '$lt' | '$lte';

function comparisonMatcher(op: CmpOp, rhs: unknown): OpMatcher {
  if (isRegexValue(rhs) || rhs === undefined) {
    if (rhs === undefined) fail('BadValue', `${op} cannot be undefined`);
  }
  const rank = typeRank(rhs);
  const t = bsonTypeName(rhs);
  const isBound = t === 'minKey' || t === 'maxKey';
  const rhsNaN = isNaNValue(rhs);
  const accept = (c: number): boolean =>
    op === '$gt' ? c > 0 : op === '$gte' ? c >= 0 : op === '$lt' ? c < 0 : c <= 0;
  return positive((v) => {
    if (typeRank(v) !== rank) return isBound ? accept(compareValues(v, rhs)) : false;
    if (rank === 10 && (rhsNaN || isNaNValue(v))) return rhsNaN && isNaNValue(v) && (op === '$gte' || op === '$lte');
    return accept(compareValues(v, rhs));
  });
}

function inMatcher(values: unknown, op: string): OpMatcher {
  if (!Array.isArray(values)) fail('BadValue', `${op} needs an array`);
  const keys = new Set<string>();
  const regexes: ((v: unknown) => boolean)[] = [];
  for (const v of values) {
    if (isPlainObject(v) && Object.keys(v)[0]?.startsWith('$')) fail('BadValue', `cannot nest $ under ${op}`);
    if (isRegexValue(v)) regexes.push(regexTest(regexOf(v)));
    keys.add(canonicalKey(v));
  }
  return positive((v) => keys.has(canonicalKey(v)) || regexes.some((t) => t(v)));
}

const TYPE_CODES: Record<number, string> = {
  1: 'double', 2: 'string', 3: 'object', 4: 'array', 5: 'binData', 6: 'undefined', 7: 'objectId', 8: 'bool',
  9: 'date', 10: 'null', 11: 'regex', 12: 'dbPointer', 13: 'javascript', 14: 'symbol', 15: 'javascriptWithScope',
  16: 'int', 17: 'timestamp', 18: 'long', 19: 'decimal', [-1]: 'minKey', 127: 'maxKey',
};
const TYPE_NAMES = new Set([...Object.values(TYPE_CODES), 'number']);

function typeMatcher(spec: unknown): OpMatcher {
  const specs = Array.isArray(spec) ? spec : [spec];
  const names = new Set<string>();
  for (const s of specs) {
    if (typeof s === 'string') {
      if (!TYPE_NAMES.has(s)) fail('BadValue', `Unknown type name alias: ${s}`);
      names.add(s);
    } else if (isNumeric(s)) {
      const n = toDouble(s);
      const name = Number.isInteger(n) ? TYPE_CODES[n] : undefined;
      if (!name) fail('BadValue', `Invalid numerical type code: ${n}`);
      names.add(name);
    } else fail('TypeMismatch', 'type must be represented as a number or a string');
  }
  if (names.size === 0) fail('FailedToParse', '$type must match at least one type');
  const numeric = names.has('number');
  return positive((v) => {
    if (v === undefined) return false;
    const t = bsonTypeName(v);
    return names.has(t) || (numeric && typeRank(v) === 10);
  });
}

function modMatcher(arg: unknown): OpMatcher {
  if (!Array.isArray(arg)) fail('BadValue', 'malformed mod, needs to be an array');
  if (arg.length < 2) fail('BadValue', 'malformed mod, not enough elements');
  if (arg.length > 2) fail('BadValue', 'malformed mod, too many elements');
  const [d, r] = arg as [unknown, unknown];
  if (!isNumeric(d)) fail('BadValue', 'malformed mod, divisor not a number');
  if (!isNumeric(r)) fail('BadValue', 'malformed mod, remainder not a number');
  const dv = toDouble(d);
  const rv = toDouble(r);
  if (!Number.isFinite(dv)) fail('BadValue', 'malformed mod, divisor value is invalid :: caused by :: Unable to coerce NaN/Inf to integral type');
  if (!Number.isFinite(rv)) fail('BadValue', 'malformed mod, remainder value is invalid :: caused by :: Unable to coerce NaN/Inf to integral type');
  const div = Math.trunc(dv);
  const rem = Math.trunc(rv);
  if (div === 0) fail('BadValue', 'divisor cannot be 0');
  return positive((v) => {
    if (!isNumeric(v)) return false;
    const x = toDouble(v);
    if (!Number.isFinite(x)) return false;
    return Math.trunc(x) % div === rem;
  });
}

function sizeMatcher(arg: unknown): OpMatcher {
  if (!isNumeric(arg)) fail('BadValue', '$size needs a number');
  const n = toDouble(arg);
  if (!Number.isInteger(n)) fail('BadValue', `Failed to parse $size. Expected an integer, but found ${n}`);
  if (n < 0) fail('BadValue', `Failed to parse $size. Expected a non-negative number, but found ${n}`);
  return positive((v) => Array.isArray(v) && v.length === n, false);
}

function isValueModeSpec(spec: Record<string, unknown>): boolean {
  const keys = Object.keys(spec);
  if (keys.length === 0) return false;
  return keys.every((k) => k.startsWith('$') && !['$and', '$or', '$nor', '$expr', '$where', '$text', '$comment'].includes(k));
}

function elemMatchMatcher(spec: unknown, compileDoc: DocCompiler): OpMatcher {
  if (!isPlainObject(spec)) fail('BadValue', '$elemMatch needs an Object');
  let test: (el: unknown) => boolean;
  if (isValueModeSpec(spec)) {
    const m = compileOperators(spec, compileDoc);
    test = (el) => m.single(el);
  } else {
    const pred = compileDoc(spec);
    test = (el) => (isPlainObject(el) || Array.isArray(el)) && pred(el as Record<string, unknown>, {});
  }
  const elementIndex = (v: unknown): number => (Array.isArray(v) ? v.findIndex(test) : -1);
  return {
    candidates(cands, details) {
      for (const c of cands) {
        const i = elementIndex(c.value);
        if (i >= 0) { record(details, c.arrayIndex ?? i); return true; }
      }
      return false;
    },
    single: (v) => elementIndex(v) >= 0,
  };
}

function allMatcher(arg: unknown, compileDoc: DocCompiler): OpMatcher {
  if (!Array.isArray(arg)) fail('BadValue', '$all needs an array');
  if (arg.length === 0) return NEVER;
  const isElem = (x: unknown): boolean => isPlainObject(x) && Object.keys(x)[0] === '$elemMatch';
  if (isElem(arg[0])) {
    if (!arg.every(isElem)) fail('BadValue', '$all/$elemMatch has to be consistent');
    return allOf(arg.map((x) => elemMatchMatcher((x as Record<string, unknown>).$elemMatch, compileDoc)));
  }
  return allOf(arg.map((x) => {
    if (isPlainObject(x) && Object.keys(x)[0]?.startsWith('$')) fail('BadValue', 'no $ expressions in $all');
    return equalityMatcher(x);
  }));
}

function notMatcher(arg: unknown, compileDoc: DocCompiler): OpMatcher {
  if (isRegexValue(arg)) return negate(positive(regexTest(regexOf(arg))));
  if (!isPlainObject(arg)) fail('BadValue', '$not needs a regex or a document');
  if (Object.keys(arg).length === 0) fail('BadValue', '$not cannot be empty');
  if (!Object.keys(arg).every((k) => k.startsWith('$'))) fail('BadValue', `unknown operator: ${Object.keys(arg).find((k) => !k.startsWith('$'))}`);
  return negate(compileOperators(arg, compileDoc));
}

/** Whether a filter value is an operator document ({$gt: 1}) rather than a literal. */
export function isOperatorObject(v: unknown): v is Record<string, unknown> {
  if (!isPlainObject(v)) return false;
  const first = Object.keys(v)[0];
  return first !== undefined && first.startsWith('$') && first !== '$ref' && first !== '$id' && first !== '$db';
}

/** Compiles `{ $gt: 1, $lt: 5, ... }` for one field. */
export function compileOperators(spec: Record<string, unknown>, compileDoc: DocCompiler): OpMatcher {
  const parts: OpMatcher[] = [];
  for (const [op, arg] of Object.entries(spec)) {
    switch (op) {
      case '$eq': parts.push(equalityMatcher(arg, false)); break;
      case '$ne': parts.push(negate(equalityMatcher(arg, false))); break;
      case '$gt': case '$gte': case '$lt': case '$lte': parts.push(comparisonMatcher(op, arg)); break;
      case '$in': parts.push(inMatcher(arg, '$in')); break;
      case '$nin': parts.push(negate(inMatcher(arg, '$nin'))); break;
      case '$exists': {
        const exists = positive((v) => v !== undefined, false);
        parts.push(arg === false || arg === null || arg === 0 || (isNumeric(arg) && toDouble(arg) === 0) ? negate(exists) : exists);
        break;
      }
      case '$type': parts.push(typeMatcher(arg)); break;
      case '$regex': parts.push(positive(regexTest(regexFromOperands(arg, spec.$options)))); break;
      case '$options': if (!('$regex' in spec)) fail('BadValue', '$options needs a $regex'); break;
      case '$mod': parts.push(modMatcher(arg)); break;
      case '$size': parts.push(sizeMatcher(arg)); break;
      case '$all': parts.push(allMatcher(arg, compileDoc)); break;
      case '$elemMatch': parts.push(elemMatchMatcher(arg, compileDoc)); break;
      case '$not': parts.push(notMatcher(arg, compileDoc)); break;
      case '$comment': break;
      case '$near': case '$nearSphere': case '$geoWithin': case '$geoIntersects': case '$within':
      case '$bitsAllSet': case '$bitsAnySet': case '$bitsAllClear': case '$bitsAnyClear':
        fail('NotImplemented', `${op} is not supported by the embedded server`);
        break;
      default: fail('BadValue', `unknown operator: ${op}`);
    }
  }
  if (parts.length === 0) return positive(() => true, false);
  return allOf(parts);
}
