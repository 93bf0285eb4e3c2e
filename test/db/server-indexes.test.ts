import { MongoServerError, ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { useServerWithClient } from './fixtures/server-client.js';

const { freshDb } = useServerWithClient('idx', { ttlSweepIntervalMs: 50 });

async function rejection(p: Promise<unknown>): Promise<MongoServerError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof MongoServerError) return err;
    throw err;
  }
  throw new Error('operation succeeded');
}

describe('createIndexes / listIndexes / dropIndexes', () => {
  it('reports counts, treats an identical index as a no-op and detects conflicts', async () => {
    const db = freshDb();
    const first = await db.command({ createIndexes: 'c', indexes: [{ key: { a: 1 }, name: 'a_1' }] });
    expect(first).toMatchObject({ numIndexesBefore: 1, numIndexesAfter: 2, createdCollectionAutomatically: true, ok: 1 });
    const again = await db.command({ createIndexes: 'c', indexes: [{ key: { a: 1 }, name: 'a_1' }] });
    expect(again).toMatchObject({ numIndexesBefore: 2, numIndexesAfter: 2, createdCollectionAutomatically: false });
    const keyConflict = await rejection(db.command({ createIndexes: 'c', indexes: [{ key: { b: 1 }, name: 'a_1' }] }));
    expect(keyConflict).toMatchObject({ code: 86, codeName: 'IndexKeySpecsConflict' });
    const optConflict = await rejection(db.command({ createIndexes: 'c', indexes: [{ key: { a: 1 }, name: 'a_1', unique: true }] }));
    expect(optConflict).toMatchObject({ code: 85, codeName: 'IndexOptionsConflict' });
    const list = await db.collection('c').listIndexes().toArray();
    expect(list).toEqual([{ v: 2, key: { _id: 1 }, name: '_id_' }, { v: 2, key: { a: 1 }, name: 'a_1' }]);
  });

  it('listIndexes and dropIndexes on a missing collection, dropping by name, key and *', async () => {
    const db = freshDb();
    expect((await rejection(db.collection('none').listIndexes().toArray())).code).toBe(26);
    const coll = db.collection('c');
    await coll.createIndexes([{ key: { a: 1 } }, { key: { b: -1 } }, { key: { c: 1 } }]);
    await coll.dropIndex('a_1');
    await coll.dropIndex({ b: -1 } as unknown as string);
    expect((await coll.indexes()).map((i) => i.name)).toEqual(['_id_', 'c_1']);
    expect((await rejection(coll.dropIndex('nope'))).code).toBe(27);
    expect((await rejection(coll.dropIndex('_id_'))).code).toBe(72);
    expect((await rejection(coll.createIndex({ '$**': 1 }))).codeName).toBe('NotImplemented');
    expect((await rejection(coll.createIndex({ 'a.$**': 1 }))).codeName).toBe('NotImplemented');
    await coll.dropIndexes();
    expect((await coll.indexes()).map((i) => i.name)).toEqual(['_id_']);
  });
});

describe('unique indexes', () => {
  it('compound unique keys report keyPattern and keyValue', async () => {
    const coll = freshDb().collection('c');
    await coll.createIndex({ a: 1, b: -1 }, { unique: true });
    await coll.insertOne({ a: 1, b: 'x' });
    await coll.insertOne({ a: 1, b: 'y' });
    const err = await rejection(coll.insertOne({ a: 1, b: 'x' }));
    expect(err.code).toBe(11000);
    expect(err.message).toBe(`E11000 duplicate key error collection: ${coll.namespace} index: a_1_b_-1 dup key: { a: 1, b: "x" }`);
    expect(err.errorResponse).toMatchObject({ keyPattern: { a: 1, b: -1 }, keyValue: { a: 1, b: 'x' } });
  });

  it('sparse unique ignores missing fields; non-sparse treats missing as null', async () => {
    const db = freshDb();
    const sparse = db.collection('s');
    await sparse.createIndex({ email: 1 }, { unique: true, sparse: true });
    await sparse.insertMany([{ x: 1 }, { x: 2 }]);
    await expect(sparse.insertMany([{ email: 'a' }, { email: 'a' }])).rejects.toMatchObject({ code: 11000 });
    const dense = db.collection('d');
    await dense.createIndex({ email: 1 }, { unique: true });
    await dense.insertOne({ x: 1 });
    const err = await rejection(dense.insertOne({ x: 2 }));
    expect(err.message).toContain('dup key: { email: null }');
  });

  it('partial unique indexes only cover matching documents', async () => {
    const coll = freshDb().collection('p');
    await coll.createIndex({ token: 1 }, { unique: true, partialFilterExpression: { used: false } });
    await coll.insertMany([{ token: 't', used: true }, { token: 't', used: true }, { token: 't', used: false }]);
    await expect(coll.insertOne({ token: 't', used: false })).rejects.toMatchObject({ code: 11000 });
    // An update that would move a document into the index is checked too, and leaves it unchanged.
    const ids = (await coll.find({ used: true }).toArray()).map((d) => d._id);
    await expect(coll.updateOne({ _id: ids[0] }, { $set: { used: false } })).rejects.toMatchObject({ code: 11000 });
    expect((await coll.findOne({ _id: ids[0] }))?.used).toBe(true);
  });

  it('multikey unique indexes compare elements across documents, not within one', async () => {
    const coll = freshDb().collection('m');
    await coll.createIndex({ tags: 1 }, { unique: true });
    await coll.insertOne({ tags: ['a', 'a', 'b'] });
    const err = await rejection(coll.insertOne({ tags: ['c', 'b'] }));
    expect(err.message).toContain('dup key: { tags: "b" }');
    expect(await coll.findOne({ tags: 'b' })).toMatchObject({ tags: ['a', 'a', 'b'] });
  });

  it('creating a unique index over duplicates fails and leaves no index', async () => {
    const coll = freshDb().collection('dups');
    const id = new ObjectId();
    await coll.insertMany([{ k: id }, { k: id }]);
    const err = await rejection(coll.createIndex({ k: 1 }, { unique: true }));
    expect(err.message).toContain(`dup key: { k: ObjectId('${id.toHexString()}') }`);
    expect((await coll.indexes()).map((i) => i.name)).toEqual(['_id_']);
  });
});

describe('TTL indexes', () => {
  it('removes expired documents (date or array of dates) and keeps the rest', async () => {
    const coll = freshDb().collection('sessions');
    await coll.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    const past = new Date(Date.now() - 1000);
    await coll.insertMany([
      { name: 'old', expiresAt: past },
      { name: 'old-array', expiresAt: [new Date(Date.now() + 3_600_000), past] },
      { name: 'future', expiresAt: new Date(Date.now() + 3_600_000) },
      { name: 'no-date', expiresAt: 'soon' },
    ]);
    await expect.poll(async () => (await coll.find().toArray()).map((d) => d.name).sort(), { timeout: 3000, interval: 50 }).toEqual(['future', 'no-date']);
  });
});
