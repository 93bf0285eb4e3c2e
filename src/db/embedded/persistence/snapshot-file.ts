/**
 * Snapshot file: an 8-byte magic, then framed BSON records (record-format.ts):
 *   header { t:'header', version, lastSeq, createdAt }
 *   { t:'db', db } per database, { t:'coll', db, coll, options, indexes } per collection,
 *   { t:'docs', db, coll, docs } chunks of ~4 MiB (no single BSON document near the 16 MiB limit),
 *   end    { t:'end', collections, documents }: a snapshot without its end record is invalid.
 * It is written to a temp file, fsync'd, renamed into place and the directory fsync'd, so the
 * current file is always complete; a bad one is therefore real damage and stops the start.
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { bsonSize } from './bson-codec.js';
import { fsyncDir, writeAll } from './fs-util.js';
import { chunkBySize, frameRecord, readRecord } from './record-format.js';
import type { CollectionState, SnapshotState } from './types.js';

const MAGIC = Buffer.from('VTRSNAP\u0001', 'latin1');
const VERSION = 1;

/** Encodes synchronously, so the engine may keep mutating its state once this returns. */
export function encodeSnapshot(state: SnapshotState, lastSeq: number): Buffer[] {
  const out: Buffer[] = [MAGIC, frameRecord({ t: 'header', version: VERSION, lastSeq, createdAt: new Date() })];
  let collections = 0;
  let documents = 0;
  for (const [db, database] of Object.entries(state.databases)) {
    out.push(frameRecord({ t: 'db', db }));
    for (const [coll, c] of Object.entries(database.collections)) {
      collections++;
      out.push(frameRecord({ t: 'coll', db, coll, options: c.options, indexes: c.indexes }));
      for (const docs of chunkBySize(c.documents, (d) => bsonSize(d))) {
        documents += docs.length;
        out.push(frameRecord({ t: 'docs', db, coll, docs }));
      }
    }
  }
  out.push(frameRecord({ t: 'end', collections, documents }));
  return out;
}

export class SnapshotCorruptError extends Error {
  override readonly name = 'SnapshotCorruptError';
}

export function decodeSnapshot(buf: Buffer, path: string): { state: SnapshotState; lastSeq: number } {
  const bad = (why: string): never => {
    throw new SnapshotCorruptError(
      `Snapshot ${path} is damaged (${why}). It is only ever replaced atomically, so this is disk-level damage: ` +
        `restore the data directory from a backup, or move the file away to start from the journal alone (older data lost).`,
    );
  };
  if (buf.length < MAGIC.length || !buf.subarray(0, MAGIC.length).equals(MAGIC)) bad('not a Vitrine snapshot file');
  const state: SnapshotState = { databases: {} };
  let offset = MAGIC.length;
  let lastSeq: number | undefined;
  let collections = 0;
  let documents = 0;
  let current: CollectionState | undefined;
  for (;;) {
    const rec = readRecord(buf, offset);
    if (!rec.ok) return bad(`${rec.problem} at byte ${offset}`);
    offset = rec.end;
    const p = rec.payload;
    if (lastSeq === undefined) {
      if (p.t !== 'header' || typeof p.lastSeq !== 'number') return bad('missing header');
      if (p.version !== VERSION) return bad(`unsupported version ${String(p.version)}`);
      lastSeq = p.lastSeq;
      continue;
    }
    if (p.t === 'db' && typeof p.db === 'string') {
      state.databases[p.db] ??= { collections: {} };
    } else if (p.t === 'coll' && typeof p.db === 'string' && typeof p.coll === 'string') {
      const database = (state.databases[p.db] ??= { collections: {} });
      current = { options: p.options ?? {}, indexes: Array.isArray(p.indexes) ? p.indexes : [], documents: [] };
      database.collections[p.coll] = current;
      collections++;
    } else if (p.t === 'docs' && Array.isArray(p.docs)) {
      if (!current || state.databases[p.db]?.collections[p.coll] !== current) return bad('documents before their collection');
      for (const d of p.docs as Record<string, unknown>[]) current.documents.push(d);
      documents += p.docs.length;
    } else if (p.t === 'end') {
      if (p.collections !== collections || p.documents !== documents) return bad('counts in the end record do not match');
      if (offset !== buf.length) return bad('data after the end record');
      return { state, lastSeq };
    } else {
      return bad(`unknown record ${JSON.stringify(p.t)}`);
    }
  }
}

/** The snapshot and its lastSeq, or undefined when there is no snapshot yet. */
export async function readSnapshot(path: string): Promise<{ state: SnapshotState; lastSeq: number } | undefined> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return decodeSnapshot(buf, path);
}

/** temp file → fsync → rename over `path` → fsync the directory. */
export async function writeSnapshotFile(path: string, chunks: readonly Buffer[]): Promise<void> {
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await writeAll(handle, chunks);
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await handle.close();
  await rename(tmp, path);
  await fsyncDir(path);
}
