import { ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/db/embedded/storage/engine.js';
import { memoryPersistence } from '../../../src/db/embedded/storage/memory-persistence.js';
import { findDocs } from '../../../src/db/embedded/storage/query-plan.js';
import type { JournalOp } from '../../../src/db/embedded/storage/types.js';

function seeded(count: number) {
  const engine = new Engine(memoryPersistence());
  const ops: JournalOp[] = [];
  const coll = engine.ensureCollection('db', 'items', ops);
  const ids: ObjectId[] = [];
  for (let i = 0; i < count; i++) {
    const _id = new ObjectId();
    ids.push(_id);
    engine.writeDoc(coll, undefined, { _id, sku: `sku-${i}`, cat: i % 10, tags: [`t${i % 7}`, 'all'] }, ops);
  }
  return { engine, coll, ids, ops };
}

describe('query planning', () => {
  it('looks up _id equality and $in without scanning', () => {
    const { coll, ids } = seeded(1000);
    coll.scanned = 0;
    expect(findDocs(coll, { _id: ids[500] }).docs).toHaveLength(1);
    expect(coll.scanned).toBe(1);
    coll.scanned = 0;
    expect(findDocs(coll, { _id: { $in: [ids[1], ids[2], new ObjectId()] } }).docs).toHaveLength(2);
    expect(coll.scanned).toBe(2);
  });

  it('answers a plain _id equality from the primary key with the usual match semantics', () => {
    const engine = new Engine(memoryPersistence());
    const ops: JournalOp[] = [];
    const coll = engine.ensureCollection('db', 'byid', ops);
    const at = new Date('2024-01-02T03:04:05Z');
    for (const _id of [1, 2.5, 'one', at, { a: 1, b: 2 }]) engine.writeDoc(coll, undefined, { _id, v: String(_id) }, ops);
    coll.scanned = 0;
    expect(findDocs(coll, { _id: 1 }).docs.map((d) => d.v)).toEqual(['1']);
    expect(findDocs(coll, { _id: 2.5 }).docs).toHaveLength(1);
    expect(findDocs(coll, { _id: 'one' }).docs).toHaveLength(1);
    expect(findDocs(coll, { _id: new Date(at.getTime()) }).docs).toHaveLength(1);
    expect(findDocs(coll, { _id: '1' }).docs).toHaveLength(0); // no string/number coercion
    expect(findDocs(coll, { _id: 1 }, { skip: 1 }).docs).toHaveLength(0);
    expect(findDocs(coll, { _id: 1 }, { limit: 1 }).docs).toHaveLength(1);
    expect(coll.scanned).toBe(6);
    // Shapes outside the fast path still go through the matcher.
    expect(findDocs(coll, { _id: { b: 2, a: 1 } }).docs).toHaveLength(0); // field order matters
    expect(findDocs(coll, { _id: { a: 1, b: 2 } }).docs).toHaveLength(1);
    expect(findDocs(coll, { _id: 1, v: '2' }).docs).toHaveLength(0);
    expect(findDocs(coll, { _id: 1 }, { sort: { v: 1 } }).docs).toHaveLength(1);
    expect(findDocs(undefined, { _id: 1 }).docs).toHaveLength(0);
  });

  it('uses the leading field of a compound index, including multikey values', () => {
    const { engine, coll, ops } = seeded(1000);
    engine.createIndex(coll, { v: 2, key: { sku: 1, cat: 1 }, name: 'sku_1_cat_1' }, ops);
    engine.createIndex(coll, { v: 2, key: { tags: 1 }, name: 'tags_1' }, ops);
    coll.scanned = 0;
    expect(findDocs(coll, { sku: 'sku-42', cat: 2 }).docs).toHaveLength(1);
    expect(coll.scanned).toBe(1);
    coll.scanned = 0;
    expect(findDocs(coll, { $and: [{ tags: 't3' }, { cat: 3 }] }).docs.length).toBeGreaterThan(0);
    expect(coll.scanned).toBeLessThanOrEqual(143);
  });

  it('scans when no index applies, and never uses a partial index for equality', () => {
    const { engine, coll, ops } = seeded(200);
    engine.createIndex(coll, { v: 2, key: { cat: 1 }, name: 'cat_1', partialFilterExpression: { cat: { $gt: 5 } } }, ops);
    coll.scanned = 0;
    expect(findDocs(coll, { cat: 1 }).docs).toHaveLength(20);
    expect(coll.scanned).toBe(200);
  });

  it('keeps indexes in step with updates and deletes', () => {
    const { engine, coll, ops } = seeded(10);
    engine.createIndex(coll, { v: 2, key: { sku: 1 }, name: 'sku_1' }, ops);
    const doc = findDocs(coll, { sku: 'sku-3' }).docs[0]!;
    engine.writeDoc(coll, doc, { ...doc, sku: 'renamed' }, ops);
    expect(findDocs(coll, { sku: 'sku-3' }).docs).toHaveLength(0);
    expect(findDocs(coll, { sku: 'renamed' }).docs).toHaveLength(1);
    engine.writeDoc(coll, findDocs(coll, { sku: 'renamed' }).docs[0], undefined, ops);
    expect(findDocs(coll, { sku: 'renamed' }).docs).toHaveLength(0);
    expect(coll.docs.size).toBe(9);
  });

  it('journals every change and rebuilds the same state from a snapshot', () => {
    const { engine, ops } = seeded(3);
    expect(ops.map((o) => o.op)).toEqual(['createColl', 'put', 'put', 'put']);
    const copy = Engine.fromState(engine.getState(), memoryPersistence());
    expect(copy.getCollection('db', 'items')?.docs.size).toBe(3);
  });
});
