// Equality of two non-document, non-array values: same BSON type bracket (int/long/double
// are one bracket, compared by value), then same value.
import { EJSON } from 'bson';
import { bsonTag, isNumeric, numbersEqual } from './bson-values.js';

function bytesOf(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (bsonTag(value) === 'Binary') return (value as { value(): Uint8Array }).value();
  return undefined;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

function canonical(value: unknown): string {
  return EJSON.stringify(value as Parameters<typeof EJSON.stringify>[0], { relaxed: false });
}

/** Returns null when equal, else a short reason. */
export function scalarMismatch(expected: unknown, actual: unknown): string | null {
  if (isNumeric(expected) || isNumeric(actual)) {
    if (!isNumeric(expected) || !isNumeric(actual)) return 'type differs';
    return numbersEqual(expected, actual) ? null : 'value differs';
  }
  if (expected === null || actual === null) return expected === actual ? null : 'type differs';
  const te = typeof expected;
  if (te === 'string' || te === 'boolean') {
    if (typeof actual !== te) return 'type differs';
    return expected === actual ? null : 'value differs';
  }
  if (expected instanceof Date || actual instanceof Date) {
    if (!(expected instanceof Date) || !(actual instanceof Date)) return 'type differs';
    return expected.getTime() === actual.getTime() ? null : 'value differs';
  }
  const tagE = bsonTag(expected);
  const tagA = bsonTag(actual);
  if (tagE === 'Binary') {
    if (tagA !== 'Binary') return 'type differs';
    const subE = (expected as { sub_type: number }).sub_type;
    const subA = (actual as { sub_type: number }).sub_type;
    if (subE !== subA) return `binary subtype ${subA} instead of ${subE}`;
    return bytesEqual(bytesOf(expected) ?? new Uint8Array(), bytesOf(actual) ?? new Uint8Array())
      ? null
      : 'value differs';
  }
  const isRegex = (v: unknown): boolean => v instanceof RegExp || bsonTag(v) === 'BSONRegExp';
  if (isRegex(expected) || isRegex(actual)) {
    if (!isRegex(expected) || !isRegex(actual)) return 'type differs';
    const parts = (v: unknown): string =>
      v instanceof RegExp
        ? `${v.source}/${[...v.flags].sort().join('')}`
        : `${(v as { pattern: string }).pattern}/${[...(v as { options: string }).options].sort().join('')}`;
    return parts(expected) === parts(actual) ? null : 'value differs';
  }
  if (tagE === undefined || tagA === undefined) {
    return `cannot compare ${typeof expected} with ${typeof actual}`;
  }
  if (tagE !== tagA) return 'type differs';
  // ObjectId, Decimal128, Timestamp, MinKey, MaxKey, Code, DBRef, BSONSymbol: canonical EJSON is
  // a faithful rendering of type and value (Code scope documents compare key-order sensitive).
  return canonical(expected) === canonical(actual) ? null : 'value differs';
}
