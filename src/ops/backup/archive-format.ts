import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { BSON, type Document } from 'mongodb';

/**
 * The backup archive (`.vbak`): one gzip stream of records, each a kind byte followed by one BSON
 * document (which carries its own length):
 *
 *   H header    { format: "vitrine-backup", version: 1, createdAt, database }
 *   C collection { name, type, options, indexes: [listIndexes entries] }  — then its documents:
 *   D document  the stored document's BSON bytes, exactly as the server returned them
 *   E end       { name, count }                                          — closes the collection
 *   Z trailer   { collections, documents }                               — the archive is complete
 *
 * Documents travel as raw BSON, so every type (int32/int64/double/decimal, dates, binary) and the
 * field order come back unchanged. gzip's CRC catches corruption; the trailer catches truncation.
 */

export const FORMAT = 'vitrine-backup';
export const VERSION = 1;
export const EXTENSION = '.vbak';

export type RecordKind = 'H' | 'C' | 'D' | 'E' | 'Z';

export interface HeaderRecord {
  format: string;
  version: number;
  createdAt: Date;
  database: string;
}

export interface CollectionRecord {
  name: string;
  /** "collection" or "view" (a view has no documents; its options hold viewOn and pipeline). */
  type: string;
  options: Document;
  indexes: Document[];
}

export interface EndRecord {
  name: string;
  count: number;
}

export interface TrailerRecord {
  collections: number;
  documents: number;
}

export type ArchiveRecord =
  | { kind: 'H'; value: HeaderRecord }
  | { kind: 'C'; value: CollectionRecord }
  | { kind: 'D'; raw: Uint8Array }
  | { kind: 'E'; value: EndRecord }
  | { kind: 'Z'; value: TrailerRecord };

export class ArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveError';
  }
}

const KINDS = new Set<string>(['H', 'C', 'D', 'E', 'Z']);
/** MongoDB's document limit plus room for the wrapper: anything larger is corruption. */
const MAX_RECORD_BYTES = 17 * 1024 * 1024;

export function encodeRecord(kind: RecordKind, value: Document | Uint8Array): Buffer {
  const bson = value instanceof Uint8Array ? value : BSON.serialize(value);
  return Buffer.concat([Buffer.from(kind, 'latin1'), bson]);
}

/** BSON as the driver would give it, but keeping int32/double/long apart (re-serialised unchanged). */
export function decodeDocument(raw: Uint8Array): Document {
  return BSON.deserialize(raw, { promoteValues: false, promoteBuffers: false, bsonRegExp: true, useBigInt64: false });
}

function decodeMeta(raw: Uint8Array): Document {
  return BSON.deserialize(raw);
}

function toRecord(kind: string, raw: Uint8Array): ArchiveRecord {
  switch (kind) {
    case 'D':
      return { kind, raw };
    case 'H':
      return { kind, value: decodeMeta(raw) as HeaderRecord };
    case 'C':
      return { kind, value: decodeMeta(raw) as CollectionRecord };
    case 'E':
      return { kind, value: decodeMeta(raw) as EndRecord };
    default:
      return { kind: 'Z', value: decodeMeta(raw) as TrailerRecord };
  }
}

/** The records of an archive file, in order. Throws ArchiveError on a malformed or truncated stream. */
export async function* readArchive(file: string): AsyncGenerator<ArchiveRecord> {
  let pending: Buffer = Buffer.alloc(0);
  const input = createReadStream(file).pipe(createGunzip());
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let offset = 0;
      while (pending.length - offset >= 5) {
        const kind = String.fromCharCode(pending[offset] ?? 0);
        if (!KINDS.has(kind)) throw new ArchiveError(`not a ${FORMAT} archive (bad record kind)`);
        const size = pending.readInt32LE(offset + 1);
        if (size < 5 || size > MAX_RECORD_BYTES) throw new ArchiveError('corrupt archive (bad record size)');
        if (pending.length - offset - 1 < size) break;
        // A copy: the chunk buffer is reused by the next concat.
        yield toRecord(kind, Uint8Array.prototype.slice.call(pending, offset + 1, offset + 1 + size));
        offset += 1 + size;
      }
      pending = pending.subarray(offset);
    }
  } catch (error) {
    if (error instanceof ArchiveError) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') throw new ArchiveError(`corrupt or truncated archive (${String(code)})`);
    throw error;
  }
  if (pending.length > 0) throw new ArchiveError('truncated archive (partial record at the end)');
}
