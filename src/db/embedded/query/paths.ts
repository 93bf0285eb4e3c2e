/**
 * Dotted paths over documents: reading with MongoDB's implicit array traversal
 * (for filters and sort keys), plain reads, and the set/unset primitives of updates.
 */
import { fail } from '../errors.js';
import { bsonTypeName, isPlainObject, setField } from './compare.js';

const splitCache = new Map<string, string[]>();

export function splitPath(path: string): string[] {
  let parts = splitCache.get(path);
  if (!parts) {
    parts = path.split('.');
    if (splitCache.size > 10_000) splitCache.clear();
    splitCache.set(path, parts);
  }
  return parts;
}

/** A path component usable as an array index ("0", "12"; not "01" or "-1"). */
export function isArrayIndex(part: string): boolean {
  return /^(0|[1-9]\d*)$/.test(part);
}

/** One value reached along a path; `arrayIndex` is the position in the outermost array traversed. */
export interface PathValue {
  value: unknown;
  arrayIndex?: number;
}

/**
 * All values a path reaches, expanding arrays found before the last component
 * (`a.b` over `a: [{b: 1}, {b: 2}]` gives 1 and 2). Arrays at the leaf are not
 * expanded: operators decide. A branch that lacks the field gives `undefined`.
 */
export function traversePath(doc: unknown, parts: readonly string[]): PathValue[] {
  const out: PathValue[] = [];
  walk(doc, parts, 0, undefined, out);
  return out;
}

function walk(value: unknown, parts: readonly string[], i: number, arrayIndex: number | undefined, out: PathValue[]): void {
  if (i === parts.length) {
    out.push(arrayIndex === undefined ? { value } : { value, arrayIndex });
    return;
  }
  const part = parts[i] as string;
  if (Array.isArray(value)) {
    const numeric = isArrayIndex(part);
    if (numeric) {
      const idx = Number(part);
      if (idx < value.length) walk(value[idx], parts, i + 1, arrayIndex, out);
    }
    // Elements are searched too: subdocuments for the field, so {a: [{b: 1}]} answers `a.b`.
    let any = false;
    for (let k = 0; k < value.length; k++) {
      const el = value[k];
      if (isPlainObject(el)) {
        if (numeric && !(part in el)) continue;
        any = true;
        walk(el, parts, i, arrayIndex ?? k, out);
      } else if (!numeric && !Array.isArray(el)) {
        any = true;
        out.push({ value: undefined, arrayIndex: arrayIndex ?? k });
      }
    }
    if (!any && !numeric && value.length === 0) out.push({ value: undefined });
    return;
  }
  if (isPlainObject(value)) {
    const next = Object.prototype.hasOwnProperty.call(value, part) ? value[part] : undefined;
    if (next === undefined) {
      out.push(arrayIndex === undefined ? { value: undefined } : { value: undefined, arrayIndex });
      return;
    }
    walk(next, parts, i + 1, arrayIndex, out);
    return;
  }
  out.push(arrayIndex === undefined ? { value: undefined } : { value: undefined, arrayIndex });
}

/** Plain read: numeric components index arrays, no implicit traversal. */
export function getPath(doc: unknown, parts: readonly string[]): unknown {
  let cur: unknown = doc;
  for (const part of parts) {
    if (Array.isArray(cur)) {
      if (!isArrayIndex(part)) return undefined;
      cur = cur[Number(part)];
    } else if (isPlainObject(cur)) {
      cur = Object.prototype.hasOwnProperty.call(cur, part) ? cur[part] : undefined;
    } else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Short rendering of a value for error messages, close to MongoDB's. */
export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[ ${v.map(describe).join(', ')} ]`;
  if (isPlainObject(v)) {
    const parts = Object.entries(v).map(([k, x]) => `${k}: ${describe(x)}`);
    return parts.length ? `{ ${parts.join(', ')} }` : '{}';
  }
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v === undefined) return 'undefined';
  if (v !== null && typeof v === 'object') {
    const t = bsonTypeName(v);
    if (t === 'objectId' || t === 'long' || t === 'decimal') return `${t === 'objectId' ? 'ObjectId' : t === 'long' ? 'NumberLong' : 'NumberDecimal'}('${String(v)}')`;
  }
  return String(v);
}

/**
 * Sets the value at a path, creating subdocuments for missing components and
 * padding arrays with nulls (MongoDB's $set). Mutates `doc` (callers work on a copy).
 */
export function setPath(doc: Record<string, unknown>, parts: readonly string[], value: unknown): void {
  let cur: unknown = doc;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const last = i === parts.length - 1;
    if (Array.isArray(cur)) {
      if (!isArrayIndex(part)) {
        fail('PathNotViable', `Cannot create field '${part}' in element {${parts[i - 1] ?? ''}: ${describe(cur)}}`);
      }
      const idx = Number(part);
      while (cur.length < idx) cur.push(null);
      if (last) { cur[idx] = value; return; }
      if (cur[idx] === undefined) cur[idx] = {};
      const next: unknown = cur[idx];
      if (!Array.isArray(next) && !isPlainObject(next)) {
        fail('PathNotViable', `Cannot create field '${parts[i + 1]}' in element {${part}: ${describe(next)}}`);
      }
      cur = next;
    } else {
      const obj = cur as Record<string, unknown>;
      if (last) { setField(obj, part, value); return; }
      let next = Object.prototype.hasOwnProperty.call(obj, part) ? obj[part] : undefined;
      if (next === undefined) { next = {}; setField(obj, part, next); }
      if (!Array.isArray(next) && !isPlainObject(next)) {
        fail('PathNotViable', `Cannot create field '${parts[i + 1]}' in element {${part}: ${describe(next)}}`);
      }
      cur = next;
    }
  }
}

/** Removes the field at a path; an array element becomes null (MongoDB's $unset). */
export function unsetPath(doc: Record<string, unknown>, parts: readonly string[]): boolean {
  const parent = getPath(doc, parts.slice(0, -1));
  const last = parts[parts.length - 1] as string;
  if (Array.isArray(parent)) {
    if (!isArrayIndex(last) || Number(last) >= parent.length) return false;
    parent[Number(last)] = null;
    return true;
  }
  if (!isPlainObject(parent) || !Object.prototype.hasOwnProperty.call(parent, last)) return false;
  delete parent[last];
  return true;
}

/** Whether the path exists (numeric components index arrays). */
export function hasPath(doc: unknown, parts: readonly string[]): boolean {
  return getPath(doc, parts) !== undefined;
}
