/** findAndModify: one document, removed or updated (optionally upserted), pre- or post-image returned. */
import { fail } from '../errors.js';
import { compileProjection, compileSort } from '../storage/query-deps.js';
import { findDocs } from '../storage/query-plan.js';
import type { Doc, JournalOp } from '../storage/types.js';
import { collectionName, isPlainObject, optDoc, type Handler } from './context.js';
import { updateOne } from './write.js';

export const findAndModify: Handler = async (cmd, db, ctx) => {
  const name = collectionName(cmd, Object.keys(cmd)[0]!);
  const query = optDoc(cmd, 'query') ?? {};
  const sortSpec = optDoc(cmd, 'sort');
  const fields = optDoc(cmd, 'fields');
  const remove = cmd.remove === true;
  const returnNew = cmd.new === true;
  const upsert = cmd.upsert === true;
  const u = cmd.update;
  const variables = optDoc(cmd, 'let');
  if (remove && u !== undefined) fail('FailedToParse', 'Cannot specify both an update and remove=true');
  if (!remove && u === undefined) fail('FailedToParse', 'Either an update or remove=true must be specified');
  if (remove && returnNew) fail('FailedToParse', 'Cannot specify both new=true and remove=true; \'remove\' always returns the deleted document');
  if (remove && upsert) fail('FailedToParse', 'Cannot specify both upsert=true and remove=true');
  const project = fields ? compileProjection(fields) : (d: Doc) => d;
  const ops: JournalOp[] = [];
  let reply: Doc;
  try {
  if (remove) {
    const coll = ctx.engine.getCollection(db, name);
    const { docs } = findDocs(coll, query, { sort: sortSpec, limit: 1 }, variables);
    const doc = docs[0];
    if (coll && doc) ctx.engine.writeDoc(coll, doc, undefined, ops);
    reply = { lastErrorObject: { n: doc ? 1 : 0 }, value: doc ? project(doc) : null, ok: 1 };
  } else {
    if (!isPlainObject(u) && !(Array.isArray(u) && u.every(isPlainObject))) fail('FailedToParse', 'Update argument must be either an object or an array');
    const coll = upsert ? ctx.engine.ensureCollection(db, name, ops) : ctx.engine.getCollection(db, name);
    if (!coll) {
      reply = { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
    } else {
      const arrayFilters = Array.isArray(cmd.arrayFilters) ? (cmd.arrayFilters as Doc[]) : undefined;
      const sort = sortSpec && Object.keys(sortSpec).length > 0 ? compileSort(sortSpec) : undefined;
      const r = updateOne(ctx, coll, { q: query, u: u as Doc | Doc[], multi: false, upsert, arrayFilters, variables, sort }, ops);
      const lastErrorObject: Doc = { n: r.n, updatedExisting: r.n > 0 && r.upsertedId === undefined };
      if (r.upsertedId !== undefined) lastErrorObject.upserted = r.upsertedId;
      const value = returnNew ? r.after : r.before;
      reply = { lastErrorObject, value: value ? project(value) : null, ok: 1 };
    }
  }
  } finally {
    // Also on error: an implicitly created collection must reach the journal.
    await ctx.engine.commit(ops);
  }
  return reply;
};
