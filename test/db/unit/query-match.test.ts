import { BSONRegExp, Decimal128, Long, MaxKey, MinKey } from 'bson';
import { describe, expect, it } from 'vitest';
import { compileFilter, extractEqualityFields } from '../../../src/db/embedded/query/match.js';

const m = (filter: Record<string, unknown>, doc: Record<string, unknown>): boolean => compileFilter(filter)(doc);
const code = (codeName: string) => expect.objectContaining({ codeName });

describe('equality and null/missing', () => {
  it('{item: null} matches null and missing (docs: Query for Null or Missing Fields)', () => {
    expect(m({ item: null }, { item: null })).toBe(true);
    expect(m({ item: null }, {})).toBe(true);
    expect(m({ item: null }, { item: 0 })).toBe(false);
    expect(m({ item: { $ne: null } }, {})).toBe(false);
    expect(m({ item: { $ne: null } }, { item: 1 })).toBe(true);
  });
  it('$exists', () => {
    expect(m({ a: { $exists: true } }, { a: null })).toBe(true);
    expect(m({ a: { $exists: false } }, { a: null })).toBe(false);
    expect(m({ a: { $exists: false } }, { b: 1 })).toBe(true);
    expect(m({ 'a.b': { $exists: true } }, { a: [{ c: 1 }, { b: 2 }] })).toBe(true);
  });
  it('numbers are equal across types', () => {
    expect(m({ a: 1 }, { a: Long.fromNumber(1) })).toBe(true);
    expect(m({ a: Decimal128.fromString('2.0') }, { a: 2 })).toBe(true);
  });
  it('arrays match if an element matches or the whole array equals', () => {
    expect(m({ tags: 'red' }, { tags: ['blank', 'red'] })).toBe(true);
    expect(m({ tags: ['blank', 'red'] }, { tags: ['blank', 'red'] })).toBe(true);
    expect(m({ tags: ['red', 'blank'] }, { tags: ['blank', 'red'] })).toBe(false);
    expect(m({ a: null }, { a: [] })).toBe(false);
  });
  it('embedded document equality is exact, field order included', () => {
    expect(m({ size: { h: 14, w: 21, uom: 'cm' } }, { size: { h: 14, w: 21, uom: 'cm' } })).toBe(true);
    expect(m({ size: { w: 21, h: 14, uom: 'cm' } }, { size: { h: 14, w: 21, uom: 'cm' } })).toBe(false);
  });
});

describe('dotted paths through arrays', () => {
  const doc = { instock: [{ warehouse: 'A', qty: 5 }, { warehouse: 'C', qty: 15 }] };
  it('matches a field of any element (docs: Query an Array of Embedded Documents)', () => {
    expect(m({ 'instock.qty': { $lte: 20 } }, doc)).toBe(true);
    expect(m({ 'instock.qty': { $gt: 20 } }, doc)).toBe(false);
    expect(m({ 'instock.0.qty': { $lte: 5 } }, doc)).toBe(true);
    expect(m({ 'instock.1.qty': { $lte: 5 } }, doc)).toBe(false);
  });
  it('without $elemMatch conditions may be met by different elements', () => {
    expect(m({ 'instock.qty': { $gt: 10, $lte: 5 } }, doc)).toBe(true);
    expect(m({ instock: { $elemMatch: { qty: { $gt: 10, $lte: 5 } } } }, doc)).toBe(false);
    expect(m({ instock: { $elemMatch: { qty: 5, warehouse: 'A' } } }, doc)).toBe(true);
  });
  it('missing in one element counts as null', () => {
    expect(m({ 'a.b': null }, { a: [{ b: 1 }, { c: 2 }] })).toBe(true);
    expect(m({ 'a.b': null }, { a: [{ b: 1 }] })).toBe(false);
  });
  it('reports the matched array position for positional $', () => {
    expect(compileFilter({ 'instock.warehouse': 'C' }).matchWithDetails(doc)).toEqual({ matched: true, arrayIndex: 1 });
    expect(compileFilter({ grades: 85 }).matchWithDetails({ grades: [80, 85, 90] })).toEqual({ matched: true, arrayIndex: 1 });
    expect(compileFilter({ grades: { $elemMatch: { $gte: 88 } } }).matchWithDetails({ grades: [80, 85, 90] })).toEqual({ matched: true, arrayIndex: 2 });
    expect(compileFilter({ x: 1 }).matchWithDetails({ x: 1 })).toEqual({ matched: true });
  });
});

describe('comparison operators', () => {
  it('only compare within the same type bracket', () => {
    expect(m({ a: { $gt: 5 } }, { a: 'zzz' })).toBe(false);
    expect(m({ a: { $gt: 5 } }, { a: 6 })).toBe(true);
    expect(m({ a: { $lt: 'b' } }, { a: 'a' })).toBe(true);
    expect(m({ a: { $lt: 'b' } }, { a: 1 })).toBe(false);
    expect(m({ a: { $gte: new Date(0) } }, { a: new Date(1) })).toBe(true);
  });
  it('MinKey/MaxKey bounds cross brackets; $gte null matches missing', () => {
    expect(m({ a: { $gt: new MinKey() } }, { a: 'x' })).toBe(true);
    expect(m({ a: { $lt: new MaxKey() } }, { a: { b: 1 } })).toBe(true);
    expect(m({ a: { $gte: null } }, {})).toBe(true);
    expect(m({ a: { $gt: null } }, { a: null })).toBe(false);
  });
  it('NaN only matches NaN with $eq/$gte/$lte', () => {
    expect(m({ a: { $lt: 5 } }, { a: NaN })).toBe(false);
    expect(m({ a: { $gte: NaN } }, { a: NaN })).toBe(true);
    expect(m({ a: NaN }, { a: NaN })).toBe(true);
  });
  it('$in / $nin with null and regex', () => {
    expect(m({ a: { $in: [5, /^x/] } }, { a: 'xy' })).toBe(true);
    expect(m({ a: { $in: [null] } }, {})).toBe(true);
    expect(m({ a: { $in: [1, 2] } }, { a: [3, 2] })).toBe(true);
    expect(m({ a: { $nin: [1, 2] } }, { a: [3, 2] })).toBe(false);
    expect(m({ a: { $nin: [1, 2] } }, {})).toBe(true);
    expect(() => m({ a: { $in: 5 } }, {})).toThrow(code('BadValue'));
  });
});

describe('logical operators', () => {
  it('$and $or $nor $not', () => {
    const doc = { price: 1.99, qty: 30, sale: true };
    expect(m({ $and: [{ price: { $ne: 1.99 } }, { price: { $exists: true } }] }, doc)).toBe(false);
    expect(m({ $or: [{ qty: { $lt: 20 } }, { price: 1.99 }] }, doc)).toBe(true);
    expect(m({ $nor: [{ price: 1.99 }, { sale: true }] }, doc)).toBe(false);
    expect(m({ $nor: [{ price: 1.99 }, { sale: true }] }, { qty: 1 })).toBe(true);
    expect(m({ price: { $not: { $gt: 1.99 } } }, {})).toBe(true); // docs: $not also selects missing fields
    expect(m({ item: { $not: /^p.*/ } }, { item: 'pen' })).toBe(false);
  });
  it('errors', () => {
    expect(() => m({ $and: [] }, {})).toThrow('$and must be a nonempty array');
    expect(() => m({ $or: [1] }, {})).toThrow(code('BadValue'));
    expect(() => m({ a: { $not: 5 } }, {})).toThrow('$not needs a regex or a document');
    expect(() => m({ a: { $foo: 1 } }, {})).toThrow('unknown operator: $foo');
    expect(() => m({ $foo: 1 }, {})).toThrow(code('BadValue'));
    expect(() => m({ $where: 'true' }, {})).toThrow(code('BadValue'));
  });
});

describe('element, evaluation and array operators', () => {
  it('$type by alias, code, number and array', () => {
    expect(m({ a: { $type: 'string' } }, { a: 'x' })).toBe(true);
    expect(m({ a: { $type: 2 } }, { a: 'x' })).toBe(true);
    expect(m({ a: { $type: 'number' } }, { a: Long.fromNumber(2) })).toBe(true);
    expect(m({ a: { $type: ['double', 'long'] } }, { a: 1 })).toBe(false);
    expect(m({ a: { $type: 'array' } }, { a: [] })).toBe(true);
    expect(m({ a: { $type: 'string' } }, { a: [1, 'x'] })).toBe(true);
    expect(m({ a: { $type: 'null' } }, {})).toBe(false);
    expect(() => m({ a: { $type: 'nope' } }, {})).toThrow(code('BadValue'));
  });
  it('$regex with $options, BSONRegExp and x flag', () => {
    expect(m({ sku: { $regex: '^ABC', $options: 'i' } }, { sku: 'abc123' })).toBe(true);
    expect(m({ sku: new BSONRegExp('^abc', 'i') }, { sku: 'ABC' })).toBe(true);
    expect(m({ sku: { $regex: 'a b # comment', $options: 'x' } }, { sku: 'xab' })).toBe(true);
    expect(m({ sku: /^a/ }, { sku: 1 })).toBe(false);
    expect(m({ sku: { $regex: /^s/m } }, { sku: 'x\nsecond' })).toBe(true);
    expect(() => m({ a: { $options: 'i' } }, {})).toThrow('$options needs a $regex');
  });
  it('$mod truncates and validates (docs: $mod)', () => {
    expect(m({ qty: { $mod: [4, 0] } }, { qty: 12 })).toBe(true);
    expect(m({ qty: { $mod: [4.5, 0] } }, { qty: 12 })).toBe(true);
    expect(m({ qty: { $mod: [4, 0] } }, { qty: 5 })).toBe(false);
    expect(() => m({ qty: { $mod: [4] } }, {})).toThrow('malformed mod, not enough elements');
    expect(() => m({ qty: { $mod: [0, 1] } }, {})).toThrow('divisor cannot be 0');
  });
  it('$size and $all', () => {
    expect(m({ a: { $size: 2 } }, { a: [1, 2] })).toBe(true);
    expect(m({ a: { $size: 1 } }, { a: [[1, 2]] })).toBe(true);
    expect(m({ tags: { $all: ['ssl', 'security'] } }, { tags: ['appliance', 'ssl', 'security'] })).toBe(true);
    expect(m({ tags: { $all: ['ssl', 'x'] } }, { tags: ['ssl'] })).toBe(false);
    expect(m({ tags: { $all: [] } }, { tags: [] })).toBe(false);
    expect(m({ qty: { $all: [{ $elemMatch: { size: 'M', num: { $gt: 50 } } }] } }, { qty: [{ size: 'M', num: 100 }] })).toBe(true);
  });
  it('$elemMatch value mode', () => {
    expect(m({ results: { $elemMatch: { $gte: 80, $lt: 85 } } }, { results: [82, 85, 88] })).toBe(true);
    expect(m({ results: { $elemMatch: { $gte: 80, $lt: 85 } } }, { results: [75, 88, 89] })).toBe(false);
    expect(m({ results: { $elemMatch: { $gte: 80 } } }, { results: 90 })).toBe(false);
  });
  it('$text requires a score function', () => {
    expect(() => compileFilter({ $text: { $search: 'x' } })).toThrow(code('IndexNotFound'));
    const f = compileFilter({ $text: { $search: 'x' } }, { textScore: (d) => (d.hit ? 1.5 : undefined) });
    expect(f({ hit: true })).toBe(true);
    expect(f({})).toBe(false);
  });
  it('$expr evaluates aggregation expressions with variables (docs: $expr compare two fields)', () => {
    expect(m({ $expr: { $gt: ['$spent', '$budget'] } }, { budget: 400, spent: 500 })).toBe(true);
    expect(m({ $expr: { $gt: ['$spent', '$budget'] } }, { budget: 400, spent: 300 })).toBe(false);
    expect(compileFilter({ $expr: { $eq: ['$a', '$$x'] } }, { variables: { x: 3 } })({ a: 3 })).toBe(true);
    expect(m({ $expr: 0 }, {})).toBe(false);
  });
  it('$comment is ignored', () => {
    expect(m({ a: 1, $comment: 'why' }, { a: 1 })).toBe(true);
  });
});

describe('extractEqualityFields', () => {
  it('collects plain, $eq and $and equalities, not operators or regexes', () => {
    const f = extractEqualityFields({ a: 1, b: { $gt: 1 }, c: /x/, d: { $eq: 2 }, $and: [{ e: 'x' }, { a: 9 }], 'f.g': null });
    expect([...f.entries()]).toEqual([['a', 1], ['d', 2], ['e', 'x'], ['f.g', null]]);
  });
});
