/** createIndexes, listIndexes, dropIndexes with mongod's conflict rules and codes. */
import { fail } from '../errors.js';
import { canonicalKey } from '../storage/query-deps.js';
import { normaliseTextSpec, isTextKey } from '../storage/text-index.js';
import type { Doc, IndexSpec, JournalOp } from '../storage/types.js';
import { firstBatchReply } from './batches.js';
import { collectionName, isPlainObject, type Handler } from './context.js';

/** Fields that describe the index itself (compared for IndexOptionsConflict), not build options. */
const IGNORED_OPTIONS = new Set(['v', 'key', 'name', 'background', 'ns']);

function buildSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw)) fail('TypeMismatch', 'Each index specification must be an object');
  const key = raw.key;
  if (!isPlainObject(key) || Object.keys(key).length === 0) fail('CannotCreateIndex', 'Index keys cannot be empty.', undefined, 67);
  if (typeof raw.name !== 'string' || raw.name === '') fail('FailedToParse', "The 'name' field is a required property of an index specification", undefined, 9);
  for (const [field, v] of Object.entries(key)) {
    if (field === '$**' || field.endsWith('.$**')) {
      if (v !== 'text') fail('NotImplemented', 'wildcard indexes are not supported by the embedded server');
      continue;
    }
    if (typeof v === 'number' && v !== 0 && Number.isFinite(v)) continue;
    if (v === 'text' || v === 'hashed') continue;
    if (typeof v === 'string') fail('CannotCreateIndex', `Unknown index plugin '${v}'`, undefined, 67);
    fail('CannotCreateIndex', `Values in index key pattern can't be 0 or non-numbers: ${field}`, undefined, 67);
  }
  if (raw.expireAfterSeconds !== undefined && (typeof raw.expireAfterSeconds !== 'number' || raw.expireAfterSeconds < 0)) {
    fail('CannotCreateIndex', 'TTL index \'expireAfterSeconds\' option must be a non-negative number', undefined, 67);
  }
  if (raw.partialFilterExpression !== undefined && !isPlainObject(raw.partialFilterExpression)) fail('TypeMismatch', 'partialFilterExpression must be an object');
  const spec: IndexSpec = { v: 2, key, name: raw.name };
  for (const [k, v] of Object.entries(raw)) if (!IGNORED_OPTIONS.has(k) && v !== undefined) spec[k] = v;
  return isTextKey(key) ? normaliseTextSpec(spec) : spec;
}

function optionsKey(spec: IndexSpec): string {
  const opts: Doc = {};
  for (const k of Object.keys(spec).sort()) if (!IGNORED_OPTIONS.has(k)) opts[k] = spec[k];
  return canonicalKey(opts);
}

export const createIndexes: Handler = async (cmd, db, ctx) => {
  const name = collectionName(cmd, 'createIndexes');
  if (!Array.isArray(cmd.indexes) || cmd.indexes.length === 0) fail('BadValue', 'Must specify at least one index to create');
  const specs = cmd.indexes.map(buildSpec);
  const ops: JournalOp[] = [];
  const created = !ctx.engine.getCollection(db, name);
  const coll = ctx.engine.ensureCollection(db, name, ops);
  const before = coll.indexSpecs().length;
  const toCreate: IndexSpec[] = [];
  for (const spec of specs) {
    const existing = [...coll.indexSpecs(), ...toCreate];
    const sameName = existing.find((e) => e.name === spec.name);
    const sameKey = existing.find((e) => canonicalKey(e.key) === canonicalKey(spec.key));
    if (sameName) {
      if (canonicalKey(sameName.key) !== canonicalKey(spec.key)) {
        fail('IndexKeySpecsConflict', `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${describe(spec)}, existing index: ${describe(sameName)}`);
      }
      if (optionsKey(sameName) !== optionsKey(spec)) {
        fail('IndexOptionsConflict', `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${describe(spec)}, existing index: ${describe(sameName)}`);
      }
      continue; // identical: a no-op, as in mongod
    }
    if (sameKey && optionsKey(sameKey) === optionsKey(spec)) {
      fail('IndexOptionsConflict', `Index already exists with a different name: ${sameKey.name}`);
    }
    if (sameKey) fail('IndexOptionsConflict', `An equivalent index already exists with a different name and options. Requested index: ${describe(spec)}, existing index: ${describe(sameKey)}`);
    if (isTextKey(spec.key) && existing.some((e) => isTextKey(e.key))) {
      fail('IndexOptionsConflict', `An equivalent index already exists with a different name and options. Requested index: ${describe(spec)}`);
    }
    toCreate.push(spec);
  }
  const added: IndexSpec[] = [];
  try {
    for (const spec of toCreate) {
      ctx.engine.createIndex(coll, spec, ops);
      added.push(spec);
    }
  } catch (err) {
    // All or nothing, as mongod: drop what this command built before failing.
    for (const spec of added) ctx.engine.dropIndex(coll, spec.name, ops);
    await ctx.engine.commit(ops);
    throw err;
  }
  await ctx.engine.commit(ops);
  const reply: Doc = { numIndexesBefore: before, numIndexesAfter: coll.indexSpecs().length, createdCollectionAutomatically: created };
  if (toCreate.length === 0) reply.note = 'all indexes already exist';
  reply.ok = 1;
  return reply;
};

function describe(spec: IndexSpec): string {
  const parts = Object.entries(spec).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  return `{ ${parts.join(', ')} }`;
}

export const listIndexes: Handler = (cmd, db, ctx) => {
  const name = collectionName(cmd, 'listIndexes');
  const coll = ctx.engine.getCollection(db, name);
  if (!coll) fail('NamespaceNotFound', `ns does not exist: ${db}.${name}`);
  return firstBatchReply(ctx, `${db}.${name}`, coll.indexSpecs(), {});
};

export const dropIndexes: Handler = async (cmd, db, ctx) => {
  const name = collectionName(cmd, Object.keys(cmd)[0]!);
  const coll = ctx.engine.getCollection(db, name);
  if (!coll) fail('NamespaceNotFound', `ns not found ${db}.${name}`);
  const nIndexesWas = coll.indexSpecs().length;
  const index = cmd.index;
  const ops: JournalOp[] = [];
  let names: string[];
  if (index === '*') {
    names = coll.indexSpecs().map((s) => s.name).filter((n) => n !== '_id_');
  } else if (typeof index === 'string') {
    names = [index];
  } else if (Array.isArray(index) && index.every((n) => typeof n === 'string')) {
    names = index as string[];
  } else if (isPlainObject(index)) {
    const found = coll.indexSpecs().find((s) => canonicalKey(s.key) === canonicalKey(index));
    if (!found) fail('IndexNotFound', `can't find index with key: ${JSON.stringify(index)}`);
    names = [found.name];
  } else {
    return fail('TypeMismatch', "BSON field 'dropIndexes.index' must be a string, an array of strings or an object");
  }
  for (const n of names) {
    if (n === '_id_') fail('InvalidOptions', 'cannot drop _id index');
    if (!coll.findIndex(n)) fail('IndexNotFound', `index not found with name [${n}]`);
  }
  for (const n of names) ctx.engine.dropIndex(coll, n, ops);
  await ctx.engine.commit(ops);
  return { nIndexesWas, ok: 1 };
};
