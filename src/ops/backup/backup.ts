import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Db, Document } from 'mongodb';
import { encodeRecord, FORMAT, VERSION, type CollectionRecord } from './archive-format.js';

/**
 * Writes the whole database (every collection, its options and index definitions; GridFS media
 * included, being collections) into one archive file. Consistency: each collection is read by one
 * cursor walking the _id index, so no document appears twice; there is no snapshot across
 * collections (the shop uses no transactions). GridFS `*.files` are read before their `*.chunks`,
 * so a file in the archive has its chunks even if an upload finishes during the backup.
 */

export interface BackupSummary {
  file: string;
  collections: number;
  documents: number;
  /** Documents per collection. */
  counts: Record<string, number>;
}

export interface BackupOptions {
  now?: () => Date;
  /** Progress lines for the CLI. */
  log?: (message: string) => void;
}

interface CollectionInfo {
  name: string;
  type?: string;
  options?: Document;
}

/** Collection order: GridFS files before chunks, otherwise by name (stable archives). */
export function backupOrder(names: readonly string[]): string[] {
  const rank = (name: string): string => (name.endsWith('.chunks') ? `${name.slice(0, -'.chunks'.length)}.~chunks` : name);
  return [...names].sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0));
}

export async function backupDatabase(db: Db, file: string, options: BackupOptions = {}): Promise<BackupSummary> {
  const now = options.now ?? (() => new Date());
  const infos = (await db.listCollections({}, { nameOnly: false }).toArray()) as CollectionInfo[];
  const byName = new Map(infos.filter((i) => !i.name.startsWith('system.')).map((i) => [i.name, i]));
  const names = backupOrder([...byName.keys()]);
  const counts: Record<string, number> = {};
  let documents = 0;

  async function* records(): AsyncGenerator<Buffer> {
    yield encodeRecord('H', { format: FORMAT, version: VERSION, createdAt: now(), database: db.databaseName });
    for (const name of names) {
      const info = byName.get(name);
      const type = info?.type ?? 'collection';
      const collection = db.collection(name);
      const indexes = type === 'view' ? [] : await collection.listIndexes().toArray();
      const record: CollectionRecord = { name, type, options: info?.options ?? {}, indexes };
      yield encodeRecord('C', record);
      let count = 0;
      if (type !== 'view') {
        // raw: the server's BSON bytes as they are (no type promotion on the way through).
        const cursor = collection.find({}, { raw: true, sort: { _id: 1 }, batchSize: 500 });
        for await (const raw of cursor as AsyncIterable<unknown>) {
          if (!(raw instanceof Uint8Array)) throw new Error(`unexpected cursor value in ${name}`);
          yield encodeRecord('D', raw);
          count++;
        }
      }
      yield encodeRecord('E', { name, count });
      counts[name] = count;
      documents += count;
      options.log?.(`${name}: ${count} documents`);
    }
    yield encodeRecord('Z', { collections: names.length, documents });
  }

  // Written under a temporary name: a half-written archive never looks like a finished one.
  const partial = `${file}.partial`;
  try {
    await pipeline(Readable.from(records()), createGzip(), createWriteStream(partial, { mode: 0o600 }));
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return { file, collections: names.length, documents, counts };
}
