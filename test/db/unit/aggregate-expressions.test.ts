/**
 * Expression operators against the examples on MongoDB's reference pages
 * (https://www.mongodb.com/docs/manual/reference/operator/aggregation/<name>/).
 */
import { Long } from 'bson';
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

describe('field paths and variables', () => {
  it('traverses arrays of subdocuments like MongoDB', () => {
    const doc = { a: [{ b: 1 }, { c: 2 }, { b: [3] }, 4], x: { y: { z: 'deep' } } };
    expect(ev('$a.b', doc)).toEqual([1, [3]]);
    expect(ev('$x.y.z', doc)).toBe('deep');
    expect(ev('$nope', doc)).toBeUndefined();
    expect(ev('$$ROOT.x.y', doc)).toEqual({ z: 'deep' });
    expect(ev('$$CURRENT.x.y.z', doc)).toBe('deep');
  });

  it('handles $$REMOVE, $$NOW, user variables and undefined variables', () => {
    const now = new Date('2024-01-01T00:00:00Z');
    expect(ev({ a: '$$REMOVE', b: 1 })).toEqual({ b: 1 });
    expect(ev('$$NOW', {}, { NOW: now })).toBe(now);
    expect(ev('$$who', {}, { who: 'x' })).toBe('x');
    expect(codeOf(() => ev('$$missingVar'))).toBe(17276);
  });

  it('evaluates object and array literals, and $literal', () => {
    expect(ev({ total: { $add: ['$a', 1] }, tags: ['$a', '$missing', 'k'] }, { a: 1 })).toEqual({ total: 2, tags: [1, null, 'k'] });
    // $literal example: { $literal: { $add: [ 2, 3 ] } } → { "$add" : [ 2, 3 ] }
    expect(ev({ $literal: { $add: [2, 3] } })).toEqual({ $add: [2, 3] });
    expect(ev({ $literal: '$1' })).toBe('$1');
  });

  it('rejects an unknown operator with code 168', () => {
    const err = (() => { try { ev({ $foo: 1 }); } catch (e) { return e as CommandError; } return undefined; })();
    expect(err?.code).toBe(168);
    expect(err?.codeName).toBe('InvalidPipelineOperator');
    expect(err?.message).toBe("Unrecognized expression '$foo'");
  });

  it('$let binds variables ($let reference example)', () => {
    const doc = { price: 10, tax: 0.5, applyDiscount: true };
    const expr = {
      $let: {
        vars: { total: { $add: ['$price', '$tax'] }, discounted: { $cond: { if: '$applyDiscount', then: 0.9, else: 1 } } },
        in: { $multiply: ['$$total', '$$discounted'] },
      },
    };
    expect(ev(expr, doc)).toBeCloseTo(9.45);
  });
});

describe('arithmetic', () => {
  const sale = { price: 10, fee: 2, discount: 5, date: new Date('2014-03-01T08:00:00Z') };
  it('$add numbers and a date plus milliseconds ($add examples)', () => {
    expect(ev({ $add: ['$price', '$fee'] }, sale)).toBe(12);
    expect(ev({ $add: ['$date', 3 * 24 * 60 * 60000] }, sale)).toEqual(new Date('2014-03-04T08:00:00Z'));
    expect(ev({ $add: ['$price', null] }, sale)).toBeNull();
    expect(ev({ $add: ['$price', '$missing'] }, sale)).toBeNull();
    expect(codeOf(() => ev({ $add: ['$date', '$date'] }, sale))).toBe(16612);
    expect(codeOf(() => ev({ $add: ['a', 1] }))).toBe(16554);
  });

  it('$subtract numbers, date − ms and date − date ($subtract examples)', () => {
    expect(ev({ $subtract: [{ $add: ['$price', '$fee'] }, '$discount'] }, sale)).toBe(7);
    expect(ev({ $subtract: ['$date', 5 * 60 * 1000] }, sale)).toEqual(new Date('2014-03-01T07:55:00Z'));
    const diff = ev({ $subtract: [new Date('2014-03-02T08:00:00Z'), '$date'] }, sale);
    expect(diff).toBeInstanceOf(Long);
    expect((diff as Long).toNumber()).toBe(86_400_000);
    expect(ev({ $subtract: ['$nope', 1] })).toBeNull();
  });

  it('$multiply, $divide, $mod', () => {
    expect(ev({ $multiply: ['$price', '$quantity'] }, { price: 10, quantity: 2 })).toBe(20);
    expect(ev({ $divide: ['$hours', 8] }, { hours: 80 })).toBe(10);
    expect(ev({ $mod: ['$hours', '$tasks'] }, { hours: 80, tasks: 7 })).toBe(3);
    expect(codeOf(() => ev({ $divide: [1, 0] }))).toBe(16608);
    expect(codeOf(() => ev({ $mod: [1, 0] }))).toBe(16610);
    expect(ev({ $multiply: [2, Long.fromNumber(3)] })).toEqual(Long.fromNumber(6));
  });

  it('$abs, $ceil, $floor, $sqrt, $exp, $ln, $log10, $log, $pow', () => {
    expect(ev({ $abs: { $subtract: ['$endTemp', '$startTemp'] } }, { startTemp: 80, endTemp: 50 })).toBe(30);
    expect(ev({ $ceil: 5.89 })).toBe(6);
    expect(ev({ $ceil: -5.89 })).toBe(-5);
    expect(ev({ $floor: 5.89 })).toBe(5);
    expect(ev({ $floor: -5.89 })).toBe(-6);
    expect(ev({ $sqrt: 25 })).toBe(5);
    expect(codeOf(() => ev({ $sqrt: -1 }))).toBe(28714);
    expect(ev({ $exp: 0 })).toBe(1);
    expect(ev({ $ln: Math.E })).toBe(1);
    expect(ev({ $log10: 100 })).toBe(2);
    expect(ev({ $log: [100, 10] })).toBe(2);
    expect(ev({ $pow: [5, 2] })).toBe(25);
    expect(ev({ $pow: [5, -2] })).toBeCloseTo(0.04);
    expect(ev({ $abs: null })).toBeNull();
  });

  it('$round rounds half to even; $trunc truncates ($round/$trunc examples)', () => {
    expect([19.25, 28.73, 34.32, -45.39].map((v) => ev({ $round: [v, 1] }))).toEqual([19.2, 28.7, 34.3, -45.4]);
    expect([10.5, 11.5, 12.5].map((v) => ev({ $round: [v, 0] }))).toEqual([10, 12, 12]);
    expect(ev({ $round: [1234.5678, -2] })).toBe(1200);
    expect([19.25, 28.73, 34.32, -45.39].map((v) => ev({ $trunc: [v, 1] }))).toEqual([19.2, 28.7, 34.3, -45.3]);
    expect(ev({ $trunc: 7.9 })).toBe(7);
  });
});

describe('conditionals, comparison and boolean', () => {
  it('$cond in both forms, $ifNull and $switch', () => {
    // $cond example: qty 300 → discount 30, qty 200 → 20
    expect(ev({ $cond: { if: { $gte: ['$qty', 250] }, then: 30, else: 20 } }, { qty: 300 })).toBe(30);
    expect(ev({ $cond: [{ $gte: ['$qty', 250] }, 30, 20] }, { qty: 200 })).toBe(20);
    expect(ev({ $ifNull: ['$description', 'Unspecified'] }, { description: null })).toBe('Unspecified');
    expect(ev({ $ifNull: ['$description', '$quantity', 0] }, { quantity: 5 })).toBe(5);
    const grade = { $switch: { branches: [
      { case: { $gte: [{ $avg: '$scores' }, 90] }, then: 'Doing great!' },
      { case: { $and: [{ $gte: [{ $avg: '$scores' }, 80] }, { $lt: [{ $avg: '$scores' }, 90] }] }, then: 'Doing pretty well.' },
      { case: { $lt: [{ $avg: '$scores' }, 80] }, then: 'Needs improvement.' },
    ], default: 'No scores found.' } };
    expect(ev(grade, { scores: [87, 86, 78] })).toBe('Doing pretty well.');
    expect(ev(grade, { scores: [71, 64, -2] })).toBe('Needs improvement.');
    // $avg of [] is null, and null sorts below numbers, so the last branch matches.
    expect(ev(grade, { scores: [] })).toBe('Needs improvement.');
    expect(ev({ $switch: { branches: [{ case: '$missing', then: 1 }], default: 'none' } })).toBe('none');
    expect(codeOf(() => ev({ $switch: { branches: [{ case: false, then: 1 }] } }))).toBe(40066);
  });

  it('$eq $ne $gt $gte $lt $lte $cmp use BSON order', () => {
    const d = { qty: 300 };
    expect(ev({ $cmp: ['$qty', 250] }, d)).toBe(1);
    expect(ev({ $cmp: ['$qty', 300] }, d)).toBe(0);
    expect(ev({ $eq: ['$qty', 300] }, d)).toBe(true);
    expect(ev({ $ne: ['$qty', 250] }, d)).toBe(true);
    expect(ev({ $gt: ['$qty', 250] }, d)).toBe(true);
    expect(ev({ $lt: ['$qty', 250] }, d)).toBe(false);
    expect(ev({ $lte: ['$qty', 300] }, d)).toBe(true);
    // A missing value sorts below null in aggregation (EOO ranks 0, null 5).
    expect(ev({ $eq: ['$missing', null] }, d)).toBe(false);
    expect(ev({ $lt: ['$missing', null] }, d)).toBe(true);
    expect(ev({ $eq: ['$missing', '$alsoMissing'] }, d)).toBe(true);
    expect(ev({ $in: ['$missing', [null]] }, d)).toBe(false);
    // Numbers sort before strings in BSON order.
    expect(ev({ $lt: [5, 'a'] })).toBe(true);
  });

  it('$and $or $not with MongoDB truthiness', () => {
    const d = { qty: 200 };
    expect(ev({ $and: [{ $gt: ['$qty', 100] }, { $lt: ['$qty', 250] }] }, d)).toBe(true);
    expect(ev({ $or: [{ $gt: ['$qty', 250] }, { $lt: ['$qty', 200] }] }, d)).toBe(false);
    expect(ev({ $not: [{ $gt: ['$qty', 250] }] }, d)).toBe(true);
    expect(ev({ $and: [1, 'x', []] })).toBe(true);
    expect(ev({ $or: [0, null, '$missing', false] })).toBe(false);
  });
});

describe('strings', () => {
  it('$concat, with null → null', () => {
    expect(ev({ $concat: ['$item', ' - ', '$description'] }, { item: 'ABC1', description: 'product 1' })).toBe('ABC1 - product 1');
    expect(ev({ $concat: ['$item', null] }, { item: 'x' })).toBeNull();
    expect(codeOf(() => ev({ $concat: ['a', 1] }))).toBe(16702);
  });

  it('$toLower/$toUpper, $substr*, $strLen*', () => {
    expect(ev({ $toLower: 'ABC1' })).toBe('abc1');
    expect(ev({ $toUpper: 'abc1' })).toBe('ABC1');
    expect(ev({ $toLower: null })).toBe('');
    // $substrBytes example: "13Q1" → yearSubstring "13", quarterSubtring "Q1"
    expect(ev({ $substrBytes: ['$quarter', 0, 2] }, { quarter: '13Q1' })).toBe('13');
    expect(ev({ $substr: ['$quarter', 2, -1] }, { quarter: '13Q1' })).toBe('Q1');
    expect(ev({ $substrBytes: ['cafétéria', 0, 5] })).toBe('café');
    expect(ev({ $substrBytes: ['cafétéria', 5, 4] })).toBe('tér');
    expect(codeOf(() => ev({ $substrBytes: ['cafétéria', 7, 3] }))).toBe(28656);
    expect(ev({ $substrCP: ['寿司sushi', 0, 2] })).toBe('寿司');
    expect(ev({ $strLenCP: 'cafétéria' })).toBe(9);
    expect(ev({ $strLenBytes: 'cafétéria' })).toBe(11);
    expect(codeOf(() => ev({ $strLenCP: '$missing' }))).toBe(34471);
  });

  it('$split, $trim family, $indexOfCP, $regexMatch, $toString', () => {
    expect(ev({ $split: ['Bakersfield, CA 93306', ', '] })).toEqual(['Bakersfield', 'CA 93306']);
    expect(ev({ $split: [null, ','] })).toBeNull();
    expect(ev({ $trim: { input: '  \n good  bread  \t ' } })).toBe('good  bread');
    expect(ev({ $ltrim: { input: '  x ' } })).toBe('x ');
    expect(ev({ $rtrim: { input: 'xxhixx', chars: 'x' } })).toBe('xxhi');
    expect(ev({ $indexOfCP: ['cafétéria', 'é'] })).toBe(3);
    expect(ev({ $indexOfCP: ['cafétéria', 'é', 4] })).toBe(5);
    expect(ev({ $indexOfCP: ['foo', 'z'] })).toBe(-1);
    expect(ev({ $indexOfCP: [null, 'z'] })).toBeNull();
    expect(ev({ $regexMatch: { input: '$description', regex: /line/ } }, { description: 'Single LINE description.' })).toBe(false);
    expect(ev({ $regexMatch: { input: '$description', regex: 'line', options: 'i' } }, { description: 'Single LINE description.' })).toBe(true);
    expect(ev({ $regexMatch: { input: null, regex: 'x' } })).toBe(false);
    expect(ev({ $toString: 2.5 })).toBe('2.5');
    expect(ev({ $toString: true })).toBe('true');
    expect(ev({ $toString: new Date('2018-03-27T16:58:51.538Z') })).toBe('2018-03-27T16:58:51.538Z');
  });
});

describe('arrays', () => {
  it('$size, with error 17124 for a non-array', () => {
    expect(ev({ $size: '$colors' }, { colors: ['blue', 'black'] })).toBe(2);
    expect(codeOf(() => ev({ $size: '$colors' }, {}))).toBe(17124);
  });

  it('$filter, $map, $reduce (reference examples)', () => {
    const items = [{ item_id: 43, quantity: 2, price: 10 }, { item_id: 2, quantity: 1, price: 240 }];
    expect(ev({ $filter: { input: '$items', as: 'item', cond: { $gte: ['$$item.price', 100] } } }, { items })).toEqual([items[1]]);
    expect(ev({ $filter: { input: [1, 2, 3, 4], cond: { $gt: ['$$this', 1] }, limit: 2 } })).toEqual([2, 3]);
    expect(ev({ $map: { input: '$quizzes', as: 'grade', in: { $add: ['$$grade', 2] } } }, { quizzes: [5, 6, 7] })).toEqual([7, 8, 9]);
    expect(ev({ $map: { input: '$none', in: 1 } })).toBeNull();
    expect(ev({ $reduce: { input: ['a', 'b', 'c'], initialValue: '', in: { $concat: ['$$value', '$$this'] } } })).toBe('abc');
    expect(ev({ $reduce: { input: [1, 2, 3, 4], initialValue: { sum: 5, product: 2 },
      in: { sum: { $add: ['$$value.sum', '$$this'] }, product: { $multiply: ['$$value.product', '$$this'] } } } }))
      .toEqual({ sum: 15, product: 48 });
  });

  it('$in, $arrayElemAt, $first, $last, $slice, $concatArrays, $isArray', () => {
    expect(ev({ $in: ['bananas', '$in_stock'] }, { in_stock: ['apples', 'bananas'] })).toBe(true);
    expect(codeOf(() => ev({ $in: ['x', '$missing'] }))).toBe(40081);
    expect(ev({ $arrayElemAt: [[1, 2, 3], 0] })).toBe(1);
    expect(ev({ $arrayElemAt: [[1, 2, 3], -2] })).toBe(2);
    expect(ev({ $arrayElemAt: [[1, 2, 3], 15] })).toBeUndefined();
    expect(ev({ $first: [[1, 2, 3]] })).toBe(1);
    expect(ev({ $last: '$a' }, { a: [1, 2, 3] })).toBe(3);
    expect(ev({ $first: '$missing' })).toBeNull();
    expect(ev({ $slice: [[1, 2, 3], 1, 1] })).toEqual([2]);
    expect(ev({ $slice: [[1, 2, 3], -2] })).toEqual([2, 3]);
    expect(ev({ $slice: [[1, 2, 3], 15, 2] })).toEqual([]);
    expect(ev({ $concatArrays: [['hello', ' '], ['world']] })).toEqual(['hello', ' ', 'world']);
    expect(ev({ $concatArrays: [['a'], '$missing'] })).toBeNull();
    expect(ev({ $isArray: ['$a'] }, { a: [] })).toBe(true);
    expect(ev({ $isArray: '$a' }, { a: 'x' })).toBe(false);
  });

  it('$range, $reverseArray, $indexOfArray', () => {
    expect(ev({ $range: [0, 10, 2] })).toEqual([0, 2, 4, 6, 8]);
    expect(ev({ $range: [10, 0, -2] })).toEqual([10, 8, 6, 4, 2]);
    expect(ev({ $range: [0, 10, -2] })).toEqual([]);
    expect(ev({ $range: [0, 5] })).toEqual([0, 1, 2, 3, 4]);
    expect(ev({ $reverseArray: [[1, 2, 3]] })).toEqual([3, 2, 1]);
    expect(ev({ $reverseArray: '$missing' })).toBeNull();
    expect(ev({ $indexOfArray: [['a', 'abc'], 'a'] })).toBe(0);
    expect(ev({ $indexOfArray: [[1, 2], 3] })).toBe(-1);
    expect(ev({ $indexOfArray: [null, 'foo'] })).toBeNull();
    expect(ev({ $indexOfArray: [['a', 'b', 'a'], 'a', 1] })).toBe(2);
  });

  it('set operators ($setUnion etc. examples)', () => {
    expect(ev({ $setUnion: [['a', 'b', 'a'], ['b', 'c']] })).toEqual(['a', 'b', 'c']);
    expect(ev({ $setIntersection: [['a', 'b', 'c'], ['b', 'c', 'd']] })).toEqual(['b', 'c']);
    expect(ev({ $setDifference: [['a', 'b', 'c'], ['b']] })).toEqual(['a', 'c']);
    expect(ev({ $setIsSubset: [['a', 'b'], ['b', 'a', 'c']] })).toBe(true);
    expect(ev({ $setEquals: [['a', 'b', 'a'], ['b', 'a']] })).toBe(true);
  });

  it('accumulators as array expressions', () => {
    const d = { quizzes: [10, 6, 7], labs: [5, 8] };
    expect(ev({ $sum: '$quizzes' }, d)).toBe(23);
    expect(ev({ $avg: '$labs' }, d)).toBe(6.5);
    expect(ev({ $max: '$quizzes' }, d)).toBe(10);
    expect(ev({ $min: [5, '$missing', 2] }, d)).toBe(2);
    expect(ev({ $sum: ['$quizzes', 1] }, d)).toBe(1);
    expect(ev({ $avg: '$missing' }, d)).toBeNull();
    expect(ev({ $stdDevPop: [[1, 2, 3, 4]] })).toBeCloseTo(1.118, 3);
  });
});
