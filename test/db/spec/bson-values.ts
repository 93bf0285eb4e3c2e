// Classifying the JS values the driver and the EJSON parser produce, by BSON type.
// Identification goes through `_bsontype` (not instanceof) so that a second copy of
// `bson` in node_modules cannot make a correct value look foreign.
import { EJSON } from 'bson';

export type Doc = Record<string, unknown>;

export function bsonTag(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const tag: unknown = (value as { _bsontype?: unknown })._bsontype;
  return typeof tag === 'string' ? tag : undefined;
}

/** A BSON document: a plain object (or a Map, which the driver uses for ordered keys such as `sort`). */
export function isDocument(value: unknown): value is Doc | Map<string, unknown> {
  if (value instanceof Map) return true;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (bsonTag(value) !== undefined || value instanceof Date || value instanceof RegExp) return false;
  if (value instanceof Uint8Array) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Entries of a document whose value is not `undefined` (an undefined property is not a BSON field here). */
export function docEntries(doc: Doc | Map<string, unknown>): Array<[string, unknown]> {
  const entries = doc instanceof Map ? [...doc.entries()] : Object.entries(doc);
  return entries.filter(([, v]) => v !== undefined);
}

export function docGet(doc: Doc | Map<string, unknown>, key: string): unknown {
  if (doc instanceof Map) return doc.get(key);
  return Object.prototype.hasOwnProperty.call(doc, key) ? doc[key] : undefined;
}

const NUMERIC_TAGS = new Set(['Int32', 'Double', 'Long']);

/** int32, int64 and double in any of their JS forms; Decimal128 is excluded on purpose (spec: flexible numerics). */
export function isNumeric(value: unknown): boolean {
  if (typeof value === 'number' || typeof value === 'bigint') return true;
  const tag = bsonTag(value);
  return tag !== undefined && NUMERIC_TAGS.has(tag);
}

/** Exact numeric value: bigint for integers (no precision loss on int64), number otherwise. */
export function numericValue(value: unknown): number | bigint {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  const tag = bsonTag(value);
  if (tag === 'Long') return BigInt((value as { toString(): string }).toString());
  if (tag === 'Int32' || tag === 'Double') return (value as { value: number }).value;
  throw new Error(`not a number: ${describe(value)}`);
}

export function numbersEqual(a: unknown, b: unknown): boolean {
  const x = numericValue(a);
  const y = numericValue(b);
  if (typeof x === 'number' && typeof y === 'number') return x === y || (Number.isNaN(x) && Number.isNaN(y));
  if (typeof x === 'bigint' && typeof y === 'bigint') return x === y;
  const n = typeof x === 'number' ? x : (y as number);
  const big = typeof x === 'bigint' ? x : (y as bigint);
  return Number.isInteger(n) && BigInt(n) === big;
}

export function numberLte(actual: unknown, limit: unknown): boolean {
  const x = numericValue(actual);
  const y = numericValue(limit);
  if (typeof x === 'bigint' && typeof y === 'bigint') return x <= y;
  return Number(x) <= Number(y);
}

function isInt32Number(value: number): boolean {
  return Number.isInteger(value) && value >= -2147483648 && value <= 2147483647 && !Object.is(value, -0);
}

/**
 * `$type` aliases. The driver promotes int32, small int64 and double to JS numbers, so a plain
 * number can only be told apart partly: an integral number in int32 range counts as "int", any
 * integral number as "long", any number as "double". Wrapper objects (Int32, Long, Double) are exact.
 */
export function matchesTypeAlias(value: unknown, alias: string): boolean {
  const tag = bsonTag(value);
  switch (alias) {
    case 'double':
      return typeof value === 'number' || tag === 'Double';
    case 'int':
      return (typeof value === 'number' && isInt32Number(value)) || tag === 'Int32';
    case 'long':
      return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint' || tag === 'Long';
    case 'decimal':
      return tag === 'Decimal128';
    case 'number':
      return isNumeric(value) || tag === 'Decimal128';
    case 'string':
      return typeof value === 'string';
    case 'object':
      return isDocument(value);
    case 'array':
      return Array.isArray(value);
    case 'binData':
      return tag === 'Binary';
    case 'objectId':
      return tag === 'ObjectId';
    case 'bool':
      return typeof value === 'boolean';
    case 'date':
      return value instanceof Date;
    case 'null':
      return value === null;
    case 'regex':
      return value instanceof RegExp || tag === 'BSONRegExp';
    case 'javascript':
      return tag === 'Code' && (value as { scope?: unknown }).scope == null;
    case 'javascriptWithScope':
      return tag === 'Code' && (value as { scope?: unknown }).scope != null;
    case 'symbol':
      return tag === 'BSONSymbol';
    case 'timestamp':
      return tag === 'Timestamp';
    case 'minKey':
      return tag === 'MinKey';
    case 'maxKey':
      return tag === 'MaxKey';
    case 'dbPointer':
      return tag === 'DBRef';
    case 'undefined':
      return false; // the bson package never yields BSON undefined; nothing can match it
    default:
      throw new Error(`unknown $$type alias "${alias}"`);
  }
}

/** Short, type-revealing rendering for failure messages (strings quoted, wrappers named). */
export function describe(value: unknown, max = 300): string {
  if (value === undefined) return '(absent)';
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Map) return describe(Object.fromEntries(value), max);
  try {
    const text = EJSON.stringify(value as Parameters<typeof EJSON.stringify>[0], { relaxed: true });
    return text.length > max ? `${text.slice(0, max)}…` : text;
  } catch {
    return String(value);
  }
}

/** Name of the type bracket used in messages ("int", "string", "document"...). */
export function typeName(value: unknown): string {
  if (value === undefined) return 'absent';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (isDocument(value)) return 'document';
  const tag = bsonTag(value);
  if (tag !== undefined) return tag;
  if (value instanceof Date) return 'date';
  if (value instanceof Uint8Array) return 'bytes';
  return typeof value;
}
