import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupOrder } from '../../src/ops/backup/backup.js';
import { ArchiveError, backupDatabase, defaultBackupName, restoreDatabase, RestoreRefused, userCollections, verifyArchive } from '../../src/ops/backup/index.js';
import { startTestDb, type TestDb } from '../helpers/test-db.js';

/** The archive's safety rules, in process on in-memory databases: damaged files, non-empty targets. */

const dir = mkdtempSync(join(tmpdir(), 'vitrine-archive-'));
let source: TestDb;
let target: TestDb;
let archive: string;

beforeAll(async () => {
  source = await startTestDb();
  target = await startTestDb();
  const db = source.database.db;
  await db.collection('things').insertMany(Array.from({ length: 1200 }, (_, i) => ({ _id: new ObjectId(), n: i, label: `thing ${i}` })));
  await db.collection('things').createIndex({ n: 1 }, { unique: true, name: 'n_unique' });
  await db.collection('empty_one').createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
  archive = join(dir, 'source.vbak');
  await backupDatabase(db, archive);
});

afterAll(async () => {
  await source?.close();
  await target?.close();
});

describe('backup archive', () => {
  it('says what it holds, and a restore gives back the documents and indexes (empty collections too)', async () => {
    const checked = await verifyArchive(archive);
    expect(checked).toMatchObject({ collections: 2, documents: 1200, header: { format: 'vitrine-backup', version: 1 } });
    const db = target.database.db;
    await restoreDatabase(db, archive);
    expect(await db.collection('things').countDocuments()).toBe(1200);
    expect(await db.collection('things').findOne({ n: 777 }, { projection: { _id: 0 } })).toEqual({ n: 777, label: 'thing 777' });
    expect((await db.collection('things').indexes()).find((i) => i.name === 'n_unique')).toMatchObject({ unique: true, key: { n: 1 } });
    expect((await db.collection('empty_one').indexes()).find((i) => i.name === 'at_1')).toMatchObject({ expireAfterSeconds: 3600 });
  });

  it('refuses a non-empty database without force; with force it replaces everything in it', async () => {
    const db = target.database.db;
    await db.collection('stray').insertOne({ x: 1 });
    await db.collection('things').deleteMany({ n: { $lt: 100 } });
    const refused = await restoreDatabase(db, archive).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RestoreRefused);
    expect((refused as RestoreRefused).existing).toEqual(['empty_one', 'stray', 'things']);
    expect(await db.collection('stray').countDocuments()).toBe(1); // nothing touched

    const summary = await restoreDatabase(db, archive, { force: true });
    expect(summary.dropped).toEqual(['empty_one', 'stray', 'things']);
    expect(await userCollections(db)).toEqual(['empty_one', 'things']);
    expect(await db.collection('things').countDocuments()).toBe(1200);
  });

  it('rejects a truncated archive before writing anything', async () => {
    const bytes = readFileSync(archive);
    const cut = join(dir, 'cut.vbak');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const fresh = await startTestDb();
    try {
      await expect(restoreDatabase(fresh.database.db, cut)).rejects.toBeInstanceOf(ArchiveError);
      expect(await userCollections(fresh.database.db)).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('rejects a file that is not an archive, and a complete gzip stream without the trailer', async () => {
    const text = join(dir, 'notes.vbak');
    writeFileSync(text, gzipSync(Buffer.from('hello, this is not a backup')));
    await expect(verifyArchive(text)).rejects.toThrow(/not a vitrine-backup archive/);
    // Re-compress only the first part of the records: valid gzip, but the backup never finished.
    const records = gunzipSync(readFileSync(archive));
    const unfinished = join(dir, 'unfinished.vbak');
    writeFileSync(unfinished, gzipSync(records.subarray(0, records.length - 40)));
    await expect(verifyArchive(unfinished)).rejects.toBeInstanceOf(ArchiveError);
  });

  it('puts GridFS files before their chunks and names archives by time', () => {
    expect(backupOrder(['orders', 'media.chunks', 'media.files', 'downloads.chunks', 'downloads.files', 'mediaz'])).toEqual([
      'downloads.files', 'downloads.chunks', 'media.files', 'media.chunks', 'mediaz', 'orders',
    ]);
    expect(defaultBackupName(new Date('2026-05-01T10:20:30.123Z'))).toBe('vitrine-backup-2026-05-01T10-20-30Z.vbak');
  });
});
