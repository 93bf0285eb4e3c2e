import { afterEach, describe, expect, it } from 'vitest';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JOURNAL_FILE, SNAPSHOT_FILE } from '../../src/db/embedded/persistence/file-persistence.js';
import { docsOf, openStore, recordingLogger, removeTempDirs, tempDir } from './fixtures/persistence-helpers.js';

afterEach(removeTempDirs);

function flipByte(buf: Buffer, at: number): void {
  buf.writeUInt8(buf.readUInt8(at) ^ 0xff, at);
}

/** Writes one put per id, each in its own record; returns the journal size after each record. */
async function writeRecords(dir: string, ids: number[]): Promise<number[]> {
  const store = await openStore(dir);
  await store.load();
  const ends: number[] = [];
  for (const id of ids) {
    await store.append([{ op: 'put', db: 'd', coll: 'c', doc: { _id: id, label: `record ${id}` } }]);
    ends.push(store.stats().journalBytes);
  }
  await store.close();
  return ends;
}

async function loadIds(dir: string, logger = recordingLogger()): Promise<unknown[]> {
  const store = await openStore(dir, { logger });
  const state = await store.load();
  await store.close();
  return (docsOf(state, 'd', 'c') ?? []).map((d) => d._id);
}

describe('journal recovery', () => {
  it('loads the previous records when the file is cut at any byte of the last record', async () => {
    const dir = await tempDir();
    const ends = await writeRecords(dir, [1, 2, 3]);
    const full = await readFile(join(dir, JOURNAL_FILE));
    const lastStart = ends[1] as number;
    expect(full.length).toBe(ends[2]);
    for (let cut = lastStart; cut < full.length; cut++) {
      await writeFile(join(dir, JOURNAL_FILE), full.subarray(0, cut));
      const logger = recordingLogger();
      expect(await loadIds(dir, logger)).toEqual([1, 2]);
      expect(logger.warnings).toHaveLength(cut === lastStart ? 0 : 1);
      expect(logger.errors).toEqual([]);
      expect((await stat(join(dir, JOURNAL_FILE))).size).toBe(lastStart);
    }
  });

  it('drops a last record whose CRC does not match, with one warning, and appends after it cleanly', async () => {
    const dir = await tempDir();
    const ends = await writeRecords(dir, [1, 2, 3]);
    const journal = await readFile(join(dir, JOURNAL_FILE));
    flipByte(journal, (ends[2] as number) - 3); // inside the last payload
    await writeFile(join(dir, JOURNAL_FILE), journal);
    const logger = recordingLogger();
    expect(await loadIds(dir, logger)).toEqual([1, 2]);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(/CRC mismatch/);

    const store = await openStore(dir);
    await store.load();
    await store.append([{ op: 'put', db: 'd', coll: 'c', doc: { _id: 4 } }]);
    await store.close();
    expect(await loadIds(dir)).toEqual([1, 2, 4]);
  });

  it('stops at damage in the middle, keeps what came before, says so loudly and keeps a copy', async () => {
    const dir = await tempDir();
    const ends = await writeRecords(dir, [1, 2, 3, 4]);
    const journal = await readFile(join(dir, JOURNAL_FILE));
    flipByte(journal, (ends[1] as number) - 2); // inside record 2; records 3 and 4 are intact
    await writeFile(join(dir, JOURNAL_FILE), journal);
    const logger = recordingLogger();
    expect(await loadIds(dir, logger)).toEqual([1]);
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]).toMatch(/JOURNAL DAMAGED in the middle.*intact records after it/);
    const copies = (await readdir(dir)).filter((f) => f.startsWith(`${JOURNAL_FILE}.corrupt-`));
    expect(copies).toHaveLength(1);
    expect(await readFile(join(dir, copies[0] as string))).toEqual(journal);
  });

  it('treats a bad length and an intact record that is not BSON as a torn tail', async () => {
    const dir = await tempDir();
    const ends = await writeRecords(dir, [1, 2]);
    const journal = await readFile(join(dir, JOURNAL_FILE));
    const garbage = Buffer.alloc(16, 0xff); // length 0xffffffff
    await writeFile(join(dir, JOURNAL_FILE), Buffer.concat([journal, garbage]));
    expect(await loadIds(dir)).toEqual([1, 2]);
    expect((await stat(join(dir, JOURNAL_FILE))).size).toBe(ends[1]);
  });

  it('refuses to start on a damaged snapshot, and unlocks the directory', async () => {
    const dir = await tempDir();
    const store = await openStore(dir, { compactAfterBytes: 1 });
    await store.load();
    await store.append([{ op: 'put', db: 'd', coll: 'c', doc: { _id: 1 } }]);
    await store.close(() => ({ databases: { d: { collections: { c: { options: {}, indexes: [], documents: [{ _id: 1 }] } } } } }));
    const snapshot = await readFile(join(dir, SNAPSHOT_FILE));
    flipByte(snapshot, snapshot.length - 3);
    await writeFile(join(dir, SNAPSHOT_FILE), snapshot);
    const broken = await openStore(dir);
    await expect(broken.load()).rejects.toThrow(/Snapshot .* is damaged \(CRC mismatch/);
    const again = await openStore(dir); // the failed start released the lock
    await expect(again.load()).rejects.toThrow(/damaged/);
  });

  it('ignores and removes the temp files of a compaction cut short', async () => {
    const dir = await tempDir();
    await writeRecords(dir, [1]);
    await writeFile(join(dir, `${SNAPSHOT_FILE}.tmp`), 'half a snapshot');
    await writeFile(join(dir, `${JOURNAL_FILE}.tmp`), 'half a journal');
    expect(await loadIds(dir)).toEqual([1]);
    expect((await readdir(dir)).sort()).toEqual([JOURNAL_FILE]);
  });
});
