import { afterEach, describe, expect, it } from 'vitest';
import { copyFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { JOURNAL_FILE, SNAPSHOT_FILE, type FilePersistence } from '../../src/db/embedded/persistence/file-persistence.js';
import { applyJournalOp, emptyState, type JournalOp, type SnapshotState } from '../../src/db/embedded/persistence/index.js';
import { docsOf, openStore, removeTempDirs, tempDir } from './fixtures/persistence-helpers.js';

afterEach(removeTempDirs);

/** Follows the ordering contract: apply to the in-memory mirror, then append in the same tick. */
function writeThrough(store: FilePersistence, mirror: SnapshotState, ops: JournalOp[]): Promise<void> {
  for (const op of ops) applyJournalOp(mirror, op);
  return store.append(ops);
}

/** A deep copy through structuredClone would lose bson classes; these tests use plain values only. */
const copyState = (s: SnapshotState): SnapshotState => JSON.parse(JSON.stringify(s)) as SnapshotState;

async function reload(dir: string): Promise<SnapshotState> {
  const store = await openStore(dir);
  const state = await store.load();
  await store.close();
  return state;
}

describe('compaction', () => {
  it('writes a snapshot, empties the journal and reloads the same state', async () => {
    const dir = await tempDir();
    const mirror = emptyState();
    const store = await openStore(dir, { compactAfterBytes: 2_000 });
    await store.load();
    await writeThrough(store, mirror, [{ op: 'createIndex', db: 'd', coll: 'c', spec: { key: { n: 1 }, name: 'n_1' } }]);
    for (let i = 0; i < 60; i++) await writeThrough(store, mirror, [{ op: 'put', db: 'd', coll: 'c', doc: { _id: i % 20, n: i } }]);
    await writeThrough(store, mirror, [{ op: 'del', db: 'd', coll: 'c', id: 3 }]);
    expect(store.stats().journalBytes).toBeGreaterThan(2_000);
    await store.compactIfNeeded(() => mirror);
    expect(store.stats()).toMatchObject({ journalBytes: 0, snapshots: 1 });
    expect((await stat(join(dir, JOURNAL_FILE))).size).toBe(0);
    await store.compactIfNeeded(() => mirror); // below the threshold now: nothing to do
    expect(store.stats().snapshots).toBe(1);
    await writeThrough(store, mirror, [{ op: 'put', db: 'd', coll: 'c', doc: { _id: 'after', n: -1 } }]);
    await store.close();

    const state = await reload(dir);
    expect(state).toEqual(mirror);
    expect(docsOf(state, 'd', 'c')).toHaveLength(20);
  });

  it('splits big collections into several snapshot records and reads them back', async () => {
    const dir = await tempDir();
    const mirror = emptyState();
    const store = await openStore(dir, { compactAfterBytes: 1 });
    await store.load();
    const blob = 'y'.repeat(400_000);
    const ops: JournalOp[] = Array.from({ length: 25 }, (_, i) => ({ op: 'put', db: 'big', coll: 'blobs', doc: { _id: i, blob } }));
    await writeThrough(store, mirror, ops); // 10 MB: more than two 4 MiB chunks
    await store.compactIfNeeded(() => mirror);
    await store.close();
    expect((await stat(join(dir, SNAPSHOT_FILE))).size).toBeGreaterThan(10_000_000);
    const docs = docsOf(await reload(dir), 'big', 'blobs') ?? [];
    expect(docs.map((d) => d._id)).toEqual(ops.map((_, i) => i));
  });

  it('keeps writes acknowledged while the snapshot was being written', async () => {
    const dir = await tempDir();
    const mirror = emptyState();
    const store = await openStore(dir, { compactAfterBytes: 1 });
    await store.load();
    for (let i = 0; i < 10; i++) await writeThrough(store, mirror, [{ op: 'put', db: 'd', coll: 'c', doc: { _id: i } }]);
    const compaction = store.compactIfNeeded(() => copyState(mirror));
    const during = Array.from({ length: 10 }, (_, i) => writeThrough(store, mirror, [{ op: 'put', db: 'd', coll: 'c', doc: { _id: 100 + i } }]));
    await Promise.all([compaction, ...during]);
    expect(store.stats().snapshots).toBe(1);
    expect(store.stats().journalBytes).toBeGreaterThan(0); // the records written during it
    await store.close();
    expect(await reload(dir)).toEqual(mirror);
  });

  it('does not apply twice a journal that was not truncated after the new snapshot', async () => {
    const dir = await tempDir();
    const mirror = emptyState();
    const store = await openStore(dir, { compactAfterBytes: 1 });
    await store.load();
    // Replaying these on top of the state they produced would not give the same state again.
    await writeThrough(store, mirror, [{ op: 'put', db: 'd', coll: 'staging', doc: { _id: 1, v: 'first' } }]);
    await writeThrough(store, mirror, [{ op: 'renameColl', db: 'd', coll: 'staging', toDb: 'd', toColl: 'live' }]);
    await writeThrough(store, mirror, [{ op: 'put', db: 'd', coll: 'staging', doc: { _id: 2, v: 'second' } }]);
    const journalBefore = join(dir, 'journal-before-compaction');
    await copyFile(join(dir, JOURNAL_FILE), journalBefore);
    await store.compactIfNeeded(() => mirror);
    expect(store.stats().snapshots).toBe(1);
    await store.close();
    // Crash between the snapshot rename and the journal truncation: the old journal is still there.
    await copyFile(journalBefore, join(dir, JOURNAL_FILE));

    const state = await reload(dir);
    expect(state).toEqual(mirror);
    expect(docsOf(state, 'd', 'live')).toEqual([{ _id: 1, v: 'first' }]);
    expect(docsOf(state, 'd', 'staging')).toEqual([{ _id: 2, v: 'second' }]);

    // New writes continue after the highest seq, so they are not mistaken for covered ones.
    const next = await openStore(dir);
    await next.load();
    await next.append([{ op: 'put', db: 'd', coll: 'live', doc: { _id: 3 } }]);
    await next.close();
    expect(docsOf(await reload(dir), 'd', 'live')).toEqual([{ _id: 1, v: 'first' }, { _id: 3 }]);
  });

  it('writes a final snapshot on close when the journal is not empty', async () => {
    const dir = await tempDir();
    const mirror = emptyState();
    const store = await openStore(dir);
    await store.load();
    await writeThrough(store, mirror, [{ op: 'put', db: 'd', coll: 'c', doc: { _id: 1 } }]);
    await store.close(() => mirror);
    expect((await stat(join(dir, JOURNAL_FILE))).size).toBe(0);
    expect((await readFile(join(dir, SNAPSHOT_FILE))).subarray(0, 7).toString()).toBe('VTRSNAP');
    expect(await reload(dir)).toEqual(mirror);
  });
});
