import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { startEmbeddedMongoThread } from '../../src/db/embedded/thread.js';

describe('the embedded database on its own thread', () => {
  it('serves the driver, keeps its data across a stop and a new start, and holds its folder', async () => {
    const dbPath = mkdtempSync(join(tmpdir(), 'vitrine-thread-'));
    const first = await startEmbeddedMongoThread({ dbPath });
    const client = await MongoClient.connect(first.uri);
    try {
      await client.db('shop').collection('notes').insertMany([{ n: 1 }, { n: 2 }]);
      // The folder is locked by the running thread: a second server on it is refused.
      await expect(startEmbeddedMongoThread({ dbPath })).rejects.toThrow();
    } finally {
      await client.close();
      await first.stop();
    }
    // Stopped: its port is closed, and a new start reads what it wrote.
    await expect(MongoClient.connect(first.uri, { serverSelectionTimeoutMS: 300 })).rejects.toThrow();
    const second = await startEmbeddedMongoThread({ dbPath });
    const again = await MongoClient.connect(second.uri);
    try {
      expect(await again.db('shop').collection('notes').find({}, { sort: { n: 1 }, projection: { _id: 0 } }).toArray()).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      await again.close();
      await second.stop();
    }
  });

  it('stops once however often it is asked', async () => {
    const server = await startEmbeddedMongoThread();
    await Promise.all([server.stop(), server.stop()]);
    await server.stop();
    await expect(MongoClient.connect(server.uri, { serverSelectionTimeoutMS: 300 })).rejects.toThrow();
  });

  it('refuses a non-loopback address without allowRemote, as in-process', async () => {
    await expect(startEmbeddedMongoThread({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });
});
