/** Splits a result set into cursor batches bounded by count and by size (like mongod's 16 MiB). */
import { serialize } from 'bson';
import type { CommandContext } from './context.js';
import type { Doc } from '../storage/types.js';
import { encodeCursorReply } from '../wire/cursor-reply.js';

const MAX_BATCH_BYTES = 16 * 1024 * 1024;
export const DEFAULT_FIRST_BATCH = 101;

function takeBatch(docs: Doc[], start: number, maxCount: number, project: ((d: Doc) => Doc) | undefined): { bytes: Uint8Array[]; next: number } {
  const bytes: Uint8Array[] = [];
  let size = 0;
  let i = start;
  while (i < docs.length && bytes.length < maxCount) {
    const b = serialize(project ? project(docs[i]!) : docs[i]!);
    if (bytes.length > 0 && size + b.length > MAX_BATCH_BYTES) break;
    bytes.push(b);
    size += b.length;
    i++;
  }
  return { bytes, next: i };
}

/** First batch of a result; opens a cursor for the rest unless `singleBatch`. */
export function firstBatchReply(
  ctx: CommandContext,
  ns: string,
  docs: Doc[],
  options: { batchSize?: number; singleBatch?: boolean; project?: (d: Doc) => Doc },
): Uint8Array {
  const max = options.batchSize === undefined ? DEFAULT_FIRST_BATCH : options.batchSize;
  const { bytes, next } = takeBatch(docs, 0, max, options.project);
  let id = 0n;
  if (next < docs.length && !options.singleBatch) id = ctx.cursors.open(ns, docs, next, options.project);
  return encodeCursorReply('firstBatch', bytes, id, ns);
}

/** The next batch of an open cursor; closes it once exhausted. */
export function nextBatchReply(ctx: CommandContext, id: bigint, batchSize: number | undefined): Uint8Array | undefined {
  const cursor = ctx.cursors.get(id);
  if (!cursor) return undefined;
  const { bytes, next } = takeBatch(cursor.docs, cursor.position, batchSize && batchSize > 0 ? batchSize : Infinity, cursor.project);
  cursor.position = next;
  let replyId = id;
  if (next >= cursor.docs.length) {
    ctx.cursors.close(id);
    replyId = 0n;
  }
  return encodeCursorReply('nextBatch', bytes, replyId, cursor.ns);
}
