/**
 * Parsing of operator updates into (operator, path, argument) entries: validation,
 * conflict detection, and resolution of positional `$`, `$[]`, `$[id]` paths
 * against the document, in MongoDB's field order.
 */
import { fail } from '../errors.js';
import { compareStrings, isPlainObject } from './compare.js';
import { compileDocMatcher } from './match.js';
import { describe, getPath, isArrayIndex, splitPath } from './paths.js';

export const UPDATE_OPERATORS = new Set([
  '$set', '$unset', '$inc', '$mul', '$min', '$max', '$rename', '$setOnInsert', '$currentDate',
  '$push', '$pull', '$pullAll', '$addToSet', '$pop', '$bit',
]);

export interface UpdateEntry {
  op: string;
  path: string;
  parts: string[];
  arg: unknown;
}

const EMPTY_FIELD = 56;

function checkPath(path: string, op: string): string[] {
  const parts = splitPath(path);
  if (path === '' || parts.some((p) => p === '')) {
    if (path === '') fail('EmptyFieldName', 'An empty update path is not valid.', undefined, EMPTY_FIELD);
    fail('EmptyFieldName', `The update path '${path}' contains an empty field name, which is not allowed.`, undefined, EMPTY_FIELD);
  }
  let positional = 0;
  for (const p of parts) {
    if (p === '$') positional++;
    else if (p.startsWith('$') && !/^\$\[[^\]]*\]$/.test(p)) {
      fail('DollarPrefixedFieldName', `The dollar ($) prefixed field '${p}' in '${path}' is not valid for storage.`);
    }
  }
  if (positional > 1) fail('BadValue', `Too many positional (i.e. '$') elements found in path '${path}'`);
  if (op === '$rename' && parts.some((p) => p.startsWith('$'))) {
    fail('BadValue', `The source field for $rename may not be dynamic: ${path}`);
  }
  return parts;
}

/** Flattens `{ $set: {...}, $inc: {...} }` and rejects conflicting paths as MongoDB does. */
export function parseOperatorUpdate(update: Record<string, unknown>): UpdateEntry[] {
  const entries: UpdateEntry[] = [];
  const seen: { path: string; parts: string[] }[] = [];
  const claim = (path: string, parts: string[]): void => {
    for (const s of seen) {
      const n = Math.min(s.parts.length, parts.length);
      let same = true;
      for (let i = 0; i < n && same; i++) same = s.parts[i] === parts[i];
      if (!same) continue;
      const at = s.parts.length <= parts.length ? s.path : path;
      fail('ConflictingUpdateOperators', `Updating the path '${path}' would create a conflict at '${at}'`);
    }
    seen.push({ path, parts });
  };
  for (const [op, fields] of Object.entries(update)) {
    if (!op.startsWith('$') || !UPDATE_OPERATORS.has(op)) {
      fail('FailedToParse', `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`);
    }
    if (op === '$bit') fail('NotImplemented', '$bit is not supported by the embedded server');
    if (!isPlainObject(fields)) {
      fail('FailedToParse', `Modifiers operate on fields but we found type ${typeName(fields)} instead. For example: {$mod: {<field>: ...}} not {${op}: ${describe(fields)}}`);
    }
    for (const [path, arg] of Object.entries(fields)) {
      const parts = checkPath(path, op);
      if (op === '$rename') {
        if (typeof arg !== 'string') fail('BadValue', `The 'to' field for $rename must be a string: ${path}: ${describe(arg)}`);
        const to = splitPath(arg);
        if (arg === '' || to.some((p) => p === '')) fail('BadValue', `The 'to' field for $rename cannot contain an empty fieldname '${arg}'`);
        if (to.some((p) => p.startsWith('$'))) fail('BadValue', `The destination field for $rename may not be dynamic: ${arg}`);
        const n = Math.min(parts.length, to.length);
        if (parts.slice(0, n).every((p, i) => p === to[i])) {
          fail('BadValue', `The source and target field for $rename must not be on the same path: ${path}: ${describe(arg)}`);
        }
        claim(path, parts);
        claim(arg, to);
      } else claim(path, parts);
      entries.push({ op, path, parts, arg });
    }
  }
  return entries;
}

function typeName(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'double';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return v === null ? 'null' : typeof v;
}

const IDENT = /^[a-z][a-zA-Z0-9]*$/;

function filterIdentifier(filter: Record<string, unknown>): string | undefined {
  let id: string | undefined;
  for (const [k, v] of Object.entries(filter)) {
    let found: string | undefined;
    if (k.startsWith('$')) {
      if (Array.isArray(v)) for (const m of v) if (isPlainObject(m)) found ??= filterIdentifier(m);
    } else found = k.split('.')[0];
    if (found === undefined) continue;
    if (id !== undefined && id !== found) {
      fail('FailedToParse', `Error parsing array filter :: caused by :: Expected a single top-level field name, found '${id}' and '${found}'`);
    }
    id = found;
  }
  return id;
}

export type ArrayFilterMap = Map<string, (el: unknown) => boolean>;

export function parseArrayFilters(filters: Record<string, unknown>[] | undefined): ArrayFilterMap {
  const map: ArrayFilterMap = new Map();
  for (const f of filters ?? []) {
    if (!isPlainObject(f)) fail('TypeMismatch', 'Each array filter must be an object');
    const id = filterIdentifier(f);
    if (id === undefined) fail('FailedToParse', 'Cannot use an expression without a top-level field name in arrayFilters');
    if (!IDENT.test(id)) {
      fail('BadValue', `Error parsing array filter :: caused by :: The top-level field name must be an alphanumeric string beginning with a lowercase letter, found '${id}'`);
    }
    if (map.has(id)) fail('FailedToParse', `Found multiple array filters with the same top-level field name ${id}`);
    const pred = compileDocMatcher(f);
    map.set(id, (el) => pred({ [id]: el }, {}));
  }
  return map;
}

/** Checks that every `$[id]` has a filter and every filter is used. */
export function checkArrayFilterUse(entries: UpdateEntry[], filters: ArrayFilterMap, update: Record<string, unknown>): void {
  const used = new Set<string>();
  for (const e of entries) {
    for (const p of e.parts) {
      const m = /^\$\[([^\]]+)\]$/.exec(p);
      if (!m) continue;
      const id = m[1] as string;
      if (!filters.has(id)) fail('BadValue', `No array filter found for identifier '${id}' in path '${e.path}'`);
      used.add(id);
    }
  }
  for (const id of filters.keys()) {
    if (!used.has(id)) fail('FailedToParse', `The array filter for identifier '${id}' was not used in the update ${describe(update)}`);
  }
}

/** Expands positional components into the concrete paths they address in `doc`. */
export function resolvePaths(doc: Record<string, unknown>, parts: string[], filters: ArrayFilterMap, arrayIndex: number | undefined): string[][] {
  if (!parts.some((p) => p.startsWith('$'))) return [parts];
  const out: string[][] = [];
  const rec = (prefix: string[], i: number): void => {
    if (i === parts.length) { out.push(prefix); return; }
    const p = parts[i] as string;
    if (p === '$') {
      if (arrayIndex === undefined) fail('BadValue', 'The positional operator did not find the match needed from the query.');
      rec([...prefix, String(arrayIndex)], i + 1);
      return;
    }
    const m = /^\$\[([^\]]*)\]$/.exec(p);
    if (!m) { rec([...prefix, p], i + 1); return; }
    const arr = getPath(doc, prefix);
    if (arr === undefined) fail('BadValue', `The path '${prefix.join('.')}' must exist in the document in order to apply array updates.`);
    if (!Array.isArray(arr)) fail('BadValue', `Cannot apply array updates to non-array element ${prefix[prefix.length - 1]}: ${describe(arr)}`);
    const filter = m[1] ? filters.get(m[1]) : undefined;
    for (let k = 0; k < arr.length; k++) {
      if (!filter || filter(arr[k])) rec([...prefix, String(k)], i + 1);
    }
  };
  rec([], 0);
  return out;
}

/** MongoDB 5+ applies updates in field-name order (numeric names numerically). */
export function comparePaths(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x === y) continue;
    if (isArrayIndex(x) && isArrayIndex(y)) return Number(x) - Number(y);
    return compareStrings(x, y);
  }
  return a.length - b.length;
}

/** After expansion, two concrete paths may still overlap (`a.0` and `a.$[]`). */
export function checkConcreteConflicts(paths: string[][]): void {
  const sorted = [...paths].sort(comparePaths);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1] as string[];
    const b = sorted[i] as string[];
    if (a.length <= b.length && a.every((p, k) => p === b[k])) {
      fail('ConflictingUpdateOperators', `Update created a conflict at '${b.join('.')}'`);
    }
  }
}
