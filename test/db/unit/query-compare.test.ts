import { Binary, BSONRegExp, BSONSymbol, Decimal128, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';
import { describe, expect, it } from 'vitest';
import { bsonTypeName, canonicalKey, compareValues, deepClone, sameBson, valuesEqual } from '../../../src/db/embedded/query/compare.js';
import { getPath, setPath, traversePath, unsetPath } from '../../../src/db/embedded/query/paths.js';

describe('bsonTypeName', () => {
  it('names numbers by representation', () => {
    expect(bsonTypeName(1)).toBe('int');
    expect(bsonTypeName(1.5)).toBe('double');
    expect(bsonTypeName(2 ** 31)).toBe('double');
    expect(bsonTypeName(Long.fromNumber(1))).toBe('long');
    expect(bsonTypeName(Decimal128.fromString('1'))).toBe('decimal');
  });
  it('names the other BSON types', () => {
    expect(bsonTypeName(new Timestamp({ t: 1, i: 1 }))).toBe('timestamp');
    expect(bsonTypeName(new ObjectId())).toBe('objectId');
    expect(bsonTypeName(new BSONRegExp('a', 'i'))).toBe('regex');
    expect(bsonTypeName(new Binary(Buffer.from('x')))).toBe('binData');
    expect(bsonTypeName(new MinKey())).toBe('minKey');
    expect(bsonTypeName(new MaxKey())).toBe('maxKey');
    expect(bsonTypeName(null)).toBe('null');
    expect(bsonTypeName([])).toBe('array');
    expect(bsonTypeName({})).toBe('object');
    expect(bsonTypeName(new Date(0))).toBe('date');
    expect(bsonTypeName(true)).toBe('bool');
  });
});

describe('compareValues (BSON order)', () => {
  it('orders across types as MongoDB documents (MinKey < null < numbers < string < object < array < binData < objectId < bool < date < timestamp < regex < MaxKey)', () => {
    const ordered = [new MinKey(), null, 5, 'a', { a: 1 }, [1], new Binary(Buffer.from('x')), new ObjectId(), false, new Date(0),
      new Timestamp({ t: 1, i: 1 }), new BSONRegExp('a', ''), new MaxKey()];
    for (let i = 1; i < ordered.length; i++) {
      expect(compareValues(ordered[i - 1], ordered[i])).toBe(-1);
      expect(compareValues(ordered[i], ordered[i - 1])).toBe(1);
    }
  });
  it('compares numbers by value across int, long, double and decimal', () => {
    expect(compareValues(1, Long.fromNumber(1))).toBe(0);
    expect(compareValues(Decimal128.fromString('1.0'), 1)).toBe(0);
    expect(compareValues(Decimal128.fromString('0.1'), 0.1)).not.toBe(0); // double 0.1 is not exactly 0.1
    expect(compareValues(Long.fromString('9007199254740993'), 9007199254740992)).toBe(1);
    expect(compareValues(NaN, -Infinity)).toBe(-1);
    expect(compareValues(Decimal128.fromString('-Infinity'), -1e308)).toBe(-1);
  });
  it('treats missing as null and symbol as string', () => {
    expect(compareValues(undefined, null)).toBe(0);
    expect(compareValues(new BSONSymbol('b'), 'a')).toBe(1);
  });
  it('compares strings by code point (UTF-8 order)', () => {
    expect(compareValues('\uFF01', '\u{1F600}')).toBe(-1);
    expect(compareValues('B', 'a')).toBe(-1);
  });
  it('compares objects field by field (type, name, value) and arrays element-wise', () => {
    expect(compareValues({ a: 1 }, { a: 1, b: 0 })).toBe(-1);
    expect(compareValues({ a: 2 }, { b: 1 })).toBe(-1);
    expect(compareValues({ a: 'x' }, { a: 5 })).toBe(1);
    expect(compareValues([1, 2], [1, 3])).toBe(-1);
    expect(compareValues([1, 2], [1])).toBe(1);
  });
  it('compares binData by length, then subtype, then bytes', () => {
    expect(compareValues(new Binary(Buffer.from('zz'), 0), new Binary(Buffer.from('aaa'), 0))).toBe(-1);
    expect(compareValues(new Binary(Buffer.from('b'), 0), new Binary(Buffer.from('a'), 4))).toBe(-1);
    expect(compareValues(new Binary(Buffer.from('b'), 0), new Binary(Buffer.from('a'), 0))).toBe(1);
  });
});

describe('valuesEqual / canonicalKey', () => {
  it('equal numbers of any type share a key', () => {
    const vals = [1, Long.fromNumber(1), Decimal128.fromString('1.000'), 1.0];
    for (const v of vals) {
      expect(valuesEqual(v, 1)).toBe(true);
      expect(canonicalKey(v)).toBe(canonicalKey(1));
    }
    expect(canonicalKey(0.5)).toBe(canonicalKey(Decimal128.fromString('0.50')));
    expect(canonicalKey(0.1)).not.toBe(canonicalKey(Decimal128.fromString('0.1')));
    expect(canonicalKey(-0)).toBe(canonicalKey(0));
  });
  it('keys distinguish types and field order', () => {
    const id = new ObjectId();
    expect(canonicalKey(id)).toBe('o' + id.toHexString());
    expect(canonicalKey('1')).not.toBe(canonicalKey(1));
    expect(canonicalKey({ a: 1, b: 2 })).not.toBe(canonicalKey({ b: 2, a: 1 }));
    expect(canonicalKey({ a: [1, 'x'] })).toBe(canonicalKey({ a: [Long.fromNumber(1), 'x'] }));
    expect(canonicalKey(['a,b'])).not.toBe(canonicalKey(['a', 'b']));
    expect(valuesEqual({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
  });
  it('sameBson distinguishes int and long (update no-op detection)', () => {
    expect(sameBson({ a: 1 }, { a: 1 })).toBe(true);
    expect(sameBson({ a: 1 }, { a: Long.fromNumber(1) })).toBe(false);
    expect(sameBson({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
  });
  it('deepClone copies containers and dates, shares bson instances', () => {
    const id = new ObjectId();
    const src = { a: [{ b: 1 }], d: new Date(5), id };
    const c = deepClone(src);
    expect(c).toEqual(src);
    expect(c.a).not.toBe(src.a);
    expect(c.d).not.toBe(src.d);
    expect(c.id).toBe(id);
  });
});

describe('paths', () => {
  it('traverses arrays of subdocuments and numeric indexes', () => {
    const doc = { a: [{ b: 1 }, { b: [2, 3] }, { c: 1 }] };
    expect(traversePath(doc, ['a', 'b']).map((c) => c.value)).toEqual([1, [2, 3], undefined]);
    expect(traversePath(doc, ['a', 'b']).map((c) => c.arrayIndex)).toEqual([0, 1, 2]);
    expect(traversePath(doc, ['a', '1', 'b']).map((c) => c.value)).toEqual([[2, 3]]);
    expect(getPath(doc, ['a', '0', 'b'])).toBe(1);
    expect(getPath(doc, ['a', 'b'])).toBeUndefined();
  });
  it('setPath creates subdocuments and pads arrays with null', () => {
    const doc: Record<string, unknown> = { a: [1] };
    setPath(doc, ['x', 'y'], 1);
    setPath(doc, ['a', '3'], 4);
    expect(doc).toEqual({ a: [1, null, null, 4], x: { y: 1 } });
  });
  it('setPath refuses to create a field inside a scalar (PathNotViable)', () => {
    expect(() => setPath({ a: 1 }, ['a', 'b'], 1)).toThrow(expect.objectContaining({ codeName: 'PathNotViable', code: 28 }));
  });
  it('unsetPath removes fields and nulls array elements', () => {
    const doc: Record<string, unknown> = { a: [1, 2], b: { c: 1 } };
    unsetPath(doc, ['a', '0']);
    unsetPath(doc, ['b', 'c']);
    expect(doc).toEqual({ a: [null, 2], b: {} });
  });
});
