/** insert, update, delete: per-statement results, writeErrors, ordered/unordered. */
import { ObjectId } from 'bson';
import { CommandError, fail } from '../errors.js';
import { MAX_DOC_SIZE } from '../storage/engine.js';
import { applyUpdate, canonicalKey, isOperatorUpdate, valuesEqual, runPipeline, upsertSeed, validateFieldNames, validateReplacement } from '../storage/query-deps.js';
import { prepareQuery } from '../storage/query-plan.js';
import type { Collection } from '../storage/collection.js';
import type { Doc, JournalOp } from '../storage/types.js';
import { collectionName, isPlainObject, optDoc, type CommandContext, type Handler } from './context.js';

interface WriteError {
  index: number;
  code: number;
  codeName?: string;
  errmsg: string;
  [k: string]: unknown;
}

function toWriteError(index: number, err: unknown): WriteError {
  if (err instanceof CommandError) return { index, code: err.code, errmsg: err.message, ...(err.extra ?? {}) };
  // Never let an unexpected error skip the journal commit of the statements before it.
  return { index, code: 1, errmsg: err instanceof Error ? err.message : String(err) };
}

/** `_id` first, generated when missing (mongod stores it as the first field). */
export function withId(doc: Doc): Doc {
  if (doc._id === undefined) return { _id: new ObjectId(), ...doc };
  if (Object.keys(doc)[0] === '_id') return doc;
  return { _id: doc._id, ...doc };
}

function statements(cmd: Doc, field: string, command: string): Doc[] {
  const v = cmd[field];
  if (!Array.isArray(v)) fail('TypeMismatch', `BSON field '${command}.${field}' is missing or the wrong type, expected type 'array'`);
  if (v.length === 0) fail('InvalidLength', 'Write batch sizes must be between 1 and 100000. Got 0 operations.', undefined, 10);
  for (const s of v) if (!isPlainObject(s)) fail('TypeMismatch', `BSON field '${command}.${field}' entries must be objects`);
  return v as Doc[];
}

function reply(base: Doc, writeErrors: WriteError[]): Doc {
  if (writeErrors.length > 0) base.writeErrors = writeErrors;
  base.ok = 1;
  return base;
}

export const insert: Handler = async (cmd, db, ctx) => {
  const name = collectionName(cmd, 'insert');
  const docs = statements(cmd, 'documents', 'insert');
  const ordered = cmd.ordered !== false;
  const ops: JournalOp[] = [];
  const writeErrors: WriteError[] = [];
  let n = 0;
  const checkSize = ctx.messageLength > MAX_DOC_SIZE;
  const coll = ctx.engine.ensureCollection(db, name, ops);
  for (let i = 0; i < docs.length; i++) {
    try {
      const doc = withId(docs[i]!);
      validateFieldNames(doc, { forStorage: true });
      ctx.engine.writeDoc(coll, undefined, doc, ops, checkSize);
      n++;
    } catch (err) {
      writeErrors.push(toWriteError(i, err));
      if (ordered) break;
    }
  }
  await ctx.engine.commit(ops);
  return reply({ n }, writeErrors);
};

/** Applies one update statement; returns what it did. Shared with findAndModify. */
export function updateOne(
  ctx: CommandContext,
  coll: Collection,
  stmt: { q: Doc; u: Doc | Doc[]; multi: boolean; upsert: boolean; arrayFilters?: Doc[]; variables?: Doc; sort?: (a: Doc, b: Doc) => number },
  ops: JournalOp[],
): { n: number; nModified: number; upsertedId?: unknown; before?: Doc; after?: Doc } {
  const { q, u, multi } = stmt;
  const pipeline = Array.isArray(u);
  if (!pipeline && !isOperatorUpdate(u)) {
    if (multi) fail('FailedToParse', 'multi update is not supported for replacement-style update');
    validateReplacement(u);
  }
  const query = prepareQuery(coll, q, stmt.variables);
  const matched: [Doc, { arrayIndex?: number }][] = [];
  for (const doc of query.candidates()) {
    const details = query.matcher.matchWithDetails(doc);
    if (details.matched) {
      matched.push([doc, details]);
      if (!multi && !stmt.sort) break;
    }
  }
  if (stmt.sort && matched.length > 1) matched.sort((a, b) => stmt.sort!(a[0], b[0]));
  const checkSize = true;
  if (matched.length === 0) {
    if (!stmt.upsert) return { n: 0, nModified: 0 };
    const seed = upsertSeed(q);
    let doc: Doc;
    if (pipeline) doc = runPipeline([seed], u, { variables: stmt.variables })[0] ?? seed;
    else if (isOperatorUpdate(u)) doc = applyUpdate(seed, u, { arrayFilters: stmt.arrayFilters, isUpsertInsert: true }).doc;
    else doc = seed._id !== undefined && u._id === undefined ? { _id: seed._id, ...u } : u;
    doc = withId(doc);
    validateFieldNames(doc, { forStorage: true });
    ctx.engine.writeDoc(coll, undefined, doc, ops, checkSize);
    return { n: 1, nModified: 0, upsertedId: doc._id, after: doc };
  }
  let nModified = 0;
  let first: { before: Doc; after: Doc } | undefined;
  for (const [doc, details] of matched.slice(0, multi ? undefined : 1)) {
    const result = pipeline
      ? pipelineUpdate(doc, u, stmt.variables)
      : applyUpdate(doc, u, { arrayFilters: stmt.arrayFilters, matchDetails: details });
    const after = withId(result.doc);
    if (result.modified) {
      ctx.engine.writeDoc(coll, doc, after, ops, checkSize);
      nModified++;
    }
    first ??= { before: doc, after: result.modified ? after : doc };
  }
  return { n: multi ? matched.length : 1, nModified, before: first?.before, after: first?.after };
}

function pipelineUpdate(doc: Doc, pipeline: Doc[], variables: Doc | undefined): { doc: Doc; modified: boolean } {
  const out = runPipeline([doc], pipeline, { variables })[0] ?? doc;
  if (!valuesEqual(out._id, doc._id)) fail('ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
  return { doc: out, modified: canonicalKey(out) !== canonicalKey(doc) };
}

export const update: Handler = async (cmd, db, ctx) => {
  const name = collectionName(cmd, 'update');
  const stmts = statements(cmd, 'updates', 'update');
  const ordered = cmd.ordered !== false;
  const variables = optDoc(cmd, 'let');
  const ops: JournalOp[] = [];
  const writeErrors: WriteError[] = [];
  const upserted: { index: number; _id: unknown }[] = [];
  let n = 0;
  let nModified = 0;
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i]!;
    try {
      const q = optDoc(s, 'q') ?? {};
      const u = s.u;
      if (!isPlainObject(u) && !(Array.isArray(u) && u.every(isPlainObject))) fail('FailedToParse', 'Update argument must be either an object or an array');
      const upsert = s.upsert === true;
      const coll = upsert ? ctx.engine.ensureCollection(db, name, ops) : ctx.engine.getCollection(db, name);
      if (!coll) continue;
      const arrayFilters = Array.isArray(s.arrayFilters) ? (s.arrayFilters as Doc[]) : undefined;
      const r = updateOne(ctx, coll, { q, u: u as Doc | Doc[], multi: s.multi === true, upsert, arrayFilters, variables: optDoc(s, 'c') ?? variables }, ops);
      n += r.n;
      nModified += r.nModified;
      if (r.upsertedId !== undefined) upserted.push({ index: i, _id: r.upsertedId });
    } catch (err) {
      writeErrors.push(toWriteError(i, err));
      if (ordered) break;
    }
  }
  await ctx.engine.commit(ops);
  const base: Doc = { n, nModified };
  if (upserted.length > 0) base.upserted = upserted;
  return reply(base, writeErrors);
};

export const deleteCommand: Handler = async (cmd, db, ctx) => {
  const name = collectionName(cmd, 'delete');
  const stmts = statements(cmd, 'deletes', 'delete');
  const ordered = cmd.ordered !== false;
  const ops: JournalOp[] = [];
  const writeErrors: WriteError[] = [];
  let n = 0;
  const coll = ctx.engine.getCollection(db, name);
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i]!;
    try {
      const limit = s.limit;
      if (limit !== 0 && limit !== 1) fail('FailedToParse', 'The limit field in delete objects must be 0 or 1. Got ' + String(limit), undefined, 9);
      const q = optDoc(s, 'q') ?? {};
      if (!coll) continue;
      const query = prepareQuery(coll, q, optDoc(cmd, 'let'));
      const matched: Doc[] = [];
      for (const doc of query.candidates()) {
        if (query.matcher(doc)) {
          matched.push(doc);
          if (limit === 1) break;
        }
      }
      for (const doc of matched) ctx.engine.writeDoc(coll, doc, undefined, ops);
      n += matched.length;
    } catch (err) {
      writeErrors.push(toWriteError(i, err));
      if (ordered) break;
    }
  }
  await ctx.engine.commit(ops);
  return reply({ n }, writeErrors);
};
