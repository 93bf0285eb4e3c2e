import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Binary, Decimal128, Double, GridFSBucket, Int32, Long, ObjectId, type Db } from 'mongodb';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectIndexes } from '../../src/app.js';
import { connectDatabase, type Database } from '../../src/db/client.js';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../src/db/embedded/index.js';
import { modules } from '../../src/modules/index.js';
import { createServices } from '../../src/services.js';
import { insertProduct } from '../fixtures/shop-data.js';
import { insertOrder } from './admin-fixtures.js';

/**
 * The backup round trip through the real commands: a shop's data directory (its database served
 * by "the running shop", i.e. this process, with its address in DATA_DIR/db.uri) is backed up with
 * src/cli/backup.ts, restored with src/cli/restore.ts into a fresh data directory, and the restored
 * database is compared with the original collection by collection, document by document (raw
 * BSON bytes), index by index, and GridFS file by file.
 */

const run = promisify(execFile);
const cli = (script: string, args: string[], env: Record<string, string>) =>
  run(process.execPath, ['--import', 'tsx', join(process.cwd(), 'src/cli', script), ...args], {
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', BASE_URL: 'http://127.0.0.1:3000', MONGODB_URI: '', ...env },
  });

const sourceDir = mkdtempSync(join(tmpdir(), 'vitrine-backup-src-'));
const restoredDir = mkdtempSync(join(tmpdir(), 'vitrine-backup-dst-'));
const archive = join(mkdtempSync(join(tmpdir(), 'vitrine-backup-out-')), 'shop.vbak');
let source: EmbeddedMongo;
let database: Database;
let imageId: ObjectId;
let imageBytes: Buffer;

beforeAll(async () => {
  source = await startEmbeddedMongo({ dbPath: join(sourceDir, 'db') });
  database = await connectDatabase(source.uri);
  writeFileSync(join(sourceDir, 'db.uri'), `${source.uri}\n`); // as a running shop publishes it
  const db = database.db;
  await database.ensureIndexes(collectIndexes(modules)); // every index the shop creates at boot
  const services = createServices({ db });

  const products = [await insertProduct(db, { title: 'Linen shirt', price: 4500 }), await insertProduct(db, { variants: [{ stock: 3 }, { stock: 0, price: 999 }] })];
  const user = await services.accounts.register({ email: `backup-${new ObjectId().toHexString()}@example.com`, password: 'correct horse battery staple', name: 'Ana Backup', locale: 'pt-BR' });
  await insertOrder(db, { placedAt: new Date('2026-01-02T03:04:05Z'), total: 4500, userId: user.id, lines: [{ productId: products[0]?._id ?? new ObjectId(), title: 'Linen shirt', qty: 1, amount: 4500 }] });
  imageBytes = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 10, g: 120, b: 200 } } }).png().toBuffer();
  imageId = (await services.media.storeImage(imageBytes, { filename: 'shirt.png', alt: 'A shirt' })).id;
  // Types that a JSON round trip would lose, in a field order that must be kept.
  await db.collection('backup_probe').insertOne({
    _id: new ObjectId(), z: 1, a: new Int32(7), d: new Double(2), l: Long.fromString('9007199254740993'), dec: Decimal128.fromString('19.90'),
    bin: new Binary(Buffer.from([0, 1, 2, 255])), when: new Date(0), nested: { list: [1, 'two', { three: null }], empty: {} }, re: /shop/i,
  });
}, 60_000);

afterAll(async () => {
  await database?.close();
  await source?.stop();
});

async function rawDocuments(db: Db, name: string): Promise<string[]> {
  const docs = await db.collection(name).find({}, { raw: true, sort: { _id: 1 } }).toArray();
  return docs.map((d) => Buffer.from(d as unknown as Uint8Array).toString('base64'));
}

async function describeDb(db: Db): Promise<Record<string, { docs: string[]; indexes: unknown[] }>> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  const out: Record<string, { docs: string[]; indexes: unknown[] }> = {};
  for (const name of names) {
    const indexes = (await db.collection(name).listIndexes().toArray()).map(({ v: _v, ns: _ns, ...spec }) => spec);
    out[name] = { docs: await rawDocuments(db, name), indexes: indexes.sort((a, b) => String(a.name).localeCompare(String(b.name))) };
  }
  return out;
}

async function download(db: Db, bucketName: string, id: ObjectId): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of new GridFSBucket(db, { bucketName }).openDownloadStream(id)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('npm run backup → npm run restore', () => {
  it('restores a fresh data directory to the same state: every document, index and media byte', async () => {
    const backup = await cli('backup.ts', ['--out', archive], { DATA_DIR: sourceDir });
    expect(backup.stdout).toMatch(/backup written: .*shop\.vbak \(\d+ collections, \d+ documents/);
    expect(existsSync(`${archive}.partial`)).toBe(false);

    const restore = await cli('restore.ts', [archive], { DATA_DIR: restoredDir });
    expect(restore.stdout).toMatch(/restored \d+ collections, \d+ documents/);
    expect(readdirSync(restoredDir)).not.toContain('db.uri'); // the CLI's embedded server is stopped again

    const original = await describeDb(database.db);
    const copy = await startEmbeddedMongo({ dbPath: join(restoredDir, 'db') });
    const restored = await connectDatabase(copy.uri);
    try {
      // The data that the test wrote is really there (so the comparison below is not of two empty sets).
      for (const name of ['products', 'users', 'orders', 'media.files', 'media.chunks', 'backup_probe']) expect(original[name]?.docs.length, name).toBeGreaterThan(0);
      expect(original.products?.indexes.length).toBeGreaterThan(1);

      const copied = await describeDb(restored.db);
      expect(Object.keys(copied)).toEqual(Object.keys(original));
      for (const name of Object.keys(original)) {
        expect(copied[name]?.docs, `documents of ${name}`).toEqual(original[name]?.docs);
        expect(copied[name]?.indexes, `indexes of ${name}`).toEqual(original[name]?.indexes);
      }
      const probe = await restored.db.collection('backup_probe').findOne({}, { promoteValues: false, promoteLongs: false });
      expect(Object.keys(probe ?? {})).toEqual(['_id', 'z', 'a', 'd', 'l', 'dec', 'bin', 'when', 'nested', 're']);
      expect(probe?.l).toEqual(Long.fromString('9007199254740993'));
      expect(String(probe?.dec)).toBe('19.90');
      expect(await download(restored.db, 'media', imageId)).toEqual(imageBytes);
    } finally {
      await restored.close();
      await copy.stop();
    }
  }, 60_000);

  it('refuses to restore over a database that has data, naming --force', async () => {
    const refused = await cli('restore.ts', [archive], { DATA_DIR: restoredDir }).then(
      () => undefined,
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toContain('The target database is not empty');
    expect(refused?.stderr).toContain('--force');
  }, 30_000);
});
