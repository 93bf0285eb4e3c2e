/**
 * BSON type names, MongoDB's comparison order across types, equality and
 * canonical keys over decoded BSON values (see DESIGN.md "Values").
 */
import type { Binary, BSONRegExp, Code, ObjectId, Timestamp, BSONSymbol } from 'bson';
import { canonicalNumber, compareNumeric, numericKind } from './numeric.js';

function bsontype(v: object): string | undefined {
  return (v as { _bsontype?: string })._bsontype;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  if (v instanceof Date || v instanceof RegExp || bsontype(v) !== undefined) return false;
  return !ArrayBuffer.isView(v);
}

export function bsonTypeName(v: unknown): string {
  switch (typeof v) {
    case 'number': return numericKind(v) as string;
    case 'string': return 'string';
    case 'boolean': return 'bool';
    case 'undefined': return 'undefined';
    case 'bigint': return 'long';
    case 'object': break;
    default: return 'javascript';
  }
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v instanceof RegExp) return 'regex';
  switch (bsontype(v)) {
    case undefined: return 'object';
    case 'Long': return 'long';
    case 'Int32': return 'int';
    case 'Double': return 'double';
    case 'Decimal128': return 'decimal';
    case 'ObjectId': return 'objectId';
    case 'Binary': return 'binData';
    case 'Timestamp': return 'timestamp';
    case 'MinKey': return 'minKey';
    case 'MaxKey': return 'maxKey';
    case 'BSONRegExp': return 'regex';
    case 'Code': return (v as Code).scope ? 'javascriptWithScope' : 'javascript';
    case 'BSONSymbol': return 'symbol';
    case 'DBRef': return 'object';
    default: return 'object';
  }
}

/** MongoDB's canonical type ranks (bsontypes.cpp canonicalizeBSONType). */
const RANK: Record<string, number> = {
  minKey: -1, undefined: 5, null: 5,
  int: 10, long: 10, double: 10, decimal: 10,
  string: 15, symbol: 15, object: 20, array: 25, binData: 30, objectId: 35, bool: 40,
  date: 45, timestamp: 47, regex: 50, javascript: 60, javascriptWithScope: 65, maxKey: 127,
};

export function typeRank(v: unknown): number {
  return RANK[bsonTypeName(v)] ?? 20;
}

/** Code-point (UTF-8 byte) order, which MongoDB uses for strings. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800-DFFF) encode code points above FFFF: above E000-FFFF in code-point order.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys && (xs ? y >= 0xe000 : x >= 0xe000)) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function stringValue(v: unknown): string {
  return typeof v === 'string' ? v : (v as BSONSymbol).value;
}

function regexParts(v: unknown): [string, string] {
  if (v instanceof RegExp) return [v.source, v.flags];
  const r = v as BSONRegExp;
  return [r.pattern, r.options];
}

function binaryBytes(v: Binary): Uint8Array {
  return v.buffer.subarray(0, v.position);
}

function cmp(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareObjects(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const na = ka[i] as string;
    const nb = kb[i] as string;
    const va = a[na];
    const vb = b[nb];
    const r = cmp(typeRank(va), typeRank(vb)) || compareStrings(na, nb) || compareValues(va, vb);
    if (r !== 0) return r;
  }
  return cmp(ka.length, kb.length);
}

function compareArrays(a: unknown[], b: unknown[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const r = cmp(typeRank(a[i]), typeRank(b[i])) || compareValues(a[i], b[i]);
    if (r !== 0) return r;
  }
  return cmp(a.length, b.length);
}

export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return compareNumeric(a, b);
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  const ta = bsonTypeName(a);
  const tb = bsonTypeName(b);
  const ra = RANK[ta] ?? 20;
  const rb = RANK[tb] ?? 20;
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case -1: case 5: case 127: return 0;
    case 10: return compareNumeric(a, b);
    case 15: return compareStrings(stringValue(a), stringValue(b));
    case 20: return compareObjects(a as Record<string, unknown>, b as Record<string, unknown>);
    case 25: return compareArrays(a as unknown[], b as unknown[]);
    case 30: {
      const x = a as Binary;
      const y = b as Binary;
      const r = cmp(x.position, y.position) || cmp(x.sub_type, y.sub_type);
      return r || cmp(Buffer.compare(binaryBytes(x), binaryBytes(y)), 0);
    }
    case 35: return compareStrings((a as ObjectId).toHexString(), (b as ObjectId).toHexString());
    case 40: return cmp(Number(a), Number(b));
    case 45: return cmp((a as Date).getTime(), (b as Date).getTime());
    case 47: {
      const x = a as Timestamp;
      const y = b as Timestamp;
      return cmp(x.t, y.t) || cmp(x.i, y.i);
    }
    case 50: {
      const [pa, fa] = regexParts(a);
      const [pb, fb] = regexParts(b);
      return compareStrings(pa, pb) || compareStrings(fa, fb);
    }
    case 60: case 65: {
      const x = a as Code;
      const y = b as Code;
      return compareStrings(String(x.code), String(y.code)) || compareValues(x.scope ?? null, y.scope ?? null);
    }
    default: return 0;
  }
}

export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return compareValues(a, b) === 0;
}

/** A key such that valuesEqual(a, b) ⇔ canonicalKey(a) === canonicalKey(b). */
export function canonicalKey(v: unknown): string {
  switch (typeof v) {
    case 'string': return 's' + v;
    case 'number': return Number.isSafeInteger(v) ? 'n' + (v === 0 ? '0' : v) : 'n' + canonicalNumber(v);
    case 'boolean': return v ? 'b1' : 'b0';
    case 'undefined': return 'z';
    default: break;
  }
  if (v === null) return 'z';
  if (Array.isArray(v)) return 'a' + JSON.stringify(v.map(canonicalKey));
  if (v instanceof Date) return 'D' + v.getTime();
  if (v instanceof RegExp) return 'r' + JSON.stringify([v.source, v.flags]);
  switch (bsontype(v as object)) {
    case undefined: {
      const parts: string[] = [];
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) parts.push(k, canonicalKey(x));
      return 'd' + JSON.stringify(parts);
    }
    case 'ObjectId': return 'o' + (v as ObjectId).toHexString();
    case 'Long': case 'Decimal128': case 'Int32': case 'Double': return 'n' + canonicalNumber(v);
    case 'BSONSymbol': return 's' + (v as BSONSymbol).value;
    case 'Binary': {
      const b = v as Binary;
      return 'B' + b.sub_type + ':' + Buffer.from(binaryBytes(b)).toString('base64');
    }
    case 'Timestamp': return 'T' + (v as Timestamp).t + ':' + (v as Timestamp).i;
    case 'MinKey': return 'm';
    case 'MaxKey': return 'M';
    case 'BSONRegExp': return 'r' + JSON.stringify(regexParts(v));
    case 'Code': return 'c' + JSON.stringify([String((v as Code).code), (v as Code).scope ? canonicalKey((v as Code).scope) : null]);
    default: return 'x' + JSON.stringify(v);
  }
}

/**
 * Binary identity (same type, same value, same field order): MongoDB's test for
 * whether an update changed anything (1 and Long(1) differ here, unlike valuesEqual).
 */
export function sameBson(a: unknown, b: unknown): boolean {
  if (a === b) return typeof a !== 'number' || !Object.is(a, -0) === !Object.is(b, -0);
  const ta = bsonTypeName(a);
  if (ta !== bsonTypeName(b)) return false;
  if (Array.isArray(a)) {
    const y = b as unknown[];
    return a.length === y.length && a.every((x, i) => sameBson(x, y[i]));
  }
  if (ta === 'object') {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    const kx = Object.keys(x);
    const ky = Object.keys(y);
    return kx.length === ky.length && kx.every((k, i) => k === ky[i] && sameBson(x[k], y[k]));
  }
  if (ta === 'double' || ta === 'int') return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  if (ta === 'decimal') return String(a) === String(b);
  return compareValues(a, b) === 0;
}

/** Copies plain objects and arrays (and Dates); immutable bson instances are shared. */
export function deepClone<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(deepClone) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (!isPlainObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) setField(out, k, deepClone((v as Record<string, unknown>)[k]));
  return out as T;
}

/** Assigns an own property, even one named `__proto__` (a legal BSON field name). */
export function setField(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
