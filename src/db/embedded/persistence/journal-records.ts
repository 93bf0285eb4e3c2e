/**
 * Journal record payloads: `{ seq, ops: [...] }`. `seq` numbers appends; a snapshot stores the
 * last seq it covers, so replay skips older records explicitly instead of relying on
 * idempotence (renameColl and dropDb are not idempotent when replayed out of place).
 */
import type { Document } from 'bson';
import { bsonSize } from './bson-codec.js';
import { chunkBySize, CHUNK_BYTES, frameRecord } from './record-format.js';
import type { JournalOp } from './types.js';

/** One append becomes one record, or several with the same seq when it is bigger than a chunk. */
export function encodeJournalRecords(seq: number, ops: readonly JournalOp[]): Buffer[] {
  const whole = { seq, ops };
  if (ops.length <= 1 || bsonSize(whole) <= CHUNK_BYTES) return [frameRecord(whole)];
  return chunkBySize(ops, (op) => bsonSize(op)).map((part) => frameRecord({ seq, ops: part }));
}

const OP_FIELDS: Record<JournalOp['op'], Record<string, 'string' | 'object' | 'any'>> = {
  put: { db: 'string', coll: 'string', doc: 'object' },
  del: { db: 'string', coll: 'string', id: 'any' },
  createColl: { db: 'string', coll: 'string', options: 'object' },
  dropColl: { db: 'string', coll: 'string' },
  createIndex: { db: 'string', coll: 'string', spec: 'object' },
  dropIndex: { db: 'string', coll: 'string', name: 'string' },
  dropDb: { db: 'string' },
  renameColl: { db: 'string', coll: 'string', toDb: 'string', toColl: 'string' },
};

/** Thrown for a record that is intact (CRC ok) but that this version cannot replay: never skipped silently. */
export class JournalFormatError extends Error {
  override readonly name = 'JournalFormatError';
}

function checkOp(raw: unknown, seq: number): JournalOp {
  if (raw === null || typeof raw !== 'object') throw new JournalFormatError(`journal record ${seq}: op is not a document`);
  const op = raw as Record<string, unknown>;
  const name = op.op;
  const fields = typeof name === 'string' ? OP_FIELDS[name as JournalOp['op']] : undefined;
  if (!fields) throw new JournalFormatError(`journal record ${seq}: unknown op ${JSON.stringify(name)} (written by a newer version?)`);
  for (const [field, type] of Object.entries(fields)) {
    const value = op[field];
    const ok = type === 'any' ? field in op : type === 'string' ? typeof value === 'string' : value !== null && typeof value === 'object';
    if (!ok) throw new JournalFormatError(`journal record ${seq}: op ${String(name)} has no valid "${field}"`);
  }
  return op as JournalOp;
}

/** undefined when the payload is not shaped like a journal record at all (treated as corruption). */
export function parseJournalPayload(payload: Document): { seq: number; ops: JournalOp[] } | undefined {
  const { seq, ops } = payload;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || !Array.isArray(ops)) return undefined;
  return { seq, ops: ops.map((op) => checkOp(op, seq)) };
}
