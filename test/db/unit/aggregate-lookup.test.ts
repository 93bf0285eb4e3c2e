/**
 * $lookup (all three forms), $unionWith and $facet, against the examples of MongoDB's
 * $lookup and $facet reference pages, plus the sales-dashboard pipelines Vitrine runs.
 */
import { describe, expect, it } from 'vitest';
import { runPipeline, type PipelineContext } from '../../../src/db/embedded/aggregate/pipeline.js';
import { CommandError } from '../../../src/db/embedded/errors.js';

type Doc = Record<string, unknown>;

function withCollections(colls: Record<string, Doc[]>): PipelineContext {
  return { lookup: (name) => colls[name] ?? [] };
}

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof CommandError) return e.code;
    throw e;
  }
  return undefined;
}

describe('$lookup', () => {
  it('equality match, with missing local fields matching null/missing foreign fields ($lookup example)', () => {
    const orders = [{ _id: 1, item: 'almonds', price: 12, quantity: 2 }, { _id: 2, item: 'pecans', price: 20, quantity: 1 }, { _id: 3 }];
    const inventory = [
      { _id: 1, sku: 'almonds', instock: 120 }, { _id: 2, sku: 'bread', instock: 80 }, { _id: 3, sku: 'cashews', instock: 60 },
      { _id: 4, sku: 'pecans', instock: 70 }, { _id: 5, sku: null, description: 'Incomplete' }, { _id: 6 },
    ];
    const out = runPipeline(orders, [{ $lookup: { from: 'inventory', localField: 'item', foreignField: 'sku', as: 'inventory_docs' } }], withCollections({ inventory }));
    expect(out.map((o) => (o['inventory_docs'] as Doc[]).map((d) => d['_id']))).toEqual([[1], [4], [5, 6]]);
  });

  it('matches array local fields element by element ($lookup with an array example)', () => {
    const classes = [{ _id: 1, title: 'Reading is ...', enrollmentlist: ['giraffe2', 'pandabear', 'artie'] }];
    const members = [{ _id: 1, name: 'artie' }, { _id: 2, name: 'giraffe' }, { _id: 3, name: 'giraffe1' }, { _id: 4, name: 'pandabear' }, { _id: 5, name: 'giraffe2' }];
    const out = runPipeline(classes, [{ $lookup: { from: 'members', localField: 'enrollmentlist', foreignField: 'name', as: 'enrollee_info' } }], withCollections({ members }));
    expect((out[0]?.['enrollee_info'] as Doc[]).map((m) => m['name'])).toEqual(['artie', 'pandabear', 'giraffe2']);
    // And the reverse: a scalar local value matches a foreign array containing it.
    const tagged = [{ _id: 1, tags: ['x', 'y'] }, { _id: 2, tags: ['z'] }];
    const res = runPipeline([{ t: 'y' }], [{ $lookup: { from: 'tagged', localField: 't', foreignField: 'tags', as: 'hits' } }], withCollections({ tagged }));
    expect(res[0]?.['hits']).toEqual([tagged[0]]);
  });

  it('runs a let + pipeline sub-query with $expr ($lookup multiple join conditions example)', () => {
    const orders = [{ _id: 1, item: 'almonds', price: 12, ordered: 2 }, { _id: 2, item: 'pecans', price: 20, ordered: 1 }, { _id: 3, item: 'cookies', price: 10, ordered: 60 }];
    const warehouses = [
      { _id: 1, stock_item: 'almonds', warehouse: 'A', instock: 120 }, { _id: 2, stock_item: 'pecans', warehouse: 'A', instock: 80 },
      { _id: 3, stock_item: 'almonds', warehouse: 'B', instock: 60 }, { _id: 4, stock_item: 'cookies', warehouse: 'B', instock: 40 },
      { _id: 5, stock_item: 'cookies', warehouse: 'A', instock: 80 },
    ];
    const out = runPipeline(orders, [{ $lookup: {
      from: 'warehouses', let: { order_item: '$item', order_qty: '$ordered' },
      pipeline: [
        { $match: { $expr: { $and: [{ $eq: ['$stock_item', '$$order_item'] }, { $gte: ['$instock', '$$order_qty'] }] } } },
        { $project: { stock_item: 0, _id: 0 } },
      ],
      as: 'stockdata',
    } }], withCollections({ warehouses }));
    expect(out.map((o) => o['stockdata'])).toEqual([
      [{ warehouse: 'A', instock: 120 }, { warehouse: 'B', instock: 60 }],
      [{ warehouse: 'A', instock: 80 }],
      [{ warehouse: 'A', instock: 80 }],
    ]);
  });

  it('combines localField/foreignField with a pipeline (5.0 concise syntax)', () => {
    const restaurants = [{ _id: 1, name: 'American Steak House', food: ['filet', 'sirloin'], beverages: ['beer', 'wine'] },
      { _id: 2, name: 'Honest John Pizza', food: ['cheese pizza', 'pepperoni pizza'], beverages: ['soda'] }];
    const orders = [{ _id: 1, item: 'filet', restaurant_name: 'American Steak House' }, { _id: 3, item: 'cheese pizza', restaurant_name: 'Honest John Pizza', drink: 'lemonade' }];
    const out = runPipeline(orders, [{ $lookup: {
      from: 'restaurants', localField: 'restaurant_name', foreignField: 'name', let: { orders_drink: '$drink' },
      pipeline: [{ $match: { $expr: { $in: ['$$orders_drink', '$beverages'] } } }], as: 'matches',
    } }], withCollections({ restaurants }));
    expect(out.map((o) => (o['matches'] as Doc[]).length)).toEqual([0, 0]);
    const withDrink = runPipeline([{ _id: 9, restaurant_name: 'American Steak House', drink: 'wine' }], [{ $lookup: {
      from: 'restaurants', localField: 'restaurant_name', foreignField: 'name', let: { d: '$drink' },
      pipeline: [{ $match: { $expr: { $in: ['$$d', '$beverages'] } } }, { $project: { name: 1, _id: 0 } }], as: 'matches',
    } }], withCollections({ restaurants }));
    expect(withDrink[0]?.['matches']).toEqual([{ name: 'American Steak House' }]);
  });

  it('validates its arguments', () => {
    const ctx = withCollections({});
    expect(codeOf(() => runPipeline([{}], [{ $lookup: { from: 'x', localField: 'a', as: 'y' } }], ctx))).toBe(40321);
    expect(codeOf(() => runPipeline([{}], [{ $lookup: { from: 'x', as: 'y' } }], ctx))).toBe(40321);
    expect(codeOf(() => runPipeline([{}], [{ $lookup: { from: 'x', as: 'y', pipeline: [{ $out: 'z' }] } }], ctx))).toBe(40601);
  });
});

describe('$unionWith', () => {
  it('appends another collection, optionally through a pipeline', () => {
    const out = runPipeline([{ _id: 1, y: 2017 }], [{ $unionWith: { coll: 'sales2018', pipeline: [{ $project: { _id: 1 } }] } }],
      withCollections({ sales2018: [{ _id: 2, y: 2018 }] }));
    expect(out).toEqual([{ _id: 1, y: 2017 }, { _id: 2 }]);
  });
});

describe('$facet', () => {
  it('runs several sub-pipelines over the same input ($facet example shape)', () => {
    const artwork = [
      { _id: 1, title: 'The Pillars of Society', price: 199.99, tags: ['painting', 'satire', 'Expressionism'] },
      { _id: 2, title: 'Melancholy III', price: 280.0, tags: ['woodcut', 'Expressionism'] },
      { _id: 3, title: 'Dancer', price: 76.04, tags: ['oil', 'Surrealism', 'painting'] },
      { _id: 4, title: 'The Great Wave off Kanagawa', price: 167.3, tags: ['woodblock', 'ukiyo-e'] },
    ];
    const out = runPipeline(artwork, [{ $facet: {
      categorizedByTags: [{ $unwind: '$tags' }, { $sortByCount: '$tags' }, { $limit: 2 }],
      categorizedByPrice: [{ $match: { price: { $exists: 1 } } }, { $bucket: { groupBy: '$price', boundaries: [0, 150, 200, 300], default: 'Other',
        output: { count: { $sum: 1 }, titles: { $push: '$title' } } } }],
      total: [{ $count: 'n' }],
    } }], {});
    expect(out).toEqual([{
      categorizedByTags: [{ _id: 'painting', count: 2 }, { _id: 'Expressionism', count: 2 }],
      categorizedByPrice: [
        { _id: 0, count: 1, titles: ['Dancer'] },
        { _id: 150, count: 2, titles: ['The Pillars of Society', 'The Great Wave off Kanagawa'] },
        { _id: 200, count: 1, titles: ['Melancholy III'] },
      ],
      total: [{ n: 4 }],
    }]);
    expect(codeOf(() => runPipeline(artwork, [{ $facet: { a: [{ $facet: { b: [{ $limit: 1 }] } }] } }], {}))).toBe(40600);
  });
});

describe('sales dashboard pipelines', () => {
  // Orders as Vitrine stores them: money in cents, lines embedded.
  const orders = (): Doc[] => [
    { _id: 'o1', status: 'paid', placedAt: new Date('2024-03-09T13:00:00Z'), totalCents: 3000,
      lines: [{ sku: 'mug', qty: 2, unitCents: 1000 }, { sku: 'tee', qty: 1, unitCents: 1000 }] },
    // 01:30 UTC on the 10th is still the 9th in São Paulo.
    { _id: 'o2', status: 'paid', placedAt: new Date('2024-03-10T01:30:00Z'), totalCents: 2500, lines: [{ sku: 'tee', qty: 1, unitCents: 2500 }] },
    { _id: 'o3', status: 'paid', placedAt: new Date('2024-03-10T15:00:00Z'), totalCents: 5000, lines: [{ sku: 'poster', qty: 5, unitCents: 1000 }] },
    { _id: 'o4', status: 'cancelled', placedAt: new Date('2024-03-10T16:00:00Z'), totalCents: 9900, lines: [{ sku: 'mug', qty: 99, unitCents: 100 }] },
    { _id: 'o5', status: 'paid', placedAt: new Date('2024-04-01T12:00:00Z'), totalCents: 100, lines: [{ sku: 'mug', qty: 1, unitCents: 100 }] },
  ];
  const range = { $gte: new Date('2024-03-01T03:00:00Z'), $lt: new Date('2024-04-01T03:00:00Z') };

  it('revenue per local day with $dateToString and a time zone', () => {
    const out = runPipeline(orders(), [
      { $match: { status: 'paid', placedAt: range } },
      { $group: { _id: { $dateToString: { format: '%Y-%m-%d', date: '$placedAt', timezone: 'America/Sao_Paulo' } },
        revenueCents: { $sum: '$totalCents' }, orders: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ], {});
    expect(out).toEqual([{ _id: '2024-03-09', revenueCents: 5500, orders: 2 }, { _id: '2024-03-10', revenueCents: 5000, orders: 1 }]);
  });

  it('revenue per local day with $dateTrunc', () => {
    const out = runPipeline(orders(), [
      { $match: { status: 'paid', placedAt: range } },
      { $group: { _id: { $dateTrunc: { date: '$placedAt', unit: 'day', timezone: 'America/Sao_Paulo' } }, revenueCents: { $sum: '$totalCents' } } },
      { $sort: { _id: 1 } },
    ], {});
    expect(out).toEqual([
      { _id: new Date('2024-03-09T03:00:00Z'), revenueCents: 5500 },
      { _id: new Date('2024-03-10T03:00:00Z'), revenueCents: 5000 },
    ]);
  });

  it('top products by revenue from unwound order lines', () => {
    const out = runPipeline(orders(), [
      { $match: { status: 'paid' } },
      { $unwind: '$lines' },
      { $group: { _id: '$lines.sku', revenueCents: { $sum: { $multiply: ['$lines.qty', '$lines.unitCents'] } }, units: { $sum: '$lines.qty' } } },
      { $sort: { revenueCents: -1, _id: 1 } },
      { $limit: 2 },
    ], {});
    expect(out).toEqual([{ _id: 'poster', revenueCents: 5000, units: 5 }, { _id: 'tee', revenueCents: 3500, units: 2 }]);
  });
});
