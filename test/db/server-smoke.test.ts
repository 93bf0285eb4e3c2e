import { describe, expect, it } from 'vitest';
import { useServerWithClient } from './fixtures/server-client.js';

describe('embedded server smoke test (official driver)', () => {
  const shared = useServerWithClient('smoke');

  it('answers ping and identifies as MongoDB 7.0', async () => {
    const admin = shared.client.db('admin');
    expect(await admin.command({ ping: 1 })).toMatchObject({ ok: 1 });
    const info = await admin.command({ buildInfo: 1 });
    expect(info.version).toBe('7.0.0');
    const hello = await admin.command({ hello: 1 });
    expect(hello).toMatchObject({ isWritablePrimary: true, maxWireVersion: 21, helloOk: true });
    expect(hello.setName).toBeUndefined();
  });

  it('inserts, finds, updates and deletes documents', async () => {
    const coll = shared.client.db('smoke').collection<{ _id?: unknown; sku: string; qty: number }>('crud');
    const inserted = await coll.insertMany([
      { sku: 'a', qty: 1 },
      { sku: 'b', qty: 2 },
      { sku: 'c', qty: 3 },
    ]);
    expect(inserted.insertedCount).toBe(3);
    expect(await coll.findOne({ sku: 'b' }, { projection: { _id: 0 } })).toEqual({ sku: 'b', qty: 2 });
    const sorted = await coll.find({ qty: { $gte: 2 } }).sort({ qty: -1 }).toArray();
    expect(sorted.map((d) => d.sku)).toEqual(['c', 'b']);

    const upd = await coll.updateOne({ sku: 'a' }, { $inc: { qty: 10 } });
    expect(upd).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect((await coll.findOne({ sku: 'a' }))?.qty).toBe(11);

    const ups = await coll.updateOne({ sku: 'z' }, { $set: { qty: 0 } }, { upsert: true });
    expect(ups.upsertedCount).toBe(1);
    expect(await coll.estimatedDocumentCount()).toBe(4);
    expect(await coll.countDocuments({ qty: { $gte: 1 } })).toBe(3);

    const del = await coll.deleteMany({ qty: { $lt: 3 } });
    expect(del.deletedCount).toBe(2);
    expect((await coll.find().toArray()).map((d) => d.sku).sort()).toEqual(['a', 'c']);
  });

  it('creates a unique index and reports duplicate keys', async () => {
    const coll = shared.client.db('smoke').collection('users');
    expect(await coll.createIndex({ email: 1 }, { unique: true })).toBe('email_1');
    await coll.insertOne({ email: 'x@example.com' });
    await expect(coll.insertOne({ email: 'x@example.com' })).rejects.toMatchObject({
      code: 11000,
      message: 'E11000 duplicate key error collection: smoke.users index: email_1 dup key: { email: "x@example.com" }',
    });
    const names = (await coll.indexes()).map((i) => i.name);
    expect(names).toEqual(['_id_', 'email_1']);
  });

  it('runs an aggregation pipeline', async () => {
    const coll = shared.client.db('smoke').collection('orders');
    await coll.insertMany([
      { status: 'paid', total: 10 },
      { status: 'paid', total: 5 },
      { status: 'open', total: 7 },
    ]);
    const out = await coll.aggregate([{ $match: { status: 'paid' } }, { $sort: { total: 1 } }, { $project: { _id: 0, total: 1 } }]).toArray();
    expect(out).toEqual([{ total: 5 }, { total: 10 }]);
  });
});
