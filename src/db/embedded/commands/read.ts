/** find, getMore, killCursors, count, distinct. */
import { Long } from 'bson';
import { fail } from '../errors.js';
import { MISSING, valuesAtPath } from '../storage/key-values.js';
import { canonicalKey, compileProjection } from '../storage/query-deps.js';
import { findDocs, prepareQuery } from '../storage/query-plan.js';
import { toBigInt } from '../storage/cursors.js';
import type { Doc } from '../storage/types.js';
import { firstBatchReply, nextBatchReply } from './batches.js';
import { collectionName, nonNegative, optDoc, optInt, type Handler } from './context.js';

export const find: Handler = (cmd, db, ctx) => {
  const name = collectionName(cmd, 'find');
  const filter = optDoc(cmd, 'filter') ?? {};
  const projection = optDoc(cmd, 'projection');
  const skip = nonNegative(cmd, 'skip');
  let limit = optInt(cmd, 'limit');
  let singleBatch = cmd.singleBatch === true;
  if (limit !== undefined && limit < 0) {
    limit = -limit;
    singleBatch = true;
  }
  const batchSize = nonNegative(cmd, 'batchSize');
  const coll = ctx.engine.getCollection(db, name);
  const { docs, textScore } = findDocs(coll, filter, { sort: optDoc(cmd, 'sort'), skip, limit }, optDoc(cmd, 'let'));
  let project: ((d: Doc) => Doc) | undefined;
  if (projection && Object.keys(projection).length > 0) {
    const proj = compileProjection(projection, { textScore, copy: false }); // serialized at once
    const positional = Object.keys(projection).some((k) => k.endsWith('.$'));
    if (positional) {
      const { matcher } = prepareQuery(coll, filter, optDoc(cmd, 'let'));
      project = (d) => proj(d, matcher.matchWithDetails(d));
    } else {
      project = (d) => proj(d);
    }
  }
  // `docs` already honours skip and limit: the cursor stays open only while documents remain.
  return firstBatchReply(ctx, `${db}.${name}`, docs, { batchSize, singleBatch, project });
};

export const getMore: Handler = (cmd, db, ctx) => {
  const id = toBigInt(cmd.getMore);
  if (id === undefined) fail('TypeMismatch', "BSON field 'getMore.getMore' is the wrong type, expected type 'long'");
  if (typeof cmd.collection !== 'string') fail('TypeMismatch', "BSON field 'getMore.collection' is missing or the wrong type");
  const cursor = ctx.cursors.get(id);
  if (cursor && cursor.ns !== `${db}.${cmd.collection}`) {
    fail('Unauthorized', `Requested getMore on namespace '${db}.${cmd.collection}', but cursor belongs to a different namespace ${cursor.ns}`, undefined, 13);
  }
  const reply = nextBatchReply(ctx, id, nonNegative(cmd, 'batchSize'));
  if (!reply) fail('CursorNotFound', `cursor id ${id} not found`);
  return reply;
};

export const killCursors: Handler = (cmd, _db, ctx) => {
  collectionName(cmd, 'killCursors');
  if (!Array.isArray(cmd.cursors)) fail('TypeMismatch', "BSON field 'killCursors.cursors' is missing or the wrong type");
  const killed: Long[] = [];
  const notFound: Long[] = [];
  for (const raw of cmd.cursors) {
    const id = toBigInt(raw);
    if (id === undefined) continue;
    (ctx.cursors.close(id) ? killed : notFound).push(Long.fromBigInt(id));
  }
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

export const count: Handler = (cmd, db, ctx) => {
  const name = collectionName(cmd, 'count');
  const query = optDoc(cmd, 'query') ?? {};
  const skip = nonNegative(cmd, 'skip') ?? 0;
  const limit = Math.abs(optInt(cmd, 'limit') ?? 0);
  const coll = ctx.engine.getCollection(db, name);
  if (!coll) return { n: 0, ok: 1 };
  if (Object.keys(query).length === 0) {
    const total = Math.max(0, coll.docs.size - skip);
    return { n: limit > 0 ? Math.min(limit, total) : total, ok: 1 };
  }
  const { docs } = findDocs(coll, query, { skip, limit });
  return { n: docs.length, ok: 1 };
};

export const distinct: Handler = (cmd, db, ctx) => {
  const name = collectionName(cmd, 'distinct');
  const key = cmd.key;
  if (typeof key !== 'string') fail('TypeMismatch', "BSON field 'distinct.key' is missing or the wrong type");
  if (key === '') fail('BadValue', 'The key field cannot be empty', undefined, 31034);
  const coll = ctx.engine.getCollection(db, name);
  const { docs } = findDocs(coll, optDoc(cmd, 'query') ?? {});
  const seen = new Set<string>();
  const values: unknown[] = [];
  for (const doc of docs) {
    for (const v of valuesAtPath(doc, key)) {
      if (v === MISSING || v === undefined) continue;
      const k = canonicalKey(v);
      if (!seen.has(k)) {
        seen.add(k);
        values.push(v);
      }
    }
  }
  return { values, ok: 1 };
};
