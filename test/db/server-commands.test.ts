import { Long, ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { startEmbeddedMongo } from '../../src/db/embedded/index.js';
import { commandError, useServerWithClient } from './fixtures/server-client.js';

const shared = useServerWithClient('cmd');
const { freshDb } = shared;

describe('errors and refusals', () => {
  it('answers unknown commands with CommandNotFound', async () => {
    const err = await commandError(freshDb(), { foo: 1 });
    expect(err).toMatchObject({ code: 59, codeName: 'CommandNotFound', message: "no such command: 'foo'" });
  });

  it('refuses transactions like a standalone mongod', async () => {
    const db = freshDb();
    const err = await commandError(db, { insert: 'x', documents: [{ a: 1 }], txnNumber: Long.fromNumber(1), autocommit: false, startTransaction: true });
    expect(err).toMatchObject({ code: 20, codeName: 'IllegalOperation', message: 'Transaction numbers are only allowed on a replica set member or mongos' });
    expect((await commandError(db.client.db('admin'), { commitTransaction: 1 })).code).toBe(20);
    expect(await db.collection('x').countDocuments()).toBe(0);
  });

  it('refuses a collation other than simple instead of ignoring it', async () => {
    const coll = freshDb().collection('words');
    await coll.insertMany([{ w: 'a' }, { w: 'A' }]);
    const err = await coll.find({ w: 'a' }, { collation: { locale: 'en', strength: 2 } }).toArray().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 238, codeName: 'NotImplemented' });
    expect(await coll.find({ w: 'a' }, { collation: { locale: 'simple' } }).toArray()).toHaveLength(1);
  });

  it('refuses a non-loopback host unless allowRemote', async () => {
    await expect(startEmbeddedMongo({ host: '0.0.0.0' })).rejects.toThrow(/no authentication/);
  });
});

describe('write commands', () => {
  it('insert: ordered stops at the first error, unordered continues, with writeErrors', async () => {
    const db = freshDb();
    const ordered = await db.command({ insert: 'c', documents: [{ _id: 1 }, { _id: 1 }, { _id: 2 }] });
    expect(ordered.n).toBe(1);
    expect(ordered.writeErrors).toHaveLength(1);
    expect(ordered.writeErrors[0]).toMatchObject({ index: 1, code: 11000, keyPattern: { _id: 1 }, keyValue: { _id: 1 } });
    expect(ordered.writeErrors[0].errmsg).toBe(`E11000 duplicate key error collection: ${db.databaseName}.c index: _id_ dup key: { _id: 1 }`);
    const unordered = await db.command({ insert: 'c', documents: [{ _id: 1 }, { _id: 3 }, { _id: 4 }], ordered: false });
    expect(unordered.n).toBe(2);
    expect(await db.collection('c').countDocuments()).toBe(3);
  });

  it('insert rejects $-prefixed top-level fields', async () => {
    const res = await freshDb().command({ insert: 'c', documents: [{ $bad: 1 }] });
    expect(res.writeErrors[0].code).toBe(52);
  });

  it('update: multi, upsert with upserted ids, nModified and replacements', async () => {
    const db = freshDb();
    const coll = db.collection<{ _id: number; k: string; v?: number }>('u');
    await coll.insertMany([{ _id: 1, k: 'a' }, { _id: 2, k: 'a' }, { _id: 3, k: 'b' }]);
    const res = await db.command({
      update: 'u',
      updates: [
        { q: { k: 'a' }, u: { $set: { v: 1 } }, multi: true },
        { q: { k: 'a' }, u: { $set: { v: 1 } }, multi: true },
        { q: { _id: 9 }, u: { $set: { v: 9 } }, upsert: true },
      ],
    });
    expect(res).toMatchObject({ n: 5, nModified: 2, upserted: [{ index: 2, _id: 9 }] });
    await coll.replaceOne({ _id: 3 }, { k: 'c' });
    expect(await coll.findOne({ _id: 3 })).toEqual({ _id: 3, k: 'c' });
    const pipeline = await coll.updateOne({ _id: 1 }, [{ $set: { v: { $add: ['$v', 41] } } }]);
    expect(pipeline.modifiedCount).toBe(1);
    expect((await coll.findOne({ _id: 1 }))?.v).toBe(42);
  });

  it('update with arrayFilters', async () => {
    const coll = freshDb().collection('af');
    await coll.insertOne({ _id: new ObjectId(), grades: [95, 80, 100] });
    await coll.updateMany({}, { $set: { 'grades.$[g]': 0 } }, { arrayFilters: [{ g: { $gte: 100 } }] });
    expect((await coll.findOne({}))?.grades).toEqual([95, 80, 0]);
  });

  it('delete with limit 1 and 0', async () => {
    const coll = freshDb().collection('d');
    await coll.insertMany([{ x: 1 }, { x: 1 }, { x: 1 }, { x: 2 }]);
    expect((await coll.deleteOne({ x: 1 })).deletedCount).toBe(1);
    expect((await coll.deleteMany({ x: 1 })).deletedCount).toBe(2);
    expect(await coll.countDocuments()).toBe(1);
  });

  it('findAndModify: update/new, upsert, remove, sort and fields', async () => {
    const db = freshDb();
    const coll = db.collection<{ _id: number; n?: number }>('fam');
    await coll.insertMany([{ _id: 1, n: 5 }, { _id: 2, n: 1 }]);
    const raw = await db.command({ findAndModify: 'fam', query: {}, sort: { n: 1 }, update: { $inc: { n: 1 } }, new: true, fields: { _id: 1 } });
    expect(raw).toMatchObject({ lastErrorObject: { n: 1, updatedExisting: true }, value: { _id: 2 }, ok: 1 });
    const up = await db.command({ findAndModify: 'fam', query: { _id: 3 }, update: { $set: { n: 0 } }, upsert: true, new: true });
    expect(up.lastErrorObject).toEqual({ n: 1, updatedExisting: false, upserted: 3 });
    expect(up.value).toEqual({ _id: 3, n: 0 });
    const removed = await coll.findOneAndDelete({ _id: 1 });
    expect(removed).toEqual({ _id: 1, n: 5 });
    const none = await db.command({ findAndModify: 'fam', query: { _id: 99 }, update: { $set: { n: 1 } } });
    expect(none).toMatchObject({ lastErrorObject: { n: 0, updatedExisting: false }, value: null });
  });
});

describe('read commands', () => {
  it('find with filter, sort, projection, skip and limit; count and distinct', async () => {
    const coll = freshDb().collection('r');
    await coll.insertMany([1, 2, 3, 4, 5].map((i) => ({ i, tags: i % 2 ? ['odd', 'n'] : ['even', 'n'] })));
    const docs = await coll.find({ i: { $gt: 1 } }, { projection: { _id: 0, i: 1 } }).sort({ i: -1 }).skip(1).limit(2).toArray();
    expect(docs).toEqual([{ i: 4 }, { i: 3 }]);
    expect(await coll.estimatedDocumentCount()).toBe(5);
    const db = coll.db;
    expect((await db.command({ count: 'r', query: { i: { $gte: 2 } }, skip: 1, limit: 2 })).n).toBe(2);
    expect((await coll.distinct('tags')).sort()).toEqual(['even', 'n', 'odd']);
    expect(await coll.distinct('i', { tags: 'even' })).toEqual([2, 4]);
  });

  it('aggregate needs a cursor option and supports $group, $out and $merge', async () => {
    const db = freshDb();
    const coll = db.collection('sales');
    await coll.insertMany([{ item: 'a', qty: 2 }, { item: 'b', qty: 1 }, { item: 'a', qty: 3 }]);
    expect((await commandError(db, { aggregate: 'sales', pipeline: [] })).code).toBe(9);
    const totals = await coll.aggregate([{ $group: { _id: '$item', total: { $sum: '$qty' } } }, { $sort: { _id: 1 } }]).toArray();
    expect(totals).toEqual([{ _id: 'a', total: 5 }, { _id: 'b', total: 1 }]);
    await coll.aggregate([{ $group: { _id: '$item', total: { $sum: '$qty' } } }, { $out: 'totals' }]).toArray();
    expect(await db.collection('totals').find().sort({ _id: 1 }).toArray()).toEqual(totals);
    await db.collection('sales').aggregate([{ $match: { item: 'b' } }, { $project: { _id: '$item', extra: { $literal: true } } }, { $merge: { into: 'totals' } }]).toArray();
    expect(await db.collection<{ _id: string }>('totals').findOne({ _id: 'b' })).toEqual({ _id: 'b', total: 1, extra: true });
  });
});

describe('namespace commands', () => {
  it('create, listCollections, renameCollection, drop and dropDatabase', async () => {
    const db = freshDb();
    await db.createCollection('one');
    const exists = await commandError(db, { create: 'one' });
    expect(exists).toMatchObject({ code: 48, codeName: 'NamespaceExists' });
    await db.collection('two').insertOne({ a: 1 });
    const list = await db.listCollections().toArray();
    expect(list.map((c) => c.name).sort()).toEqual(['one', 'two']);
    expect(list[0]).toMatchObject({ type: 'collection', options: {}, info: { readOnly: false } });
    expect(await db.listCollections({ name: 'two' }, { nameOnly: true }).toArray()).toEqual([{ name: 'two', type: 'collection' }]);
    await db.renameCollection('two', 'three');
    expect(await db.collection('three').countDocuments()).toBe(1);
    // MongoDB 7.0 made dropping a missing collection a no-op (SERVER-43894): ok, no NamespaceNotFound.
    expect(await db.command({ drop: 'missing' })).toEqual({ ok: 1 });
    expect(await db.command({ drop: 'three' })).toEqual({ nIndexesWas: 1, ns: `${db.databaseName}.three`, ok: 1 });
    expect(await db.collection('three').countDocuments()).toBe(0);
    const dbs = await shared.client.db('admin').admin().listDatabases();
    expect(dbs.databases.some((d) => d.name === db.databaseName)).toBe(true);
    await db.dropDatabase();
    const after = await shared.client.db('admin').admin().listDatabases({ nameOnly: true });
    expect(after.databases.some((d) => d.name === db.databaseName)).toBe(false);
  });
});
