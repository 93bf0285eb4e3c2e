import { MongoClient } from 'mongodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedMongo } from '../../src/db/embedded/index.js';

describe('embedded server with a dbPath', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('keeps documents, updates, deletes and indexes across a restart', async () => {
    const dbPath = mkdtempSync(join(tmpdir(), 'vitrine-h3-'));
    dirs.push(dbPath);
    const first = await startEmbeddedMongo({ dbPath });
    let client = new MongoClient(first.uri);
    let coll = client.db('shop').collection('items');
    await coll.createIndex({ sku: 1 }, { unique: true });
    await coll.insertMany([{ sku: 'a', n: 1 }, { sku: 'b', n: 2 }, { sku: 'c', n: 3 }]);
    await coll.updateOne({ sku: 'a' }, { $set: { n: 10 } });
    await coll.deleteOne({ sku: 'b' });
    await client.close();
    await first.stop();

    const second = await startEmbeddedMongo({ dbPath });
    client = new MongoClient(second.uri);
    coll = client.db('shop').collection('items');
    try {
      expect(await coll.find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ sku: 'a', n: 10 }, { sku: 'c', n: 3 }]);
      expect((await coll.indexes()).map((i) => i.name)).toEqual(['_id_', 'sku_1']);
      await expect(coll.insertOne({ sku: 'c' })).rejects.toMatchObject({ code: 11000 });
    } finally {
      await client.close();
      await second.stop();
    }
  });
});
