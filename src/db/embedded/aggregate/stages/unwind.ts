/** $unwind, and the copy-on-write nested-field helpers it shares with $lookup. */
import { Long } from 'bson';
import { fail } from '../../errors.js';
import { setField } from '../../query/compare.js';
import { isPlainObject } from '../expr-core.js';
import type { Doc, StageRunner } from './runtime.js';

/** Reads a dotted path through embedded documents only (no array traversal), like $unwind does. */
export function getNested(doc: Doc, parts: readonly string[]): unknown {
  let cur: unknown = doc;
  for (const p of parts) {
    if (!isPlainObject(cur) || !Object.prototype.hasOwnProperty.call(cur, p)) return undefined;
    cur = cur[p];
  }
  return cur;
}

/**
 * A copy of `doc` with `parts` set to `value` (or removed when `value` is undefined);
 * objects on the way are copied, non-objects replaced by new objects.
 */
export function withNested(doc: Doc, parts: readonly string[], value: unknown): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(doc)) setField(out, k, v);
  const [head, ...rest] = parts as [string, ...string[]];
  if (rest.length === 0) {
    if (value === undefined) delete out[head];
    else setField(out, head, value);
    return out;
  }
  const child = out[head];
  if (value === undefined && !isPlainObject(child)) return out;
  setField(out, head, withNested(isPlainObject(child) ? child : {}, rest, value));
  return out;
}

function fieldPath(option: string, v: unknown): string[] {
  if (typeof v !== 'string') fail('Location28808', `expected a string as the path for $unwind stage, got ${typeof v}`, undefined, 28808);
  if (!v.startsWith('$')) {
    fail('Location28818', `path option to $unwind stage should be prefixed with a '$': ${v}`, undefined, 28818);
  }
  if (option === 'includeArrayIndex') fail('Location28822', `includeArrayIndex option to $unwind stage should not be prefixed with a '$': ${v}`, undefined, 28822);
  return v.slice(1).split('.');
}

export const unwindStage: StageRunner = (docs, spec, rt) => {
  let pathSpec: unknown = spec;
  let preserve = false;
  let indexField: string[] | undefined;
  if (isPlainObject(spec)) {
    for (const k of Object.keys(spec)) {
      if (!['path', 'includeArrayIndex', 'preserveNullAndEmptyArrays'].includes(k)) {
        fail('Location28811', `unrecognized option to $unwind stage: ${k}`, undefined, 28811);
      }
    }
    if (!('path' in spec)) fail('Location28812', 'no path specified to $unwind stage', undefined, 28812);
    pathSpec = spec['path'];
    const p = spec['preserveNullAndEmptyArrays'];
    if (p !== undefined && typeof p !== 'boolean') fail('Location28809', 'expected a boolean for the preserveNullAndEmptyArrays option to $unwind stage', undefined, 28809);
    preserve = p === true;
    const idx = spec['includeArrayIndex'];
    if (idx !== undefined) {
      if (typeof idx !== 'string' || idx === '') fail('Location28810', 'expected a non-empty string for the includeArrayIndex option to $unwind stage', undefined, 28810);
      if (idx.startsWith('$')) fieldPath('includeArrayIndex', idx);
      indexField = idx.split('.');
    }
  }
  const parts = fieldPath('path', pathSpec);
  const out: Doc[] = [];
  for (const d of docs) {
    const v = getNested(d, parts);
    const withIndex = (doc: Doc, i: number | null): Doc => (indexField ? withNested(doc, indexField, i === null ? null : Long.fromNumber(i)) : doc);
    if (Array.isArray(v)) {
      if (v.length === 0) {
        // An empty array is dropped, or with preserveNullAndEmptyArrays kept without the field.
        if (preserve) out.push(rt.carry(d, withIndex(withNested(d, parts, undefined), null)));
        continue;
      }
      v.forEach((el, i) => out.push(rt.carry(d, withIndex(withNested(d, parts, el), i))));
    } else if (v === null || v === undefined) {
      if (preserve) out.push(rt.carry(d, withIndex(d, null)));
    } else {
      // A non-array value is treated as a one-element array.
      out.push(rt.carry(d, withIndex(d, null)));
    }
  }
  return out;
};
