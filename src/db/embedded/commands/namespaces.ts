/** create, drop, dropDatabase, listDatabases, listCollections, renameCollection, collStats, dbStats. */
import { calculateObjectSize } from 'bson';
import { fail } from '../errors.js';
import { compileFilter } from '../storage/query-deps.js';
import type { Doc, JournalOp } from '../storage/types.js';
import { firstBatchReply } from './batches.js';
import { collectionName, optDoc, type Handler } from './context.js';

const UNSUPPORTED_CREATE_OPTIONS = ['viewOn', 'pipeline', 'capped', 'timeseries', 'clusteredIndex', 'validator', 'encryptedFields'];

export const create: Handler = async (cmd, db, ctx) => {
  const name = collectionName(cmd, 'create');
  for (const opt of UNSUPPORTED_CREATE_OPTIONS) {
    if (cmd[opt] !== undefined && cmd[opt] !== false) fail('NotImplemented', `create with '${opt}' is not supported by the embedded server`);
  }
  const options: Doc = {};
  for (const [k, v] of Object.entries(cmd)) {
    if (k !== 'create' && !k.startsWith('$') && !['lsid', 'writeConcern', 'comment', 'apiVersion', 'apiStrict', 'apiDeprecationErrors'].includes(k)) options[k] = v;
  }
  const ops: JournalOp[] = [];
  ctx.engine.createCollection(db, name, options, ops);
  await ctx.engine.commit(ops);
  return { ok: 1 };
};

export const drop: Handler = async (cmd, db, ctx) => {
  const name = collectionName(cmd, 'drop');
  const coll = ctx.engine.getCollection(db, name);
  // Since 7.0 (SERVER-43894) dropping a missing collection succeeds and reports nothing.
  if (!coll) return { ok: 1 };
  const nIndexesWas = coll.indexSpecs().length;
  const ops: JournalOp[] = [];
  ctx.engine.dropCollection(db, name, ops);
  await ctx.engine.commit(ops);
  return { nIndexesWas, ns: coll.ns, ok: 1 };
};

export const dropDatabase: Handler = async (_cmd, db, ctx) => {
  const ops: JournalOp[] = [];
  ctx.engine.dropDatabase(db, ops);
  await ctx.engine.commit(ops);
  return { ok: 1 };
};

function collectionSize(docs: Iterable<Doc>): number {
  let size = 0;
  for (const d of docs) size += calculateObjectSize(d);
  return size;
}

export const listDatabases: Handler = (cmd, _db, ctx) => {
  const nameOnly = cmd.nameOnly === true;
  const filter = optDoc(cmd, 'filter');
  const matcher = filter ? compileFilter(filter) : undefined;
  const databases: Doc[] = [];
  let totalSize = 0;
  for (const [name, colls] of ctx.engine.databases) {
    let entry: Doc;
    if (nameOnly) {
      entry = { name };
    } else {
      let sizeOnDisk = 4096;
      let empty = true;
      for (const c of colls.values()) {
        sizeOnDisk += collectionSize(c.docs.values());
        if (c.docs.size > 0) empty = false;
      }
      totalSize += sizeOnDisk;
      entry = { name, sizeOnDisk, empty };
    }
    if (!matcher || matcher(entry)) databases.push(entry);
  }
  if (nameOnly) return { databases, ok: 1 };
  return { databases, totalSize, totalSizeMb: Math.floor(totalSize / (1024 * 1024)), ok: 1 };
};

export const listCollections: Handler = (cmd, db, ctx) => {
  const filter = optDoc(cmd, 'filter');
  const matcher = filter ? compileFilter(filter) : undefined;
  const nameOnly = cmd.nameOnly === true;
  const entries: Doc[] = [];
  for (const [name, coll] of ctx.engine.databases.get(db) ?? []) {
    const full: Doc = { name, type: 'collection', options: coll.options, info: { readOnly: false }, idIndex: { v: 2, key: { _id: 1 }, name: '_id_' } };
    if (matcher && !matcher(full)) continue;
    entries.push(nameOnly ? { name, type: 'collection' } : full);
  }
  const batchSize = optDoc(cmd, 'cursor')?.batchSize;
  return firstBatchReply(ctx, `${db}.$cmd.listCollections`, entries, { batchSize: typeof batchSize === 'number' ? batchSize : undefined });
};

export const renameCollection: Handler = async (cmd, db, ctx) => {
  if (db !== 'admin') fail('Unauthorized', 'renameCollection may only be run against the admin database.', undefined, 13);
  const from = cmd.renameCollection;
  const to = cmd.to;
  if (typeof from !== 'string' || typeof to !== 'string') fail('TypeMismatch', "renameCollection and 'to' must be namespace strings");
  const split = (ns: string): [string, string] => {
    const dot = ns.indexOf('.');
    if (dot <= 0 || dot === ns.length - 1) fail('InvalidNamespace', `Invalid namespace specified '${ns}'`);
    return [ns.slice(0, dot), ns.slice(dot + 1)];
  };
  const [fromDb, fromColl] = split(from);
  const [toDb, toColl] = split(to);
  if (from === to) fail('IllegalOperation', `Can't rename a collection to itself`);
  const ops: JournalOp[] = [];
  try {
    ctx.engine.renameCollection(fromDb, fromColl, toDb, toColl, cmd.dropTarget === true, ops);
  } finally {
    await ctx.engine.commit(ops);
  }
  return { ok: 1 };
};

export const collStats: Handler = (cmd, db, ctx) => {
  const name = collectionName(cmd, 'collStats');
  const coll = ctx.engine.getCollection(db, name);
  if (!coll) fail('NamespaceNotFound', `Collection [${db}.${name}] not found.`);
  const size = collectionSize(coll.docs.values());
  const specs = coll.indexSpecs();
  return {
    ns: coll.ns, size, count: coll.docs.size, avgObjSize: coll.docs.size ? Math.floor(size / coll.docs.size) : 0,
    storageSize: size, nindexes: specs.length, totalIndexSize: 0, indexSizes: Object.fromEntries(specs.map((s) => [s.name, 0])), ok: 1,
  };
};

export const dbStats: Handler = (_cmd, db, ctx) => {
  const colls = ctx.engine.databases.get(db);
  let objects = 0;
  let dataSize = 0;
  let indexes = 0;
  for (const c of colls?.values() ?? []) {
    objects += c.docs.size;
    dataSize += collectionSize(c.docs.values());
    indexes += c.indexSpecs().length;
  }
  return { db, collections: colls?.size ?? 0, views: 0, objects, avgObjSize: objects ? dataSize / objects : 0, dataSize, storageSize: dataSize, indexes, indexSize: 0, ok: 1 };
};
