import { Long, MongoServerError, type Db } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { useServerWithClient } from './fixtures/server-client.js';

const { freshDb } = useServerWithClient('cur');
/** Short, so the time-out test is quick; the other tests run on a server with the default. */
const shortTimeout = useServerWithClient('curshort', { cursorTimeoutMs: 200 });

async function seed(db: Db, count: number): Promise<void> {
  await db.collection('c').insertMany(Array.from({ length: count }, (_, i) => ({ i })));
}

describe('cursors', () => {
  it('first batch holds 101 documents by default; getMore returns the rest; ids are longs', async () => {
    const db = freshDb();
    await seed(db, 150);
    const first = await db.command({ find: 'c', filter: {}, sort: { i: 1 } });
    expect(first.cursor.firstBatch).toHaveLength(101);
    expect(first.cursor.id).toBeInstanceOf(Long);
    expect(first.cursor.ns).toBe(`${db.databaseName}.c`);
    const more = await db.command({ getMore: first.cursor.id, collection: 'c', batchSize: 20 });
    expect(more.cursor.nextBatch).toHaveLength(20);
    expect(more.cursor.nextBatch[0].i).toBe(101);
    const rest = await db.command({ getMore: first.cursor.id, collection: 'c' });
    expect(rest.cursor.nextBatch).toHaveLength(29);
    expect(String(rest.cursor.id)).toBe('0');
    const gone = await db.command({ getMore: first.cursor.id, collection: 'c' }).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(MongoServerError);
    expect(gone).toMatchObject({ code: 43, codeName: 'CursorNotFound' });
  });

  it('the driver iterates everything with a small batchSize; limit closes the cursor', async () => {
    const db = freshDb();
    await seed(db, 57);
    const all = await db.collection('c').find({}, { batchSize: 5 }).sort({ i: -1 }).toArray();
    expect(all.map((d) => d.i)).toEqual(Array.from({ length: 57 }, (_, i) => 56 - i));
    const limited = await db.command({ find: 'c', limit: 3, batchSize: 2 });
    expect(limited.cursor.firstBatch).toHaveLength(2);
    const tail = await db.command({ getMore: limited.cursor.id, collection: 'c' });
    expect(tail.cursor.nextBatch).toHaveLength(1);
    expect(String(tail.cursor.id)).toBe('0');
    const single = await db.command({ find: 'c', batchSize: 2, singleBatch: true });
    expect(String(single.cursor.id)).toBe('0');
  });

  it('killCursors reports killed and unknown cursors', async () => {
    const db = freshDb();
    await seed(db, 10);
    const first = await db.command({ find: 'c', batchSize: 1 });
    const res = await db.command({ killCursors: 'c', cursors: [first.cursor.id, Long.fromNumber(12345)] });
    expect(res.cursorsKilled.map(String)).toEqual([String(first.cursor.id)]);
    expect(res.cursorsNotFound.map(String)).toEqual(['12345']);
  });

  it('idle cursors time out', async () => {
    const db = shortTimeout.freshDb();
    await seed(db, 10);
    const first = await db.command({ find: 'c', batchSize: 1 });
    await new Promise((r) => setTimeout(r, 500));
    await expect(db.command({ getMore: first.cursor.id, collection: 'c' })).rejects.toMatchObject({ code: 43 });
  });

  it('batches are bounded by size as well as count', async () => {
    const db = freshDb();
    const big = 'x'.repeat(4 * 1024 * 1024);
    await db.collection('c').insertMany(Array.from({ length: 6 }, (_, i) => ({ i, big })));
    const first = await db.command({ find: 'c', projection: { i: 1 }, batchSize: 100 });
    expect(first.cursor.firstBatch).toHaveLength(6);
    const raw = await db.command({ find: 'c', batchSize: 100 });
    expect(raw.cursor.firstBatch.length).toBeLessThan(6);
    const rest = await db.command({ getMore: raw.cursor.id, collection: 'c' });
    expect(raw.cursor.firstBatch.length + rest.cursor.nextBatch.length).toBeLessThanOrEqual(6);
  });
});
