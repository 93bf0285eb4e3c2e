/**
 * Index key extraction: the values a document contributes to an index on a dotted path,
 * expanding arrays as MongoDB's multikey indexes do, and mongod's way of printing them.
 */
import { Binary, Decimal128, Long, ObjectId, Timestamp } from 'bson';
import type { Doc } from './types.js';

/** Marker for "field missing" (indexed as null, but sparse indexes skip it). */
export const MISSING = Symbol('missing');

/** All values at `path`, expanding arrays (each element, nested paths through arrays of subdocuments). */
export function valuesAtPath(doc: Doc, path: string): unknown[] {
  const out: unknown[] = [];
  collect(doc, path.split('.'), 0, out);
  return out.length === 0 ? [MISSING] : out;
}

function collect(value: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    if (Array.isArray(value)) {
      // An empty array is indexed as undefined; elements are indexed one by one.
      if (value.length === 0) out.push(undefined);
      else for (const v of value) out.push(v);
    } else {
      out.push(value);
    }
    return;
  }
  if (Array.isArray(value)) {
    const part = parts[i]!;
    if (/^\d+$/.test(part) && Number(part) < value.length) {
      collect(value[Number(part)], parts, i + 1, out);
      return;
    }
    for (const el of value) if (el !== null && typeof el === 'object' && !Array.isArray(el)) collect(el, parts, i, out);
    return;
  }
  if (value === null || typeof value !== 'object' || isBsonValue(value)) return;
  const next = (value as Doc)[parts[i]!];
  if (next === undefined) return;
  collect(next, parts, i + 1, out);
}

function isBsonValue(v: object): boolean {
  return v instanceof Date || '_bsontype' in v;
}

/** A value as mongod prints it in a duplicate-key message. */
export function formatKeyValue(v: unknown): string {
  if (v === MISSING || v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof ObjectId) return `ObjectId('${v.toHexString()}')`;
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v instanceof Long) return v.toString();
  if (v instanceof Decimal128) return `${v.toString()}`;
  if (v instanceof Timestamp) return `Timestamp(${v.high}, ${v.low})`;
  if (v instanceof Binary) return `BinData(${v.sub_type}, ${Buffer.from(v.buffer).toString('hex').toUpperCase()})`;
  if (Array.isArray(v)) return `[ ${v.map(formatKeyValue).join(', ')} ]`;
  if (typeof v === 'object') {
    const parts = Object.entries(v as Doc).map(([k, x]) => `${k}: ${formatKeyValue(x)}`);
    return parts.length ? `{ ${parts.join(', ')} }` : '{}';
  }
  return String(v);
}
