/**
 * Sort specifications: multi-key, ascending/descending, {$meta: 'textScore'}, with
 * MongoDB's array rule (ascending sorts by the smallest element, descending by the largest).
 */
import { fail } from '../errors.js';
import { bsonTypeName, compareValues, isPlainObject } from './compare.js';
import { isNumeric, toDouble } from './numeric.js';
import { splitPath, traversePath } from './paths.js';

export interface SortOptions {
  textScore?: (doc: Record<string, unknown>) => number | undefined;
}

/** An empty array sorts before null/missing. */
const EMPTY = Symbol('empty array');

function compareKeys(a: unknown, b: unknown): number {
  if (a === EMPTY || b === EMPTY) {
    if (a === b) return 0;
    const other = a === EMPTY ? b : a;
    const emptyFirst = bsonTypeName(other) === 'minKey' ? 1 : -1;
    return a === EMPTY ? emptyFirst : -emptyFirst;
  }
  return compareValues(a, b);
}

function sortKey(doc: Record<string, unknown>, parts: string[], dir: number): unknown {
  const cands = traversePath(doc, parts);
  let best: unknown;
  let have = false;
  const consider = (v: unknown): void => {
    if (!have) { best = v; have = true; return; }
    const c = compareKeys(v, best);
    if (dir > 0 ? c < 0 : c > 0) best = v;
  };
  for (const c of cands) {
    const v = c.value;
    if (Array.isArray(v)) {
      if (v.length === 0) consider(EMPTY);
      for (const el of v) consider(el);
    } else consider(v);
  }
  return have ? best : undefined;
}

type KeyFn = (doc: Record<string, unknown>) => unknown;

export function compileSort(sort: Record<string, unknown>, options: SortOptions = {}): (a: Record<string, unknown>, b: Record<string, unknown>) => number {
  if (!isPlainObject(sort)) fail('BadValue', 'sort must be an object');
  const keys: { key: KeyFn; dir: number }[] = [];
  for (const [field, spec] of Object.entries(sort)) {
    if (field === '') fail('BadValue', 'FieldPath cannot be constructed with empty string');
    if (isPlainObject(spec)) {
      if (spec.$meta !== 'textScore' || Object.keys(spec).length !== 1) {
        fail('BadValue', `Illegal key in $sort specification: ${field}: ${JSON.stringify(spec)}`);
      }
      const score = options.textScore;
      if (!score) fail('BadValue', "query requires text score metadata, but it is not available");
      keys.push({ key: (d) => score(d) ?? 0, dir: -1 });
      continue;
    }
    const n = isNumeric(spec) ? toDouble(spec) : NaN;
    if (n !== 1 && n !== -1) fail('BadValue', '$sort key ordering must be 1 (for ascending) or -1 (for descending)');
    const parts = splitPath(field);
    if (parts.some((p) => p === '')) fail('BadValue', `FieldPath field names may not be empty strings.`);
    keys.push({ key: (d) => sortKey(d, parts, n), dir: n });
  }
  if (keys.length === 0) return () => 0;
  const cache = new WeakMap<object, unknown[]>();
  const keysOf = (d: Record<string, unknown>): unknown[] => {
    let k = cache.get(d);
    if (!k) { k = keys.map((s) => s.key(d)); cache.set(d, k); }
    return k;
  };
  return (a, b) => {
    const ka = keysOf(a);
    const kb = keysOf(b);
    for (let i = 0; i < keys.length; i++) {
      const c = compareKeys(ka[i], kb[i]);
      if (c !== 0) return c * (keys[i] as { dir: number }).dir;
    }
    return 0;
  };
}
