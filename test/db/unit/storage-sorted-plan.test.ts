import { ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/db/embedded/storage/engine.js';
import { memoryPersistence } from '../../../src/db/embedded/storage/memory-persistence.js';
import { findDocs } from '../../../src/db/embedded/storage/query-plan.js';
import { compileSort } from '../../../src/db/embedded/query/sort.js';
import type { Doc, JournalOp } from '../../../src/db/embedded/storage/types.js';

function seeded(count: number, make: (i: number) => Doc = (i) => ({ price: (i * 7919) % 500, kind: i % 4 === 0 ? 'draft' : 'live', name: `n${i}` })) {
  const engine = new Engine(memoryPersistence());
  const ops: JournalOp[] = [];
  const coll = engine.ensureCollection('db', 'items', ops);
  for (let i = 0; i < count; i++) engine.writeDoc(coll, undefined, { _id: new ObjectId(), ...make(i) }, ops);
  return { engine, coll, ops };
}

/** The same query answered the slow way: every document, sorted by the comparator, sliced. */
function reference(docs: Iterable<Doc>, filter: (d: Doc) => boolean, sort: Doc, skip: number, limit: number): unknown[] {
  return [...docs].filter(filter).sort(compileSort(sort)).slice(skip, skip + limit).map((d) => d._id);
}

describe('index-served sorts', () => {
  it('walks an index for sort + limit from the skip position (empty filter): the same page as a full sort, only the page examined', () => {
    const { engine, coll, ops } = seeded(2000);
    engine.createIndex(coll, { v: 2, key: { price: 1, _id: 1 }, name: 'price_1__id_1' }, ops);
    for (const [sort, skip] of [[{ price: 1, _id: 1 }, 700], [{ price: -1, _id: -1 }, 40], [{ price: 1 }, 0]] as const) {
      coll.scanned = 0;
      const page = findDocs(coll, {}, { sort, skip, limit: 50 }).docs.map((d) => d._id);
      expect(coll.scanned).toBe(50);
      // Ties on price alone may come in another order than a stable sort's: compare prices there.
      const expected = reference(coll.docs.values(), () => true, sort, skip, 50);
      const priceOf = (id: unknown) => findDocs(coll, { _id: id }).docs[0]?.price;
      if (Object.keys(sort).length === 2) expect(page).toEqual(expected);
      else expect(page.map(priceOf)).toEqual(expected.map(priceOf));
    }
  });

  it('applies the filter during the walk and keeps the order through updates and deletes', () => {
    const { engine, coll, ops } = seeded(1000);
    engine.createIndex(coll, { v: 2, key: { price: 1, _id: 1 }, name: 'p' }, ops);
    const sort = { price: 1, _id: 1 };
    findDocs(coll, {}, { sort, limit: 1 }); // builds the order
    const docs = [...coll.docs.values()];
    for (let i = 0; i < 300; i++) {
      const d = docs[i]!;
      if (i % 3 === 0) engine.writeDoc(coll, d, undefined, ops);
      else engine.writeDoc(coll, d, { ...d, price: i % 2 === 0 ? `text-${i}` : 1000 - i }, ops);
    }
    engine.writeDoc(coll, undefined, { _id: new ObjectId(), kind: 'live' }, ops); // missing price sorts first
    const isLive = (d: Doc) => d.kind === 'live';
    coll.scanned = 0;
    const page = findDocs(coll, { kind: 'live' }, { sort, skip: 30, limit: 20 }).docs.map((d) => d._id);
    expect(coll.scanned).toBeLessThan(100);
    expect(page).toEqual(reference(coll.docs.values(), isLive, sort, 30, 20));
    const all = findDocs(coll, { kind: 'live' }, { sort: { price: -1, _id: -1 } }).docs.map((d) => d._id);
    expect(all).toEqual(reference(coll.docs.values(), isLive, { price: -1, _id: -1 }, 0, 10_000));
  });

  it('prefers a small equality candidate set over walking a sort index', () => {
    const { engine, coll, ops } = seeded(2000, (i) => ({ price: i % 97, sku: `s${i % 400}` }));
    engine.createIndex(coll, { v: 2, key: { price: 1 }, name: 'price_1' }, ops);
    engine.createIndex(coll, { v: 2, key: { sku: 1 }, name: 'sku_1' }, ops);
    coll.scanned = 0;
    const ids = findDocs(coll, { sku: 's7' }, { sort: { price: 1 }, limit: 3 }).docs.map((d) => d._id);
    expect(coll.scanned).toBe(5);
    expect(ids).toEqual(reference(coll.docs.values(), (d) => d.sku === 's7', { price: 1 }, 0, 3));
    // Without such a candidate set the same sort walks the index.
    coll.scanned = 0;
    findDocs(coll, { sku: { $regex: '^s' } }, { sort: { price: 1 }, limit: 3 });
    expect(coll.scanned).toBe(3);
  });

  it('sorts a small candidate set even when a walk looks cheaper on average (candidates at the far end of the index)', () => {
    const { engine, coll, ops } = seeded(5000, (i) => ({ price: i }));
    engine.createIndex(coll, { v: 2, key: { price: 1, _id: 1 }, name: 'price' }, ops);
    const last = [...coll.docs.values()].filter((d) => (d.price as number) >= 4600).map((d) => d._id);
    expect(last).toHaveLength(400);
    coll.scanned = 0;
    const page = findDocs(coll, { _id: { $in: last } }, { sort: { price: 1, _id: 1 }, limit: 25 }).docs.map((d) => d._id);
    expect(coll.scanned).toBe(400); // a walk from the low end would examine 4,625
    expect(page).toEqual(reference(coll.docs.values(), (d) => (d.price as number) >= 4600, { price: 1, _id: 1 }, 0, 25));
  });

  it('never serves a sort from a multikey, sparse or partial index, or with mismatched directions', () => {
    const { engine, coll, ops } = seeded(300, (i) => ({ tags: [i % 5, 10 - (i % 5)], a: i % 7, b: i % 11, s: i % 2 === 0 ? i : undefined }));
    engine.createIndex(coll, { v: 2, key: { tags: 1 }, name: 'tags_1' }, ops);
    engine.createIndex(coll, { v: 2, key: { a: 1, b: 1 }, name: 'a_1_b_1' }, ops);
    engine.createIndex(coll, { v: 2, key: { s: 1 }, name: 's_1', sparse: true }, ops);
    for (const sort of [{ tags: 1 }, { tags: -1 }, { a: 1, b: -1 }, { b: 1 }, { s: 1 }]) {
      coll.scanned = 0;
      const docs = findDocs(coll, {}, { sort, limit: 10 }).docs.map((d) => d._id);
      expect(coll.scanned, JSON.stringify(sort)).toBe(300);
      expect(docs).toEqual(reference(coll.docs.values(), () => true, sort, 0, 10));
    }
    // A document with an array turns an index multikey: the order stops being used.
    engine.createIndex(coll, { v: 2, key: { b: 1 }, name: 'b_1' }, ops);
    coll.scanned = 0;
    findDocs(coll, {}, { sort: { b: 1 }, limit: 5 });
    expect(coll.scanned).toBe(5);
    engine.writeDoc(coll, undefined, { _id: new ObjectId(), b: [50, -50] }, ops);
    coll.scanned = 0;
    const docs = findDocs(coll, {}, { sort: { b: 1 }, limit: 5 }).docs;
    expect(coll.scanned).toBe(301);
    expect(docs[0]?.b).toEqual([50, -50]);
  });
});
