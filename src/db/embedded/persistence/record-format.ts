/**
 * Framing shared by the journal and the snapshot file:
 *   uint32 LE payload length | uint32 LE CRC-32 of the payload | BSON payload
 * A BSON document starts with its own int32 length, which doubles as a cheap sanity check.
 */
import { crc32 } from 'node:zlib';
import { bsonSize, decodeBson, encodeBson } from './bson-codec.js';
import type { Document } from 'bson';

export const HEADER_BYTES = 8;
/** Larger than any legitimate record (one 16 MiB document plus envelope); a bigger length is corruption. */
export const MAX_PAYLOAD_BYTES = 48 * 1024 * 1024;
/** Target size of one record when a batch of ops or a collection's documents is split. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

export function frameRecord(payload: Document): Buffer {
  const record = encodeBson(payload, HEADER_BYTES);
  const length = record.length - HEADER_BYTES;
  record.writeUInt32LE(length, 0);
  record.writeUInt32LE(crc32(record.subarray(HEADER_BYTES)), 4);
  return record;
}

/** Splits items into groups whose encoded size stays near CHUNK_BYTES (never empty, one item at least). */
export function chunkBySize<T extends Document | unknown>(items: readonly T[], sizeOf: (item: T) => number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && bytes + size > CHUNK_BYTES) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export function sizeOfValue(value: unknown): number {
  return bsonSize({ v: value });
}

export type RecordProblem = 'bad length' | 'short read' | 'CRC mismatch' | 'undecodable BSON';

/** Reads the record at `offset`: its decoded payload and end, or why it is not a good record. */
export function readRecord(
  buf: Buffer,
  offset: number,
): { ok: true; payload: Document; end: number } | { ok: false; problem: RecordProblem } {
  if (buf.length - offset < HEADER_BYTES) return { ok: false, problem: 'short read' };
  const length = buf.readUInt32LE(offset);
  if (length < 5 || length > MAX_PAYLOAD_BYTES) return { ok: false, problem: 'bad length' };
  const start = offset + HEADER_BYTES;
  const end = start + length;
  if (end > buf.length) return { ok: false, problem: 'short read' };
  const body = buf.subarray(start, end);
  if (crc32(body) !== buf.readUInt32LE(offset + 4)) return { ok: false, problem: 'CRC mismatch' };
  try {
    return { ok: true, payload: decodeBson(body), end };
  } catch {
    return { ok: false, problem: 'undecodable BSON' };
  }
}

/**
 * After a bad record at `badOffset`: is there any good record later in the buffer? That tells
 * a torn tail (normal after a crash) from damage in the middle (data after it is unreachable).
 * Candidates must have the BSON length echo, so the CRC runs only on plausible positions.
 */
export function findLaterGoodRecord(buf: Buffer, badOffset: number): number | undefined {
  for (let pos = badOffset + 1; pos + HEADER_BYTES + 5 <= buf.length; pos++) {
    const length = buf.readUInt32LE(pos);
    if (length < 5 || length > MAX_PAYLOAD_BYTES || pos + HEADER_BYTES + length > buf.length) continue;
    if (buf.readInt32LE(pos + HEADER_BYTES) !== length) continue;
    if (readRecord(buf, pos).ok) return pos;
  }
  return undefined;
}
