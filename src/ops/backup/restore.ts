import type { Db, Document } from 'mongodb';
import { ArchiveError, decodeDocument, FORMAT, readArchive, VERSION, type CollectionRecord, type HeaderRecord } from './archive-format.js';
import { restorableIndexes } from './index-specs.js';

/**
 * Brings a database to the state recorded in an archive. The archive is read twice: once to check
 * it end to end (format, every collection closed with its count, the trailer present), and only
 * then to write, so a damaged file changes nothing. The target must be empty unless `force`, which
 * drops every collection of the target database first.
 */

export interface RestoreOptions {
  force?: boolean;
  log?: (message: string) => void;
}

export interface RestoreSummary {
  header: HeaderRecord;
  collections: number;
  documents: number;
  /** Collections dropped because of `force`. */
  dropped: string[];
}

export class RestoreRefused extends Error {
  constructor(readonly existing: string[]) {
    super(
      `The target database is not empty (${existing.length} collections: ${existing.slice(0, 5).join(', ')}${existing.length > 5 ? ', …' : ''}). ` +
        'Restore into a fresh data directory or an empty database, or pass --force to replace everything in it.',
    );
    this.name = 'RestoreRefused';
  }
}

const BATCH = 500;

/** Reads the whole archive and checks its structure; returns its header and totals. */
export async function verifyArchive(file: string): Promise<{ header: HeaderRecord; collections: number; documents: number }> {
  let header: HeaderRecord | undefined;
  let current: { name: string; count: number } | undefined;
  let collections = 0;
  let documents = 0;
  let complete = false;
  for await (const record of readArchive(file)) {
    if (complete) throw new ArchiveError('data after the end of the archive');
    if (header === undefined) {
      if (record.kind !== 'H' || record.value.format !== FORMAT) throw new ArchiveError(`not a ${FORMAT} archive`);
      if (record.value.version !== VERSION) throw new ArchiveError(`archive version ${String(record.value.version)} is not supported (this build reads ${VERSION})`);
      header = record.value;
      continue;
    }
    if (record.kind === 'C') {
      if (current) throw new ArchiveError(`collection ${current.name} is not closed`);
      current = { name: record.value.name, count: 0 };
    } else if (record.kind === 'D') {
      if (!current) throw new ArchiveError('document outside a collection');
      current.count++;
      documents++;
    } else if (record.kind === 'E') {
      if (!current || current.name !== record.value.name || current.count !== record.value.count) {
        throw new ArchiveError(`collection ${record.value.name}: document count does not match`);
      }
      current = undefined;
      collections++;
    } else if (record.kind === 'Z') {
      if (current || record.value.collections !== collections || record.value.documents !== documents) {
        throw new ArchiveError('archive totals do not match its contents');
      }
      complete = true;
    } else {
      throw new ArchiveError('a second header');
    }
  }
  if (!header) throw new ArchiveError('empty archive');
  if (!complete) throw new ArchiveError('truncated archive (no trailer): the backup did not finish');
  return { header, collections, documents };
}

export async function userCollections(db: Db): Promise<string[]> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  return names.filter((n) => !n.startsWith('system.')).sort();
}

export async function restoreDatabase(db: Db, file: string, options: RestoreOptions = {}): Promise<RestoreSummary> {
  const checked = await verifyArchive(file);
  const existing = await userCollections(db);
  if (existing.length > 0 && !options.force) throw new RestoreRefused(existing);
  for (const name of existing) await db.collection(name).drop();

  let collection: CollectionRecord | undefined;
  let batch: Document[] = [];
  const flush = async (): Promise<void> => {
    if (!collection || batch.length === 0) return;
    // Decoded without type promotion: re-encoded to the same BSON; ordered, so a failure stops here.
    await db.collection(collection.name).insertMany(batch, { ordered: true, checkKeys: false });
    batch = [];
  };

  for await (const record of readArchive(file)) {
    if (record.kind === 'C') {
      collection = record.value;
      if (collection.type === 'view' || Object.keys(collection.options).length > 0) {
        await db.createCollection(collection.name, collection.options);
      } else {
        await db.createCollection(collection.name);
      }
    } else if (record.kind === 'D') {
      batch.push(decodeDocument(record.raw));
      if (batch.length >= BATCH) await flush();
    } else if (record.kind === 'E' && collection) {
      await flush();
      // Indexes after the data (faster, as mongorestore does); a unique index that the data
      // violates fails loudly here.
      const indexes = restorableIndexes(collection.indexes);
      if (indexes.length > 0) await db.command({ createIndexes: collection.name, indexes });
      options.log?.(`${collection.name}: ${record.value.count} documents, ${indexes.length} indexes`);
      collection = undefined;
    }
  }
  return { header: checked.header, collections: checked.collections, documents: checked.documents, dropped: existing };
}
