import { afterEach, describe, expect, it } from 'vitest';
import { Decimal128, Long, ObjectId } from 'bson';
import type { JournalSink } from '../../src/db/embedded/persistence/journal-writer.js';
import type { JournalOp } from '../../src/db/embedded/persistence/index.js';
import { applyJournalOp, emptyState, openPersistence } from '../../src/db/embedded/persistence/index.js';
import { docsOf, openStore, recordingLogger, removeTempDirs, tempDir } from './fixtures/persistence-helpers.js';

afterEach(removeTempDirs);

describe('journal round trip', () => {
  it('replays every op kind to the same state as applying them in memory', async () => {
    const dir = await tempDir();
    const oid = new ObjectId();
    const ops: JournalOp[] = [
      { op: 'createColl', db: 'shop', coll: 'products', options: { validator: { price: { $gte: 0 } } } },
      { op: 'put', db: 'shop', coll: 'products', doc: { _id: oid, n: Long.fromString('9007199254740993'), price: new Decimal128('9.99'), tags: ['a'], at: new Date(5) } },
      { op: 'put', db: 'shop', coll: 'products', doc: { _id: 2, name: 'two' } },
      { op: 'put', db: 'shop', coll: 'products', doc: { _id: 2, name: 'two v2' } },
      { op: 'put', db: 'shop', coll: 'products', doc: { _id: 'gone', x: 1 } },
      { op: 'del', db: 'shop', coll: 'products', id: 'gone' },
      { op: 'createIndex', db: 'shop', coll: 'products', spec: { key: { name: 1 }, name: 'name_1', unique: true } },
      { op: 'createIndex', db: 'shop', coll: 'products', spec: { key: { tags: 1 }, name: 'tags_1' } },
      { op: 'dropIndex', db: 'shop', coll: 'products', name: 'tags_1' },
      { op: 'put', db: 'shop', coll: 'tmp', doc: { _id: 1 } },
      { op: 'dropColl', db: 'shop', coll: 'tmp' },
      { op: 'put', db: 'old', coll: 'c', doc: { _id: 1 } },
      { op: 'dropDb', db: 'old' },
      { op: 'put', db: 'shop', coll: 'staging', doc: { _id: 7, v: 1 } },
      { op: 'renameColl', db: 'shop', coll: 'staging', toDb: 'archive', toColl: 'live' },
    ];
    const store = await openStore(dir);
    await store.load();
    for (const op of ops) await store.append([op]);
    await store.close();

    const expected = emptyState();
    for (const op of ops) applyJournalOp(expected, op);
    const reopened = await openStore(dir);
    const state = await reopened.load();
    await reopened.close();

    expect(state).toEqual(expected);
    expect(Object.keys(state.databases).sort()).toEqual(['archive', 'shop']);
    expect(Object.keys(state.databases.shop?.collections ?? {}).sort()).toEqual(['products']);
    const products = docsOf(state, 'shop', 'products') ?? [];
    expect(products.map((d) => d._id)).toEqual([oid, 2]);
    expect(products[0]?.n).toBeInstanceOf(Long);
    expect(String(products[0]?.n)).toBe('9007199254740993');
    expect(products[1]).toEqual({ _id: 2, name: 'two v2' });
    expect(state.databases.shop?.collections.products?.indexes.map((i) => i.name)).toEqual(['name_1']);
    expect(state.databases.shop?.collections.products?.options).toEqual({ validator: { price: { $gte: 0 } } });
    expect(docsOf(state, 'archive', 'live')).toEqual([{ _id: 7, v: 1 }]);
  });

  it('treats 1, 1.0 and NumberLong(1) as the same _id', () => {
    const state = emptyState();
    applyJournalOp(state, { op: 'put', db: 'd', coll: 'c', doc: { _id: 1, v: 'a' } });
    applyJournalOp(state, { op: 'put', db: 'd', coll: 'c', doc: { _id: Long.fromNumber(1), v: 'b' } });
    expect(docsOf(state, 'd', 'c')).toHaveLength(1);
    applyJournalOp(state, { op: 'del', db: 'd', coll: 'c', id: 1 });
    expect(docsOf(state, 'd', 'c')).toEqual([]);
  });

  it('splits an append bigger than a chunk into several records and replays all of it', async () => {
    const dir = await tempDir();
    const store = await openStore(dir);
    await store.load();
    const big = 'x'.repeat(100_000);
    const ops: JournalOp[] = Array.from({ length: 120 }, (_, i) => ({ op: 'put', db: 'd', coll: 'c', doc: { _id: i, big } }));
    await store.append(ops);
    await store.close();
    const reopened = await openStore(dir);
    const docs = docsOf(await reopened.load(), 'd', 'c') ?? [];
    await reopened.close();
    expect(docs.map((d) => d._id)).toEqual(ops.map((_, i) => i));
  });

  it('keeps everything in memory without a dbPath', async () => {
    const store = await openPersistence({});
    expect(await store.load()).toEqual({ databases: {} });
    await expect(store.append([{ op: 'dropDb', db: 'x' }])).resolves.toBeUndefined();
    await store.close();
  });
});

describe('group commit', () => {
  it('shares fsyncs between concurrent appends and acknowledges only after a sync', async () => {
    const dir = await tempDir();
    let syncing = 0;
    let maxConcurrentSyncs = 0;
    const wrapSink = (sink: JournalSink): JournalSink => ({
      ...sink,
      sync: async () => {
        syncing++;
        maxConcurrentSyncs = Math.max(maxConcurrentSyncs, syncing);
        await new Promise((r) => setTimeout(r, 5)); // a slow disk makes the queue build up
        await sink.sync();
        syncing--;
      },
    });
    const store = await openStore(dir, { wrapSink });
    await store.load();
    const acked: number[] = [];
    const put = (i: number) => store.append([{ op: 'put', db: 'd', coll: 'c', doc: { _id: i } }]).then(() => acked.push(i));
    const writes = [put(0)];
    await new Promise((r) => setTimeout(r, 1)); // the first round is now in its (slow) fsync
    for (let i = 1; i < 200; i++) {
      writes.push(put(i));
      if (i % 20 === 0) await new Promise((r) => setImmediate(r)); // spread over several event-loop turns
    }
    await Promise.all(writes);
    const { syncs, rounds } = store.stats();
    await store.close();
    expect(acked).toHaveLength(200);
    expect(syncs).toBe(rounds);
    expect(syncs).toBeGreaterThanOrEqual(2);
    expect(syncs).toBeLessThanOrEqual(4); // 200 appends, but only the rounds they queued behind
    expect(maxConcurrentSyncs).toBe(1);
    const reopened = await openStore(dir);
    expect(docsOf(await reopened.load(), 'd', 'c')).toHaveLength(200);
    await reopened.close();
  });

  it('rejects the waiting appends and every later one when fsync fails', async () => {
    const dir = await tempDir();
    let failNext = false;
    const wrapSink = (sink: JournalSink): JournalSink => ({
      ...sink,
      sync: async () => {
        if (failNext) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
        await sink.sync();
      },
    });
    const logger = recordingLogger();
    const store = await openStore(dir, { wrapSink, logger });
    await store.load();
    await store.append([{ op: 'put', db: 'd', coll: 'c', doc: { _id: 'ok' } }]);
    failNext = true;
    const results = await Promise.allSettled([1, 2, 3].map((i) => store.append([{ op: 'put', db: 'd', coll: 'c', doc: { _id: i } }])));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    failNext = false;
    await expect(store.append([{ op: 'put', db: 'd', coll: 'c', doc: { _id: 4 } }])).rejects.toThrow(/Journal write failed/);
    expect(logger.errors.join('\n')).toMatch(/EIO/);
    await store.close();
  });

  it('rejects an append whose ops cannot be encoded, without breaking the journal', async () => {
    const dir = await tempDir();
    const store = await openStore(dir);
    await store.load();
    const circular: Record<string, unknown> = { _id: 1 };
    circular.self = circular;
    await expect(store.append([{ op: 'put', db: 'd', coll: 'c', doc: circular }])).rejects.toThrow();
    await store.append([{ op: 'put', db: 'd', coll: 'c', doc: { _id: 2 } }]);
    await store.close();
    const reopened = await openStore(dir);
    expect(docsOf(await reopened.load(), 'd', 'c')).toEqual([{ _id: 2 }]);
    await reopened.close();
  });
});
