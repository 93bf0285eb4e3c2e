/** BSON encoding for journal and snapshot records, decoded the way the whole server decodes (DESIGN.md). */
import { calculateObjectSize, deserialize, serializeWithBufferAndIndex, type Document } from 'bson';

const DECODE_OPTIONS = { promoteLongs: false, promoteValues: true, promoteBuffers: false, bsonRegExp: true } as const;

/**
 * Encodes into an exactly sized Buffer, leaving `reserve` bytes free in front for a record
 * header (no copy out of bson's shared scratch buffer, no concat).
 */
export function encodeBson(doc: Document, reserve = 0): Buffer {
  const size = calculateObjectSize(doc);
  const buf = Buffer.allocUnsafe(reserve + size);
  const last = serializeWithBufferAndIndex(doc, buf, { index: reserve });
  if (last + 1 !== reserve + size) throw new Error(`BSON size mismatch: expected ${size}, wrote ${last + 1 - reserve}`);
  return buf;
}

export function bsonSize(doc: Document): number {
  return calculateObjectSize(doc);
}

export function decodeBson(buf: Uint8Array): Document {
  return deserialize(buf, DECODE_OPTIONS);
}

/**
 * A string that is equal for equal `_id` values: numbers compare by value whatever their BSON
 * type (1, 1.0 and NumberLong(1) are the same _id in MongoDB), anything else by its encoding.
 */
export function idKey(id: unknown): string {
  if (typeof id === 'number') return `n${Object.is(id, -0) ? 0 : id}`;
  if (typeof id === 'string') return `s${id}`;
  if (id !== null && typeof id === 'object') {
    const type = (id as { _bsontype?: unknown })._bsontype;
    if (type === 'Long' || type === 'Int32' || type === 'Double') return `n${String(id)}`;
    if (type === 'ObjectId') return `o${(id as { toHexString(): string }).toHexString()}`;
  }
  return `b${encodeBson({ v: id }).toString('base64')}`;
}
