/**
 * Query filters: compileFilter turns a MongoDB filter document into a matcher
 * with MongoDB 7.0 semantics (array traversal, null/missing rules, type brackets).
 */
import { evaluateExpression } from '../aggregate/expressions.js';
import { fail } from '../errors.js';
import { isPlainObject } from './compare.js';
import { compileOperators, equalityMatcher, isOperatorObject, type MatchDetails, type OpMatcher } from './match-operators.js';
import { isNumeric, toDouble } from './numeric.js';
import { splitPath, traversePath, type PathValue } from './paths.js';
import { isRegexValue } from './regex.js';

export type { MatchDetails } from './match-operators.js';

export interface Matcher {
  (doc: Record<string, unknown>): boolean;
  matchWithDetails(doc: Record<string, unknown>): { matched: boolean; arrayIndex?: number };
}

export interface FilterOptions {
  variables?: Record<string, unknown>;
  textScore?: (doc: Record<string, unknown>) => number | undefined;
}

type Pred = (doc: Record<string, unknown>, details: MatchDetails) => boolean;

const MISSING: PathValue[] = [{ value: undefined }];

/** MongoDB's truthiness for $expr: false, null, missing and numeric zero are false. */
export function isTruthy(v: unknown): boolean {
  if (v === false || v === null || v === undefined) return false;
  if (isNumeric(v)) return toDouble(v) !== 0;
  return true;
}

function fieldPredicate(path: string, m: OpMatcher): Pred {
  const parts = splitPath(path);
  if (parts.length === 1) {
    const key = parts[0] as string;
    return (doc, details) => {
      const v = Object.prototype.hasOwnProperty.call(doc, key) ? doc[key] : undefined;
      return m.candidates([{ value: v }], details);
    };
  }
  return (doc, details) => {
    // Fast path: a path through subdocuments only reaches one value (no array to expand).
    let cur: unknown = doc;
    for (const part of parts) {
      if (Array.isArray(cur)) {
        const cands = traversePath(doc, parts);
        return m.candidates(cands.length ? cands : MISSING, details);
      }
      if (!isPlainObject(cur)) {
        cur = undefined;
        break;
      }
      cur = Object.prototype.hasOwnProperty.call(cur, part) ? cur[part] : undefined;
      if (cur === undefined) break;
    }
    return m.candidates([{ value: cur }], details);
  };
}

function logicalMembers(op: string, arg: unknown): Record<string, unknown>[] {
  if (!Array.isArray(arg) || arg.length === 0) fail('BadValue', `${op} must be a nonempty array`);
  return arg.map((x) => {
    if (!isPlainObject(x)) fail('BadValue', '$or/$and/$nor entries need to be full objects');
    return x;
  });
}

function compileDocument(filter: Record<string, unknown>, options: FilterOptions, depth: number): Pred {
  if (depth > 100) fail('BadValue', 'exceeded maximum query tree depth of 100');
  const preds: Pred[] = [];
  const sub = (f: Record<string, unknown>): Pred => compileDocument(f, options, depth + 1);
  for (const [key, value] of Object.entries(filter)) {
    if (key.startsWith('$')) {
      switch (key) {
        case '$and': {
          const ps = logicalMembers(key, value).map(sub);
          preds.push((doc, d) => ps.every((p) => p(doc, d)));
          break;
        }
        case '$or': {
          const ps = logicalMembers(key, value).map(sub);
          preds.push((doc, d) => ps.some((p) => p(doc, d)));
          break;
        }
        case '$nor': {
          const ps = logicalMembers(key, value).map(sub);
          preds.push((doc) => !ps.some((p) => p(doc, {})));
          break;
        }
        case '$expr': {
          const vars = options.variables;
          preds.push((doc) => isTruthy(evaluateExpression(value, doc, vars)));
          break;
        }
        case '$text': {
          if (!isPlainObject(value) || typeof value.$search !== 'string') fail('BadValue', '$text requires a $search string');
          const score = options.textScore;
          if (!score) fail('IndexNotFound', 'text index required for $text query');
          preds.push((doc) => score(doc) !== undefined);
          break;
        }
        case '$comment': break;
        case '$alwaysTrue': preds.push(() => true); break;
        case '$alwaysFalse': preds.push(() => false); break;
        case '$where': fail('BadValue', '$where is not supported by the embedded server (no JavaScript engine)'); break;
        case '$jsonSchema': fail('NotImplemented', '$jsonSchema is not supported by the embedded server'); break;
        default:
          fail('BadValue', `unknown top level operator: ${key}. If you have a field name that starts with a '$' symbol, consider using $getField or $setField.`);
      }
      continue;
    }
    const m = isOperatorObject(value) ? compileOperators(value, sub) : equalityMatcher(value);
    preds.push(fieldPredicate(key, m));
  }
  if (preds.length === 1) return preds[0] as Pred;
  return (doc, details) => {
    for (const p of preds) if (!p(doc, details)) return false;
    return true;
  };
}

export function compileFilter(filter: Record<string, unknown>, options: FilterOptions = {}): Matcher {
  if (!isPlainObject(filter)) fail('BadValue', 'query filter must be an object');
  const pred = compileDocument(filter, options, 0);
  const matcher = ((doc: Record<string, unknown>) => pred(doc, {})) as Matcher;
  matcher.matchWithDetails = (doc) => {
    const details: MatchDetails = {};
    const matched = pred(doc, details);
    return matched && details.arrayIndex !== undefined ? { matched, arrayIndex: details.arrayIndex } : { matched };
  };
  return matcher;
}

/** Compiles a filter applied to one value (the wrapped element of $pull / arrayFilters). */
export function compileDocMatcher(filter: Record<string, unknown>, options: FilterOptions = {}): Pred {
  return compileDocument(filter, options, 0);
}

/** A single-value test for `{ $gt: 1, ... }` operator documents (value-mode $pull). */
export function compileValueMatcher(spec: Record<string, unknown>, options: FilterOptions = {}): (v: unknown) => boolean {
  const m = compileOperators(spec, (f) => compileDocument(f, options, 1));
  return (v) => m.single(v);
}

/**
 * Top-level equality constraints: `{a: v}` (v neither an operator document nor a regex),
 * `{a: {$eq: v}}`, and the same inside top-level `$and`. First occurrence wins.
 */
export function extractEqualityFields(filter: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  collectEqualities(filter, (path, value) => { if (!out.has(path)) out.set(path, value); });
  return out;
}

export function collectEqualities(filter: Record<string, unknown>, add: (path: string, value: unknown) => void): void {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const m of value) if (isPlainObject(m)) collectEqualities(m, add);
      continue;
    }
    if (key.startsWith('$')) continue;
    if (isOperatorObject(value)) {
      if ('$eq' in value) add(key, value.$eq);
    } else if (!isRegexValue(value)) add(key, value);
  }
}
