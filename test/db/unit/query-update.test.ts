import { Decimal128, Long, Timestamp } from 'bson';
import { describe, expect, it } from 'vitest';
import { applyUpdate, isOperatorUpdate, upsertSeed, validateFieldNames, validateReplacement } from '../../../src/db/embedded/query/update.js';

const up = (doc: Record<string, unknown>, u: unknown, o: Parameters<typeof applyUpdate>[2] = {}) => applyUpdate(doc, u, o);
const code = (codeName: string, c?: number) => expect.objectContaining(c === undefined ? { codeName } : { codeName, code: c });

describe('field operators', () => {
  it('$set creates paths, never mutates the input, sorts new fields by name (MongoDB 5+)', () => {
    const doc = { _id: 1, a: { b: 1 } };
    const r = up(doc, { $set: { z: 1, 'a.c': 2, b: 3 } });
    expect(r.doc).toEqual({ _id: 1, a: { b: 1, c: 2 }, b: 3, z: 1 });
    expect(Object.keys(r.doc)).toEqual(['_id', 'a', 'b', 'z']);
    expect(r.modified).toBe(true);
    expect(doc).toEqual({ _id: 1, a: { b: 1 } });
  });
  it('a no-op update reports modified false', () => {
    expect(up({ _id: 1, a: 1 }, { $set: { a: 1 } }).modified).toBe(false);
    expect(up({ _id: 1 }, { $unset: { a: '' } }).modified).toBe(false);
    expect(up({ _id: 1, a: 1 }, { $set: { a: Long.fromNumber(1) } }).modified).toBe(true);
  });
  it('$set through a scalar is PathNotViable', () => {
    expect(() => up({ _id: 1, a: 5 }, { $set: { 'a.b': 1 } })).toThrow(code('PathNotViable', 28));
  });
  it('$unset removes fields and nulls array elements', () => {
    expect(up({ _id: 1, a: 1, b: [1, 2] }, { $unset: { a: '', 'b.0': 1 } }).doc).toEqual({ _id: 1, b: [null, 2] });
  });
  it('$inc keeps types and promotes (docs: $inc example)', () => {
    const r = up({ _id: 1, quantity: 10, metrics: { orders: 2, ratings: 3.5 } }, { $inc: { quantity: -2, 'metrics.orders': 1 } });
    expect(r.doc).toEqual({ _id: 1, quantity: 8, metrics: { orders: 3, ratings: 3.5 } });
    expect(up({ _id: 1, a: Long.fromNumber(1) }, { $inc: { a: 1 } }).doc.a).toEqual(Long.fromNumber(2));
    expect(up({ _id: 1, a: 2147483647 }, { $inc: { a: 1 } }).doc.a).toEqual(Long.fromNumber(2147483648));
    expect(String(up({ _id: 1, a: Decimal128.fromString('1.1') }, { $inc: { a: 1 } }).doc.a)).toBe('2.1');
    expect(up({ _id: 1 }, { $inc: { n: 5 } }).doc).toEqual({ _id: 1, n: 5 });
  });
  it('$inc errors', () => {
    expect(() => up({ _id: 1, a: 'x' }, { $inc: { a: 1 } })).toThrow(
      "Cannot apply $inc to a value of non-numeric type. {_id: 1} has the field 'a' of non-numeric type string");
    expect(() => up({ _id: 1 }, { $inc: { a: 'x' } })).toThrow(code('TypeMismatch', 14));
    expect(() => up({ _id: 1, a: Long.MAX_VALUE }, { $inc: { a: 1 } })).toThrow(code('BadValue'));
  });
  it('$mul sets a missing field to zero of the multiplier type', () => {
    expect(up({ _id: 1, price: 10.5 }, { $mul: { price: 2 } }).doc.price).toBe(21);
    expect(up({ _id: 1 }, { $mul: { price: Long.fromNumber(3) } }).doc.price).toEqual(Long.fromNumber(0));
  });
  it('$min / $max (docs: $min example)', () => {
    expect(up({ _id: 1, highScore: 800, lowScore: 200 }, { $min: { lowScore: 150 } }).doc.lowScore).toBe(150);
    expect(up({ _id: 1, lowScore: 150 }, { $min: { lowScore: 250 } }).modified).toBe(false);
    expect(up({ _id: 1, highScore: 800 }, { $max: { highScore: 950 } }).doc.highScore).toBe(950);
    expect(up({ _id: 1 }, { $max: { x: 1 } }).doc.x).toBe(1);
  });
  it('$rename moves fields and rejects array sources', () => {
    expect(up({ _id: 1, nmae: 'x', a: { b: 1 } }, { $rename: { nmae: 'name', 'a.b': 'c' } }).doc).toEqual({ _id: 1, a: {}, name: 'x', c: 1 });
    expect(() => up({ _id: 1, a: [{ b: 1 }] }, { $rename: { 'a.b': 'c' } })).toThrow(code('BadValue'));
    expect(() => up({ _id: 1 }, { $rename: { a: 'a.b' } })).toThrow(code('BadValue'));
  });
  it('$setOnInsert only applies on upsert inserts', () => {
    expect(up({ _id: 1 }, { $setOnInsert: { a: 1 } }).modified).toBe(false);
    expect(up({ _id: 1 }, { $setOnInsert: { a: 1 } }, { isUpsertInsert: true }).doc).toEqual({ _id: 1, a: 1 });
  });
  it('$currentDate uses the supplied clock', () => {
    const now = new Date('2024-01-02T03:04:05Z');
    const r = up({ _id: 1 }, { $currentDate: { d: true, t: { $type: 'timestamp' } } }, { now });
    expect(r.doc.d).toEqual(now);
    expect((r.doc.t as Timestamp).t).toBe(now.getTime() / 1000);
    expect(() => up({ _id: 1 }, { $currentDate: { d: { $type: 'x' } } })).toThrow(code('BadValue'));
  });
});

describe('array operators', () => {
  it('$push with $each, $position, $sort, $slice (docs: Use $push Operator with Multiple Modifiers)', () => {
    const doc = { _id: 5, quizzes: [{ wk: 1, score: 10 }, { wk: 2, score: 8 }, { wk: 3, score: 5 }, { wk: 4, score: 6 }] };
    const r = up(doc, { $push: { quizzes: { $each: [{ wk: 5, score: 8 }, { wk: 6, score: 7 }, { wk: 7, score: 6 }], $sort: { score: -1 }, $slice: 3 } } });
    expect(r.doc.quizzes).toEqual([{ wk: 1, score: 10 }, { wk: 2, score: 8 }, { wk: 5, score: 8 }]);
    expect(up({ _id: 1, s: [50, 60, 70] }, { $push: { s: { $each: [20, 30], $position: 2 } } }).doc.s).toEqual([50, 60, 20, 30, 70]);
    expect(up({ _id: 1, s: [50, 60, 70] }, { $push: { s: { $each: [10], $position: -1 } } }).doc.s).toEqual([50, 60, 10, 70]);
    expect(up({ _id: 1, s: [3, 1] }, { $push: { s: { $each: [2], $sort: 1, $slice: -2 } } }).doc.s).toEqual([2, 3]);
    expect(up({ _id: 1 }, { $push: { s: 1 } }).doc.s).toEqual([1]);
  });
  it('$push errors', () => {
    expect(() => up({ _id: 1, s: 1 }, { $push: { s: 2 } })).toThrow("The field 's' must be an array but is of type int in document {_id: 1}");
    expect(() => up({ _id: 1 }, { $push: { s: { $each: 1 } } })).toThrow(code('BadValue'));
    expect(() => up({ _id: 1 }, { $push: { s: { $each: [1], $foo: 1 } } })).toThrow(code('BadValue'));
  });
  it('$addToSet with $each skips equal values (docs: $addToSet)', () => {
    expect(up({ _id: 1, tags: ['electronics', 'camera'] }, { $addToSet: { tags: { $each: ['camera', 'accessories'] } } }).doc.tags)
      .toEqual(['electronics', 'camera', 'accessories']);
    expect(up({ _id: 1, a: [1] }, { $addToSet: { a: Long.fromNumber(1) } }).modified).toBe(false);
    expect(up({ _id: 1, a: [{ x: 1, y: 2 }] }, { $addToSet: { a: { y: 2, x: 1 } } }).doc.a).toHaveLength(2);
  });
  it('$pop', () => {
    expect(up({ _id: 1, a: [1, 2, 3] }, { $pop: { a: -1 } }).doc.a).toEqual([2, 3]);
    expect(up({ _id: 1, a: [1, 2, 3] }, { $pop: { a: 1 } }).doc.a).toEqual([1, 2]);
    expect(() => up({ _id: 1, a: [1] }, { $pop: { a: 2 } })).toThrow(code('FailedToParse'));
  });
  it('$pull with values, conditions and subdocument queries (docs: $pull examples)', () => {
    const stores = { _id: 1, fruits: ['apples', 'pears', 'oranges', 'grapes', 'bananas'], vegetables: ['carrots', 'celery', 'squash', 'carrots'] };
    expect(up(stores, { $pull: { fruits: { $in: ['apples', 'oranges'] }, vegetables: 'carrots' } }).doc)
      .toEqual({ _id: 1, fruits: ['pears', 'grapes', 'bananas'], vegetables: ['celery', 'squash'] });
    expect(up({ _id: 1, votes: [3, 5, 6, 7, 7, 8] }, { $pull: { votes: { $gte: 6 } } }).doc.votes).toEqual([3, 5]);
    const survey = { _id: 1, results: [{ item: 'A', score: 5 }, { item: 'B', score: 8 }] };
    expect(up(survey, { $pull: { results: { score: 8, item: 'B' } } }).doc.results).toEqual([{ item: 'A', score: 5 }]);
    const nested = { _id: 1, results: [{ item: 'A', answers: [{ q: 1, a: 4 }, { q: 2, a: 6 }] }, { item: 'B', answers: [{ q: 1, a: 8 }] }] };
    expect(up(nested, { $pull: { results: { answers: { $elemMatch: { q: 2, a: { $gte: 5 } } } } } }).doc.results)
      .toEqual([{ item: 'B', answers: [{ q: 1, a: 8 }] }]);
  });
  it('$pullAll', () => {
    expect(up({ _id: 1, scores: [0, 2, 5, 5, 1, 0] }, { $pullAll: { scores: [0, 5] } }).doc.scores).toEqual([2, 1]);
    expect(() => up({ _id: 1, a: [] }, { $pullAll: { a: 1 } })).toThrow(code('BadValue'));
  });
});

describe('positional updates', () => {
  it('$ uses the matched array index', () => {
    const r = up({ _id: 1, grades: [85, 80, 80] }, { $set: { 'grades.$': 82 } }, { matchDetails: { arrayIndex: 1 } });
    expect(r.doc.grades).toEqual([85, 82, 80]);
    expect(() => up({ _id: 1, grades: [1] }, { $set: { 'grades.$': 82 } })).toThrow('The positional operator did not find the match needed from the query.');
  });
  it('$[] updates every element (docs: $[])', () => {
    expect(up({ _id: 1, grades: [85, 82, 80] }, { $inc: { 'grades.$[]': 10 } }).doc.grades).toEqual([95, 92, 90]);
    expect(() => up({ _id: 1 }, { $inc: { 'grades.$[]': 10 } })).toThrow(code('BadValue'));
  });
  it('$[id] with arrayFilters (docs: $[<identifier>])', () => {
    const r = up({ _id: 1, grades: [95, 92, 90] }, { $set: { 'grades.$[element]': 100 } }, { arrayFilters: [{ element: { $gte: 92 } }] });
    expect(r.doc.grades).toEqual([100, 100, 90]);
    const d = { _id: 1, grades: [{ grade: 80, mean: 75 }, { grade: 85, mean: 90 }] };
    expect(up(d, { $set: { 'grades.$[e].mean': 100 } }, { arrayFilters: [{ 'e.grade': { $gte: 85 } }] }).doc.grades)
      .toEqual([{ grade: 80, mean: 75 }, { grade: 85, mean: 100 }]);
  });
  it('arrayFilters errors: missing, unused, duplicate, bad name', () => {
    expect(() => up({ _id: 1, a: [1] }, { $set: { 'a.$[x]': 1 } })).toThrow("No array filter found for identifier 'x' in path 'a.$[x]'");
    expect(() => up({ _id: 1, a: [1] }, { $set: { a: [] } }, { arrayFilters: [{ x: 1 }] })).toThrow(code('FailedToParse', 9));
    expect(() => up({ _id: 1, a: [1] }, { $set: { 'a.$[x]': 1 } }, { arrayFilters: [{ x: 1 }, { x: 2 }] })).toThrow(code('FailedToParse'));
    expect(() => up({ _id: 1, a: [1] }, { $set: { 'a.$[X]': 1 } }, { arrayFilters: [{ X: 1 }] })).toThrow(code('BadValue'));
  });
});

describe('update validation', () => {
  it('conflicting paths', () => {
    expect(() => up({ _id: 1 }, { $set: { a: 1 }, $inc: { 'a.b': 1 } })).toThrow("Updating the path 'a.b' would create a conflict at 'a'");
    expect(() => up({ _id: 1 }, { $set: { a: 1 }, $unset: { a: 1 } })).toThrow(code('ConflictingUpdateOperators', 40));
  });
  it('unknown modifiers and non-object operands', () => {
    expect(() => up({ _id: 1 }, { $foo: { a: 1 } })).toThrow(code('FailedToParse'));
    expect(() => up({ _id: 1 }, { $set: 5 })).toThrow(code('FailedToParse'));
    expect(() => up({ _id: 1 }, { $set: { 'a..b': 1 } })).toThrow(expect.objectContaining({ code: 56 }));
    expect(up({ _id: 1, a: 1 }, { $set: {} }).modified).toBe(false); // MongoDB 5+: empty operand is a no-op
  });
  it('_id is immutable', () => {
    expect(() => up({ _id: 1 }, { $set: { _id: 2 } })).toThrow(code('ImmutableField', 66));
    expect(up({ _id: 1 }, { $set: { _id: 1 } }).modified).toBe(false);
    expect(() => up({ _id: 1 }, { _id: 2, a: 1 })).toThrow("After applying the update, the (immutable) field '_id' was found to have been altered to _id: 2");
  });
  it('replacement keeps _id and first position', () => {
    const r = up({ _id: 1, a: 1, b: 2 }, { c: 3 });
    expect(r.doc).toEqual({ _id: 1, c: 3 });
    expect(up({ _id: 1, a: 1 }, { a: 1 }).modified).toBe(false);
    expect(up({ _id: 1, a: 1 }, {}).doc).toEqual({ _id: 1 });
    expect(isOperatorUpdate({ $set: {} })).toBe(true);
    expect(isOperatorUpdate({ a: 1 })).toBe(false);
  });
  it('field-name rules', () => {
    expect(() => validateReplacement({ $set: 1 } as Record<string, unknown>)).toThrow(code('DollarPrefixedFieldName', 52));
    expect(() => validateFieldNames({ $a: 1 }, { forStorage: true })).toThrow(code('DollarPrefixedFieldName', 52));
    expect(() => validateFieldNames({ _id: [1] }, { forStorage: true })).toThrow(code('InvalidIdField', 53));
    expect(() => validateFieldNames({ _id: /x/ }, { forStorage: true })).toThrow(code('InvalidIdField', 53));
    expect(() => validateFieldNames({ a: { $b: 1, 'c.d': 2 } }, { forStorage: true })).not.toThrow();
  });
  it('pipeline updates', () => {
    const r = up({ _id: 1, a: 1, b: 2 }, [{ $set: { c: { $add: ['$a', '$b'] } } }, { $unset: 'a' }]);
    expect(r.doc).toEqual({ _id: 1, b: 2, c: 3 });
    expect(() => up({ _id: 1 }, [{ $match: {} }])).toThrow();
  });
});

describe('upsertSeed', () => {
  it('builds the document from equality fields (docs: upsert with dotted fields)', () => {
    expect(upsertSeed({ _id: 7, 'a.b': 1, c: { $gt: 1 }, $and: [{ d: { $eq: 'x' } }], e: /re/ })).toEqual({ _id: 7, a: { b: 1 }, d: 'x' });
    expect(upsertSeed({ name: 'x', _id: 1 })).toEqual({ _id: 1, name: 'x' });
  });
  it('rejects ambiguous fields', () => {
    expect(() => upsertSeed({ a: 1, $and: [{ a: 2 }] })).toThrow(code('NotSingleValueField', 54));
    expect(() => upsertSeed({ a: { b: 1 }, 'a.c': 1 })).toThrow(code('NotSingleValueField'));
  });
  it('seed then operator update as an upsert insert', () => {
    const seed = upsertSeed({ sku: 'x' });
    const r = up(seed, { $set: { qty: 1 }, $setOnInsert: { created: true } }, { isUpsertInsert: true });
    expect(r.doc).toEqual({ sku: 'x', created: true, qty: 1 });
  });
});
