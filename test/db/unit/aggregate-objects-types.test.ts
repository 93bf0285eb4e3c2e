/**
 * Object, type-conversion and $meta expression operators against the examples on MongoDB's reference pages
 * (https://www.mongodb.com/docs/manual/reference/operator/aggregation/<name>/).
 */
import { Decimal128, Long, ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { evaluateExpression } from '../../../src/db/embedded/aggregate/expressions.js';
import { CommandError } from '../../../src/db/embedded/errors.js';

const ev = (expr: unknown, doc: Record<string, unknown> = {}, vars?: Record<string, unknown>): unknown =>
  evaluateExpression(expr, doc, vars);

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof CommandError) return e.code;
    throw e;
  }
  return undefined;
}

describe('objects', () => {
  it('$mergeObjects, $getField, $objectToArray, $arrayToObject', () => {
    expect(ev({ $mergeObjects: [{ a: 1, b: 1 }, null, '$d'] }, { d: { b: 2, c: 3 } })).toEqual({ a: 1, b: 2, c: 3 });
    expect(codeOf(() => ev({ $mergeObjects: [1] }))).toBe(40400);
    expect(ev({ $getField: 'price.usd' }, { 'price.usd': 45 })).toBe(45);
    expect(ev({ $getField: { field: 'x', input: { x: 5 } } })).toBe(5);
    expect(ev({ $objectToArray: '$dimensions' }, { dimensions: { l: 25, w: 10, uom: 'cm' } }))
      .toEqual([{ k: 'l', v: 25 }, { k: 'w', v: 10 }, { k: 'uom', v: 'cm' }]);
    expect(ev({ $arrayToObject: [[['item', 'abc123'], ['qty', 25]]] })).toEqual({ item: 'abc123', qty: 25 });
    expect(ev({ $arrayToObject: { $literal: [{ k: 'item', v: 'abc123' }, { k: 'qty', v: 25 }] } })).toEqual({ item: 'abc123', qty: 25 });
  });
});

describe('types and conversion', () => {
  it('$type names, including missing', () => {
    expect(ev({ $type: 'a' })).toBe('string');
    expect(ev({ $type: '$a' }, { a: [1] })).toBe('array');
    expect(ev({ $type: '$a' })).toBe('missing');
    expect(ev({ $type: '$a' }, { a: null })).toBe('null');
    expect(ev({ $type: '$a' }, { a: Long.fromNumber(1) })).toBe('long');
    expect(ev({ $type: '$a' }, { a: new Date() })).toBe('date');
  });

  it('$convert with onError/onNull and the $toX shorthands ($convert examples)', () => {
    expect(ev({ $convert: { input: 'abc', to: 'int', onError: 'bad' } })).toBe('bad');
    expect(ev({ $convert: { input: null, to: 'int', onNull: 0 } })).toBe(0);
    expect(codeOf(() => ev({ $convert: { input: 'abc', to: 'int' } }))).toBe(241);
    expect(ev({ $toInt: '5' })).toBe(5);
    expect(ev({ $toInt: 5.9 })).toBe(5);
    expect(ev({ $toInt: true })).toBe(1);
    expect(ev({ $toLong: '7' })).toEqual(Long.fromNumber(7));
    expect(ev({ $toDouble: '2.5' })).toBe(2.5);
    expect(ev({ $toDouble: new Date(1000) })).toBe(1000);
    expect(String(ev({ $toDecimal: 1.5 }))).toBe('1.5');
    expect(ev({ $toDecimal: '2.50' })).toBeInstanceOf(Decimal128);
    expect(ev({ $toBool: 0 })).toBe(false);
    expect(ev({ $toBool: 'false' })).toBe(true);
    expect(ev({ $toDate: '2018-03-03' })).toEqual(new Date('2018-03-03T00:00:00Z'));
    expect(ev({ $toDate: Long.fromNumber(1_500_000_000_000) })).toEqual(new Date(1_500_000_000_000));
    const id = ev({ $toObjectId: '5ab9cbfa31c2ab715d42129e' });
    expect(id).toBeInstanceOf(ObjectId);
    expect(codeOf(() => ev({ $toObjectId: 'zz' }))).toBe(241);
    expect(ev({ $toInt: null })).toBeNull();
  });
});

describe('$meta textScore', () => {
  it('reads the text score from the hook in vars', () => {
    expect(ev({ $meta: 'textScore' }, { _id: 1 }, { __textScore: () => 1.5 })).toBe(1.5);
    expect(codeOf(() => ev({ $meta: 'textScore' }, {}))).toBe(40218);
  });
});
