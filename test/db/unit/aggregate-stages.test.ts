/**
 * Pipeline stages against the examples of MongoDB's reference pages
 * (https://www.mongodb.com/docs/manual/reference/operator/aggregation/<stage>/).
 */
import { Long } from 'bson';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../../src/db/embedded/aggregate/pipeline.js';
import { CommandError } from '../../../src/db/embedded/errors.js';

type Doc = Record<string, unknown>;
const run = (docs: Doc[], pipeline: Doc[]): Doc[] => runPipeline(docs, pipeline, {});

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof CommandError) return e.code;
    throw e;
  }
  return undefined;
}

const book = (): Doc => ({ _id: 1, title: 'abc123', isbn: '0001122223334', author: { last: 'zzz', first: 'aaa' }, copies: 5, lastModified: '2016-07-28' });

describe('$project', () => {
  it('includes, excludes and suppresses _id ($project examples)', () => {
    expect(run([book()], [{ $project: { title: 1, author: 1 } }])).toEqual([{ _id: 1, title: 'abc123', author: { last: 'zzz', first: 'aaa' } }]);
    expect(run([book()], [{ $project: { _id: 0, title: 1, author: 1 } }])).toEqual([{ title: 'abc123', author: { last: 'zzz', first: 'aaa' } }]);
    expect(Object.keys(run([book()], [{ $project: { lastModified: 0 } }])[0] as Doc)).toEqual(['_id', 'title', 'isbn', 'author', 'copies']);
    expect((run([book()], [{ $project: { 'author.first': 0, lastModified: 0 } }])[0] as Doc)['author']).toEqual({ last: 'zzz' });
  });

  it('computes fields, nested computed objects and array literals', () => {
    const out = run([book()], [{ $project: {
      title: 1,
      isbn: { prefix: { $substr: ['$isbn', 0, 3] }, group: { $substr: ['$isbn', 3, 2] }, publisher: { $substr: ['$isbn', 5, 4] },
        title: { $substr: ['$isbn', 9, 3] }, checkDigit: { $substr: ['$isbn', 12, 1] } },
      lastName: '$author.last', copiesSold: '$copies', myArray: ['$copies', '$someField'],
    } }]);
    expect(out).toEqual([{ _id: 1, title: 'abc123', isbn: { prefix: '000', group: '11', publisher: '2222', title: '333', checkDigit: '4' },
      lastName: 'zzz', copiesSold: 5, myArray: [5, null] }]);
  });

  it('puts a computed _id first', () => {
    expect(Object.keys(run([book()], [{ $project: { title: 1, _id: '$isbn' } }])[0] as Doc)).toEqual(['_id', 'title']);
  });

  it('removes fields conditionally with $$REMOVE', () => {
    const docs = [{ _id: 1, title: 'a', author: { last: 'x', first: 'y', middle: '' } }, { _id: 2, title: 'b', author: { last: 'x', first: 'y', middle: 'm' } }];
    const out = run(docs, [{ $project: { title: 1, 'author.first': 1, 'author.last': 1,
      'author.middle': { $cond: { if: { $eq: ['', '$author.middle'] }, then: '$$REMOVE', else: '$author.middle' } } } }]);
    expect(out).toEqual([{ _id: 1, title: 'a', author: { last: 'x', first: 'y' } }, { _id: 2, title: 'b', author: { last: 'x', first: 'y', middle: 'm' } }]);
  });

  it('projects through arrays of embedded documents', () => {
    const doc = { _id: 1, stop: [{ title: 'A', n: 1 }, { title: 'B', n: 2 }, 'scalar'] };
    expect(run([doc], [{ $project: { 'stop.title': 1 } }])).toEqual([{ _id: 1, stop: [{ title: 'A' }, { title: 'B' }] }]);
    expect(run([doc], [{ $project: { 'stop.n': 0 } }])).toEqual([{ _id: 1, stop: [{ title: 'A' }, { title: 'B' }, 'scalar'] }]);
  });

  it('rejects mixed projections and find-only operators', () => {
    expect(codeOf(() => run([book()], [{ $project: { title: 1, copies: 0 } }]))).toBe(31254);
    expect(codeOf(() => run([book()], [{ $project: { copies: 0, title: 1 } }]))).toBe(31253);
    expect(codeOf(() => run([book()], [{ $project: {} }]))).toBe(51272);
    expect(codeOf(() => run([book()], [{ $project: { a: { $slice: 1 } } }]))).toBe(31324);
    expect(codeOf(() => run([book()], [{ $project: { a: 1, 'a.b': 1 } }]))).toBe(31249);
    expect(codeOf(() => run([book()], [{ $project: { 'a.b': 1, a: 1 } }]))).toBe(31250);
  });
});

describe('$addFields / $set / $unset', () => {
  it('adds computed fields in sequence ($addFields example)', () => {
    const scores = [{ _id: 1, student: 'Maya', homework: [10, 5, 10], quiz: [10, 8], extraCredit: 0 }];
    const out = run(scores, [
      { $addFields: { totalHomework: { $sum: '$homework' }, totalQuiz: { $sum: '$quiz' } } },
      { $set: { totalScore: { $add: ['$totalHomework', '$totalQuiz', '$extraCredit'] } } },
    ]);
    expect(out).toEqual([{ ...scores[0], totalHomework: 25, totalQuiz: 18, totalScore: 43 }]);
  });

  it('adds into embedded documents, creating them when missing', () => {
    const vehicles = [{ _id: 1, type: 'car', specs: { doors: 4, wheels: 4 } }, { _id: 3, type: 'jet ski' }];
    expect(run(vehicles, [{ $addFields: { 'specs.fuel_type': 'unleaded' } }])).toEqual([
      { _id: 1, type: 'car', specs: { doors: 4, wheels: 4, fuel_type: 'unleaded' } },
      { _id: 3, type: 'jet ski', specs: { fuel_type: 'unleaded' } },
    ]);
    expect(run(vehicles, [{ $set: { specs: { wheels: 5 } } }])[0]).toEqual({ _id: 1, type: 'car', specs: { doors: 4, wheels: 5 } });
    expect(run([{ _id: 1, a: 1, b: 2 }], [{ $set: { a: 10, b: '$$REMOVE', c: true } }])).toEqual([{ _id: 1, a: 10, c: true }]);
  });

  it('$unset removes top-level and embedded fields', () => {
    expect(run([book()], [{ $unset: ['isbn', 'author.first', 'copies'] }])).toEqual([{ _id: 1, title: 'abc123', author: { last: 'zzz' }, lastModified: '2016-07-28' }]);
    expect(run([book()], [{ $unset: 'isbn' }])[0]).not.toHaveProperty('isbn');
  });
});

// $group reference example collection "sales" (prices as doubles here).
const sales = (): Doc[] => [
  { _id: 1, item: 'abc', price: 10, quantity: 2, date: new Date('2014-03-01T08:00:00Z') },
  { _id: 2, item: 'jkl', price: 20, quantity: 1, date: new Date('2014-03-01T09:00:00Z') },
  { _id: 3, item: 'xyz', price: 5, quantity: 10, date: new Date('2014-03-15T09:00:00Z') },
  { _id: 4, item: 'xyz', price: 5, quantity: 20, date: new Date('2014-04-04T11:21:39.736Z') },
  { _id: 5, item: 'abc', price: 10, quantity: 10, date: new Date('2014-04-04T21:23:13.331Z') },
  { _id: 6, item: 'def', price: 7.5, quantity: 5, date: new Date('2015-06-04T05:08:13Z') },
  { _id: 7, item: 'def', price: 7.5, quantity: 10, date: new Date('2015-09-10T08:43:00Z') },
  { _id: 8, item: 'abc', price: 10, quantity: 5, date: new Date('2016-02-06T20:20:13Z') },
];

describe('$group', () => {
  it('groups by a field and filters on the total ($group example)', () => {
    const out = run(sales(), [
      { $group: { _id: '$item', totalSaleAmount: { $sum: { $multiply: ['$price', '$quantity'] } } } },
      { $match: { totalSaleAmount: { $gte: 100 } } },
      { $sort: { totalSaleAmount: -1 } },
    ]);
    expect(out).toEqual([{ _id: 'abc', totalSaleAmount: 170 }, { _id: 'xyz', totalSaleAmount: 150 }, { _id: 'def', totalSaleAmount: 112.5 }]);
  });

  it('groups everything with _id null, and $count: {}', () => {
    expect(run(sales(), [{ $group: { _id: null, totalSaleAmount: { $sum: { $multiply: ['$price', '$quantity'] } },
      averageQuantity: { $avg: '$quantity' }, count: { $sum: 1 }, n: { $count: {} } } }]))
      .toEqual([{ _id: null, totalSaleAmount: 452.5, averageQuantity: 7.875, count: 8, n: 8 }]);
    expect(run([], [{ $group: { _id: null, n: { $sum: 1 } } }])).toEqual([]);
  });

  it('groups by a computed date key ($group by day example)', () => {
    const out = run(sales(), [
      { $match: { date: { $gte: new Date('2014-01-01'), $lt: new Date('2015-01-01') } } },
      { $group: { _id: { $dateToString: { format: '%Y-%m-%d', date: '$date' } }, totalSaleAmount: { $sum: { $multiply: ['$price', '$quantity'] } },
        averageQuantity: { $avg: '$quantity' }, count: { $sum: 1 } } },
      { $sort: { totalSaleAmount: -1 } },
    ]);
    expect(out).toEqual([
      { _id: '2014-04-04', totalSaleAmount: 200, averageQuantity: 15, count: 2 },
      { _id: '2014-03-15', totalSaleAmount: 50, averageQuantity: 10, count: 1 },
      { _id: '2014-03-01', totalSaleAmount: 40, averageQuantity: 1.5, count: 2 },
    ]);
  });

  it('supports every accumulator and compound keys', () => {
    const docs = [
      { k: { a: 1 }, v: 3, t: 'x', o: { p: 1 } }, { k: { a: 1 }, v: 1, t: 'y', o: { q: 2 } },
      { k: { a: 1 }, t: 'x', o: null }, { k: { a: 2 }, v: 5, t: 'z' },
    ];
    const out = run(docs, [{ $group: { _id: { a: '$k.a' }, sum: { $sum: '$v' }, avg: { $avg: '$v' }, min: { $min: '$v' }, max: { $max: '$v' },
      first: { $first: '$v' }, last: { $last: '$v' }, push: { $push: '$v' }, set: { $addToSet: '$t' }, merged: { $mergeObjects: '$o' },
      sd: { $stdDevPop: '$v' } } }]);
    expect(out).toEqual([
      { _id: { a: 1 }, sum: 4, avg: 2, min: 1, max: 3, first: 3, last: null, push: [3, 1], set: ['x', 'y'], merged: { p: 1, q: 2 }, sd: 1 },
      { _id: { a: 2 }, sum: 5, avg: 5, min: 5, max: 5, first: 5, last: 5, push: [5], set: ['z'], merged: {}, sd: 0 },
    ]);
  });

  it('validates the specification', () => {
    expect(codeOf(() => run(sales(), [{ $group: { total: { $sum: 1 } } }]))).toBe(15955);
    expect(codeOf(() => run(sales(), [{ $group: { _id: null, t: { $median: 1 } } }]))).toBe(15952);
    expect(codeOf(() => run(sales(), [{ $group: { _id: null, 'a.b': { $sum: 1 } } }]))).toBe(40235);
  });
});

describe('$sort, $skip, $limit, $count, $sortByCount, $sample, $bucket', () => {
  it('sorts stably and pages', () => {
    const docs = [{ _id: 1, g: 2 }, { _id: 2, g: 1 }, { _id: 3, g: 2 }, { _id: 4, g: 1 }];
    expect(run(docs, [{ $sort: { g: 1 } }]).map((d) => d['_id'])).toEqual([2, 4, 1, 3]);
    expect(run(docs, [{ $sort: { g: -1, _id: -1 } }, { $skip: 1 }, { $limit: 2 }]).map((d) => d['_id'])).toEqual([1, 4]);
    expect(codeOf(() => run(docs, [{ $limit: 0 }]))).toBe(15958);
    expect(codeOf(() => run(docs, [{ $sort: {} }]))).toBe(15976);
  });

  it('$count counts ($count example: 4 passing scores)', () => {
    const scores = [88, 92, 97, 71, 79, 83].map((score, i) => ({ _id: i + 1, subject: 'History', score }));
    expect(run(scores, [{ $match: { score: { $gt: 80 } } }, { $count: 'passing_scores' }])).toEqual([{ passing_scores: 4 }]);
    expect(run([], [{ $count: 'n' }])).toEqual([]);
    expect(codeOf(() => run(scores, [{ $count: '$n' }]))).toBe(40158);
  });

  it('$sortByCount after $unwind', () => {
    const docs = [{ tags: ['a', 'b'] }, { tags: ['b', 'c'] }, { tags: ['b', 'a'] }];
    expect(run(docs, [{ $unwind: '$tags' }, { $sortByCount: '$tags' }])).toEqual([
      { _id: 'b', count: 3 }, { _id: 'a', count: 2 }, { _id: 'c', count: 1 },
    ]);
  });

  it('$sample returns distinct random documents', () => {
    const docs = Array.from({ length: 20 }, (_, i) => ({ _id: i }));
    const out = run(docs, [{ $sample: { size: 5 } }]);
    expect(new Set(out.map((d) => d['_id'])).size).toBe(5);
    expect(run(docs, [{ $sample: { size: 50 } }])).toHaveLength(20);
    expect(codeOf(() => run(docs, [{ $sample: { size: -1 } }]))).toBe(28747);
  });

  it('$bucket groups into boundaries with a default bucket', () => {
    const docs = [1, 5, 10, 15, 20, 100].map((price) => ({ price }));
    expect(run(docs, [{ $bucket: { groupBy: '$price', boundaries: [0, 10, 20], default: 'Other', output: { count: { $sum: 1 }, p: { $push: '$price' } } } }]))
      .toEqual([{ _id: 0, count: 2, p: [1, 5] }, { _id: 10, count: 2, p: [10, 15] }, { _id: 'Other', count: 2, p: [20, 100] }]);
  });
});

describe('$unwind', () => {
  // $unwind reference example "inventory2".
  const inventory = (): Doc[] => [
    { _id: 1, item: 'ABC', sizes: ['S', 'M', 'L'] }, { _id: 2, item: 'EFG', sizes: [] }, { _id: 3, item: 'IJK', sizes: 'M' },
    { _id: 4, item: 'LMN' }, { _id: 5, item: 'XYZ', sizes: null },
  ];
  it('unwinds arrays and treats scalars as one-element arrays', () => {
    expect(run(inventory(), [{ $unwind: '$sizes' }]).map((d) => [d['_id'], d['sizes']])).toEqual([[1, 'S'], [1, 'M'], [1, 'L'], [3, 'M']]);
  });

  it('includeArrayIndex gives a long index, null for non-arrays', () => {
    const out = run(inventory(), [{ $unwind: { path: '$sizes', includeArrayIndex: 'arrayIndex' } }]);
    expect(out.map((d) => d['arrayIndex'])).toEqual([Long.fromNumber(0), Long.fromNumber(1), Long.fromNumber(2), null]);
  });

  it('preserveNullAndEmptyArrays keeps empty, null and missing', () => {
    const out = run(inventory(), [{ $unwind: { path: '$sizes', preserveNullAndEmptyArrays: true } }]);
    expect(out).toEqual([
      { _id: 1, item: 'ABC', sizes: 'S' }, { _id: 1, item: 'ABC', sizes: 'M' }, { _id: 1, item: 'ABC', sizes: 'L' },
      { _id: 2, item: 'EFG' }, { _id: 3, item: 'IJK', sizes: 'M' }, { _id: 4, item: 'LMN' }, { _id: 5, item: 'XYZ', sizes: null },
    ]);
  });

  it('unwinds embedded paths and validates the path', () => {
    expect(run([{ _id: 1, a: { b: [1, 2] } }], [{ $unwind: '$a.b' }])).toEqual([{ _id: 1, a: { b: 1 } }, { _id: 1, a: { b: 2 } }]);
    expect(codeOf(() => run(inventory(), [{ $unwind: 'sizes' }]))).toBe(28818);
  });
});

describe('$replaceRoot / $replaceWith, errors', () => {
  it('promotes an embedded document ($replaceRoot examples)', () => {
    expect(run([{ _id: 1, name: { first: 'John', last: 'Backus' } }], [{ $replaceRoot: { newRoot: '$name' } }])).toEqual([{ first: 'John', last: 'Backus' }]);
    expect(run([{ _id: 1, pets: { dogs: 2, fish: 1 } }], [{ $replaceWith: { $mergeObjects: [{ dogs: 0, cats: 0, birds: 0, fish: 0 }, '$pets'] } }]))
      .toEqual([{ dogs: 2, cats: 0, birds: 0, fish: 1 }]);
    expect(codeOf(() => run([{ _id: 1 }], [{ $replaceRoot: { newRoot: '$name' } }]))).toBe(40228);
  });

  it('rejects unknown and unsupported stages clearly', () => {
    const err = (() => { try { run([], [{ $foo: {} }]); } catch (e) { return e as CommandError; } return undefined; })();
    expect(err?.code).toBe(40324);
    expect(err?.message).toBe("Unrecognized pipeline stage name: '$foo'");
    expect(codeOf(() => run([], [{ $match: {}, $limit: 1 }]))).toBe(40323);
    const out = (() => { try { run([], [{ $out: 'x' }]); } catch (e) { return e as CommandError; } return undefined; })();
    expect(out?.codeName).toBe('NotImplemented');
    expect(out?.message).toContain('$out');
    expect(codeOf(() => run([], [{ $merge: { into: 'x' } }]))).toBe(238);
  });
});

describe('text score', () => {
  it('is carried through stages for $meta and $sort', () => {
    const docs = [{ _id: 1, t: 'a' }, { _id: 2, t: 'b' }, { _id: 3, t: 'c' }];
    const scores = new Map<unknown, number>([[1, 0.5], [2, 2], [3, 1]]);
    const out = runPipeline(docs, [
      { $match: { $text: { $search: 'x' } } },
      { $project: { t: 1 } },
      { $sort: { score: { $meta: 'textScore' } } },
      { $addFields: { score: { $meta: 'textScore' } } },
    ], { textScore: (d) => scores.get(d['_id']) });
    expect(out).toEqual([{ _id: 2, t: 'b', score: 2 }, { _id: 3, t: 'c', score: 1 }, { _id: 1, t: 'a', score: 0.5 }]);
    // $meta is allowed in an exclusion projection and does not make it an inclusion one.
    const excl = runPipeline(docs, [{ $project: { t: 0, s: { $meta: 'textScore' } } }], { textScore: (d) => scores.get(d['_id']) });
    expect(excl[0]).toEqual({ _id: 1, s: 0.5 });
    expect(codeOf(() => run(docs, [{ $limit: 1 }, { $match: { $text: { $search: 'x' } } }]))).toBe(17313);
  });
});
