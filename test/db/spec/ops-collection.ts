// Collection operations of the CRUD and index-management specs, mapped onto the Node driver.
import type { AnyBulkWriteOperation, BulkWriteResult, Collection, IndexSpecification } from 'mongodb';
import { isDocument } from './bson-values.js';
import type { Doc } from './bson-values.js';
import type { EntityMap } from './entities.js';
import { parseArgs, type OpResult } from './op-args.js';
import { RunnerError } from './runner-error.js';

const COMMON = ['session', 'comment'] as const;
const WRITE = [...COMMON, 'let', 'writeConcern', 'bypassDocumentValidation'] as const;
const UPDATE_OPTS = [...WRITE, 'upsert', 'arrayFilters', 'collation', 'hint', 'sort'] as const;
const DELETE_OPTS = [...WRITE, 'collation', 'hint'] as const;
const FIND_OPTS = [
  ...COMMON,
  'sort',
  'projection',
  'skip',
  'limit',
  'batchSize',
  'hint',
  'max',
  'min',
  'maxTimeMS',
  'returnKey',
  'showRecordId',
  'noCursorTimeout',
  'allowDiskUse',
  'allowPartialResults',
  'collation',
  'let',
  'readConcern',
  'readPreference',
  'cursorType',
  'maxAwaitTimeMS',
] as const;
const FAM_OPTS = [...WRITE, 'projection', 'sort', 'upsert', 'returnDocument', 'arrayFilters', 'collation', 'hint', 'maxTimeMS'];

export function updateResultDoc(r: {
  matchedCount: number;
  modifiedCount: number;
  upsertedCount: number;
  upsertedId: unknown;
}): Doc {
  const out: Doc = { matchedCount: r.matchedCount, modifiedCount: r.modifiedCount, upsertedCount: r.upsertedCount };
  if (r.upsertedId != null) out.upsertedId = r.upsertedId; // the driver says null for "no upsert": unset
  return out;
}

export function bulkResultDoc(r: BulkWriteResult): Doc {
  return {
    insertedCount: r.insertedCount,
    matchedCount: r.matchedCount,
    modifiedCount: r.modifiedCount,
    deletedCount: r.deletedCount,
    upsertedCount: r.upsertedCount,
    upsertedIds: { ...r.upsertedIds },
    insertedIds: { ...r.insertedIds },
  };
}

function returnDocument(options: Doc): Doc {
  const v = options.returnDocument;
  if (v === undefined) return options;
  const lower = String(v).toLowerCase();
  if (lower !== 'before' && lower !== 'after') throw new RunnerError(`returnDocument must be Before or After, got ${String(v)}`);
  return { ...options, returnDocument: lower };
}

const BULK_MODELS: Record<string, { required: string[]; optional: string[] }> = {
  insertOne: { required: ['document'], optional: [] },
  updateOne: { required: ['filter', 'update'], optional: ['upsert', 'arrayFilters', 'collation', 'hint', 'sort'] },
  updateMany: { required: ['filter', 'update'], optional: ['upsert', 'arrayFilters', 'collation', 'hint'] },
  replaceOne: { required: ['filter', 'replacement'], optional: ['upsert', 'collation', 'hint', 'sort'] },
  deleteOne: { required: ['filter'], optional: ['collation', 'hint'] },
  deleteMany: { required: ['filter'], optional: ['collation', 'hint'] },
};

/** The format's `{ insertOne: { document } }` models are the driver's shape; only validate them. */
function bulkModels(requests: unknown): AnyBulkWriteOperation<Doc>[] {
  if (!Array.isArray(requests)) throw new RunnerError('bulkWrite: requests must be an array');
  return requests.map((req, i) => {
    if (!isDocument(req) || req instanceof Map || Object.keys(req).length !== 1) {
      throw new RunnerError(`bulkWrite: request ${i} must have exactly one model key`);
    }
    const [name, body] = Object.entries(req)[0]!;
    const shape = BULK_MODELS[name];
    if (shape === undefined) throw new RunnerError(`bulkWrite: unsupported model ${name}`);
    if (!isDocument(body) || body instanceof Map) throw new RunnerError(`bulkWrite: ${name} needs a document`);
    for (const key of Object.keys(body)) {
      if (!shape.required.includes(key) && !shape.optional.includes(key)) throw new RunnerError(`bulkWrite: ${name}: unsupported argument ${key}`);
    }
    for (const key of shape.required) if (body[key] === undefined) throw new RunnerError(`bulkWrite: ${name}: missing ${key}`);
    return { [name]: body } as unknown as AnyBulkWriteOperation<Doc>;
  });
}

export async function collectionOperation(
  coll: Collection<Doc>,
  name: string,
  raw: Doc | undefined,
  entities: EntityMap,
): Promise<OpResult> {
  const args = (required: readonly string[], optional: readonly string[]) => parseArgs(name, raw, entities, required, optional);
  switch (name) {
    case 'insertOne': {
      const a = args(['document'], WRITE);
      const r = await coll.insertOne(a.needDoc('document'), a.options());
      return { result: { insertedId: r.insertedId } };
    }
    case 'insertMany': {
      const a = args(['documents'], [...WRITE, 'ordered']);
      const docs = a.need('documents');
      if (!Array.isArray(docs)) throw new RunnerError('insertMany: documents must be an array');
      const r = await coll.insertMany(docs as Doc[], a.options());
      return { result: { insertedCount: r.insertedCount, insertedIds: { ...r.insertedIds } } };
    }
    case 'updateOne':
    case 'updateMany': {
      const a = args(['filter', 'update'], UPDATE_OPTS);
      const update = a.need('update') as Doc | Doc[];
      const r =
        name === 'updateOne'
          ? await coll.updateOne(a.needDoc('filter'), update, a.options())
          : await coll.updateMany(a.needDoc('filter'), update, a.options());
      return { result: updateResultDoc(r) };
    }
    case 'replaceOne': {
      const a = args(['filter', 'replacement'], UPDATE_OPTS);
      const r = await coll.replaceOne(a.needDoc('filter'), a.needDoc('replacement'), a.options());
      return { result: updateResultDoc(r as Parameters<typeof updateResultDoc>[0]) };
    }
    case 'deleteOne':
    case 'deleteMany': {
      const a = args(['filter'], DELETE_OPTS);
      const r = name === 'deleteOne' ? await coll.deleteOne(a.needDoc('filter'), a.options()) : await coll.deleteMany(a.needDoc('filter'), a.options());
      return { result: { deletedCount: r.deletedCount } };
    }
    case 'find': {
      const a = args(['filter'], FIND_OPTS);
      return { result: await coll.find(a.needDoc('filter'), a.options()).toArray(), rootArray: true };
    }
    case 'findOne': {
      const a = args(['filter'], FIND_OPTS);
      return { result: await coll.findOne(a.needDoc('filter'), a.options()) };
    }
    case 'findOneAndUpdate': {
      const a = args(['filter', 'update'], FAM_OPTS);
      return { result: await coll.findOneAndUpdate(a.needDoc('filter'), a.need('update') as Doc, returnDocument(a.options())) };
    }
    case 'findOneAndReplace': {
      const a = args(['filter', 'replacement'], FAM_OPTS);
      return { result: await coll.findOneAndReplace(a.needDoc('filter'), a.needDoc('replacement'), returnDocument(a.options())) };
    }
    case 'findOneAndDelete': {
      const a = args(['filter'], [...WRITE, 'projection', 'sort', 'collation', 'hint', 'maxTimeMS']);
      return { result: await coll.findOneAndDelete(a.needDoc('filter'), a.options()) };
    }
    case 'countDocuments': {
      const a = args(['filter'], [...COMMON, 'skip', 'limit', 'collation', 'hint', 'maxTimeMS', 'readConcern', 'readPreference']);
      return { result: await coll.countDocuments(a.needDoc('filter'), a.options()) };
    }
    case 'estimatedDocumentCount': {
      const a = args([], ['comment', 'maxTimeMS', 'readConcern', 'readPreference']);
      return { result: await coll.estimatedDocumentCount(a.options()) };
    }
    case 'count': {
      const a = args([], [...COMMON, 'skip', 'limit', 'collation', 'hint', 'maxTimeMS', 'readConcern', 'readPreference', 'filter']);
      const { filter, ...options } = a.options();
      return { result: await coll.count((filter as Doc | undefined) ?? {}, options) };
    }
    case 'distinct': {
      const a = args(['fieldName', 'filter'], [...COMMON, 'collation', 'hint', 'maxTimeMS', 'readConcern', 'readPreference']);
      return { result: await coll.distinct(a.needString('fieldName'), a.needDoc('filter'), a.options()) };
    }
    case 'aggregate': {
      const a = args(['pipeline'], [...COMMON, 'batchSize', 'allowDiskUse', 'let', 'collation', 'hint', 'maxTimeMS', 'maxAwaitTimeMS', 'bypassDocumentValidation', 'readConcern', 'readPreference', 'writeConcern']);
      const pipeline = a.need('pipeline');
      if (!Array.isArray(pipeline)) throw new RunnerError('aggregate: pipeline must be an array');
      return { result: await coll.aggregate(pipeline as Doc[], a.options()).toArray(), rootArray: true };
    }
    case 'bulkWrite': {
      const a = args(['requests'], [...WRITE, 'ordered']);
      const r = await coll.bulkWrite(bulkModels(a.need('requests')), a.options());
      return { result: bulkResultDoc(r) };
    }
    case 'createIndex': {
      const a = args(['keys'], ['session', 'comment', 'name', 'unique', 'sparse', 'expireAfterSeconds', 'partialFilterExpression', 'collation', 'hidden', 'weights', 'default_language', 'language_override', 'textIndexVersion', 'maxTimeMS', 'commitQuorum']);
      return { result: await coll.createIndex(a.needDoc('keys') as IndexSpecification, a.options()) };
    }
    case 'dropIndex': {
      const a = args(['name'], ['session', 'comment', 'maxTimeMS']);
      await coll.dropIndex(a.needString('name'), a.options());
      return { result: undefined };
    }
    case 'listIndexes': {
      const a = args([], ['session', 'comment', 'batchSize']);
      return { result: await coll.listIndexes(a.options()).toArray(), rootArray: true };
    }
    case 'drop': {
      const a = args([], ['session', 'comment']);
      return { result: await coll.drop(a.options()) };
    }
    default:
      throw new RunnerError(`unsupported collection operation "${name}"`);
  }
}
