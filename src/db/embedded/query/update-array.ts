/**
 * Array update operators: $push (with $each/$slice/$sort/$position), $addToSet,
 * $pop, $pull (values, operator conditions, subdocument queries) and $pullAll.
 * They mutate the working copy of the document (see update.ts).
 */
import { fail } from '../errors.js';
import { bsonTypeName, deepClone, isPlainObject, valuesEqual } from './compare.js';
import { compileDocMatcher, compileValueMatcher } from './match.js';
import { isOperatorObject } from './match-operators.js';
import { isNumeric, toDouble } from './numeric.js';
import { describe, getPath, setPath } from './paths.js';
import { isRegexValue, regexOf } from './regex.js';
import { compileSort } from './sort.js';

function targetArray(doc: Record<string, unknown>, parts: string[], op: string): unknown[] | undefined {
  const v = getPath(doc, parts);
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) {
    const id = doc._id === undefined ? '' : `{_id: ${describe(doc._id)}}`;
    if (op === '$pop' || op === '$pull' || op === '$pullAll') {
      fail('BadValue', `Cannot apply ${op} to a non-array value`);
    }
    fail('BadValue', `The field '${parts.join('.')}' must be an array but is of type ${bsonTypeName(v)} in document ${id}`);
  }
  return v;
}

function integerArg(v: unknown, what: string): number {
  if (!isNumeric(v)) fail('BadValue', `The value for ${what} must be a numeric value not a ${bsonTypeName(v)}`);
  const n = toDouble(v);
  if (!Number.isInteger(n)) fail('BadValue', `The value for ${what} must be an integer value but found ${n}`);
  return n;
}

function sortSpecOf(spec: unknown): (a: unknown, b: unknown) => number {
  if (spec === 1 || spec === -1) {
    const dir = spec;
    const cmp = compileSort({ v: dir });
    return (a, b) => cmp({ v: a }, { v: b });
  }
  if (!isPlainObject(spec) || Object.keys(spec).length === 0) {
    fail('BadValue', 'The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields');
  }
  for (const [k, d] of Object.entries(spec)) {
    if (d !== 1 && d !== -1) fail('BadValue', 'The $sort element value must be either 1 or -1');
    if (k === '' || k.startsWith('.') || k.endsWith('.') || k.startsWith('$')) fail('BadValue', 'The $sort field is a dotted field but has an empty part: ' + k);
  }
  const cmp = compileSort(spec);
  // Non-documents sort as if they had no fields.
  return (a, b) => cmp(isPlainObject(a) ? a : {}, isPlainObject(b) ? b : {});
}

export function applyPush(doc: Record<string, unknown>, parts: string[], arg: unknown): void {
  let items: unknown[] = [arg];
  let position: number | undefined;
  let slice: number | undefined;
  let sort: ((a: unknown, b: unknown) => number) | undefined;
  if (isPlainObject(arg) && '$each' in arg) {
    for (const k of Object.keys(arg)) {
      if (!['$each', '$slice', '$sort', '$position'].includes(k)) fail('BadValue', `Unrecognized clause in $push: ${k}`);
    }
    if (!Array.isArray(arg.$each)) fail('BadValue', `The argument to $each in $push must be an array but it was of type: ${bsonTypeName(arg.$each)}`);
    items = arg.$each;
    if (arg.$position !== undefined) position = integerArg(arg.$position, '$position');
    if (arg.$slice !== undefined) slice = integerArg(arg.$slice, '$slice');
    if (arg.$sort !== undefined) sort = sortSpecOf(arg.$sort);
  }
  const existing = targetArray(doc, parts, '$push');
  const arr = existing ?? [];
  const copies = items.map(deepClone);
  if (position === undefined || position >= arr.length) arr.push(...copies);
  else {
    const at = position < 0 ? Math.max(0, arr.length + position) : position;
    arr.splice(at, 0, ...copies);
  }
  if (sort) arr.sort(sort);
  if (slice !== undefined) {
    const kept = slice >= 0 ? arr.slice(0, slice) : arr.slice(Math.max(0, arr.length + slice));
    arr.length = 0;
    arr.push(...kept);
  }
  if (!existing) setPath(doc, parts, arr);
}

export function applyAddToSet(doc: Record<string, unknown>, parts: string[], arg: unknown): void {
  let items: unknown[] = [arg];
  if (isPlainObject(arg) && '$each' in arg) {
    if (!Array.isArray(arg.$each)) fail('TypeMismatch', `The argument to $each in $addToSet must be an array but it was of type ${bsonTypeName(arg.$each)}`);
    items = arg.$each;
  }
  const existing = targetArray(doc, parts, '$addToSet');
  const arr = existing ?? [];
  for (const item of items) {
    // valuesEqual compares documents field by field in order: {a, b} differs from {b, a}.
    if (!arr.some((x) => valuesEqual(x, item))) arr.push(deepClone(item));
  }
  if (!existing) setPath(doc, parts, arr);
}

export function applyPop(doc: Record<string, unknown>, parts: string[], arg: unknown): void {
  const n = isNumeric(arg) ? toDouble(arg) : NaN;
  if (n !== 1 && n !== -1) fail('FailedToParse', `Expected a number in: ${parts.join('.')}: ${describe(arg)}`);
  const v = getPath(doc, parts);
  if (v === undefined) return;
  if (!Array.isArray(v)) fail('TypeMismatch', `Path '${parts.join('.')}' contains an element of non-array type '${bsonTypeName(v)}'`);
  if (n === 1) v.pop();
  else v.shift();
}

function pullTest(cond: unknown): (el: unknown) => boolean {
  if (isRegexValue(cond)) {
    const re = regexOf(cond);
    return (el) => typeof el === 'string' && re.test(el);
  }
  if (isOperatorObject(cond)) {
    // Value mode: {$gte: 6}. Logical operators make it a query on subdocuments.
    const first = Object.keys(cond)[0] as string;
    if (!['$and', '$or', '$nor', '$expr'].includes(first)) return compileValueMatcher(cond);
  }
  if (isPlainObject(cond)) {
    // {score: 8, item: "B"} is a query against each subdocument element.
    const pred = compileDocMatcher(cond);
    return (el) => isPlainObject(el) && pred(el, {});
  }
  return (el) => valuesEqual(el, cond);
}

export function applyPull(doc: Record<string, unknown>, parts: string[], arg: unknown): void {
  const arr = targetArray(doc, parts, '$pull');
  if (!arr) return;
  const test = pullTest(arg);
  const kept = arr.filter((el) => !test(el));
  if (kept.length !== arr.length) { arr.length = 0; arr.push(...kept); }
}

export function applyPullAll(doc: Record<string, unknown>, parts: string[], arg: unknown): void {
  if (!Array.isArray(arg)) fail('BadValue', `$pullAll requires an array argument but was given a ${bsonTypeName(arg)}`);
  const arr = targetArray(doc, parts, '$pullAll');
  if (!arr) return;
  const kept = arr.filter((el) => !arg.some((x) => valuesEqual(el, x)));
  if (kept.length !== arr.length) { arr.length = 0; arr.push(...kept); }
}
