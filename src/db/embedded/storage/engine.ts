/**
 * The storage engine: databases → collections. Every document change goes through
 * `writeDoc` (validation, unique checks and index upkeep in Collection.write, then a
 * journal op); callers reply only after `commit(ops)` resolved, i.e. once it is durable.
 */
import { calculateObjectSize } from 'bson';
import { fail } from '../errors.js';
import { Collection, ID_INDEX_SPEC } from './collection.js';
import { MISSING, valuesAtPath } from './key-values.js';
import { canonicalKey } from './query-deps.js';
import type { Doc, IndexSpec, JournalOp, JournalSink, SnapshotState } from './types.js';

export const MAX_DOC_SIZE = 16 * 1024 * 1024;

export class Engine {
  readonly databases = new Map<string, Map<string, Collection>>();

  constructor(private readonly sink: JournalSink) {}

  /** Rebuilds the engine from a persisted snapshot (with its journal replayed). */
  static fromState(state: SnapshotState, sink: JournalSink): Engine {
    const engine = new Engine(sink);
    for (const [dbName, db] of Object.entries(state.databases)) {
      for (const [collName, c] of Object.entries(db.collections)) {
        const coll = engine.attach(dbName, collName, c.options);
        for (const doc of c.documents) coll.write(undefined, doc);
        for (const spec of c.indexes) if (spec.name !== '_id_') coll.addIndex(spec);
      }
    }
    return engine;
  }

  getState(): SnapshotState {
    const state: SnapshotState = { databases: {} };
    for (const [dbName, colls] of this.databases) {
      const collections: SnapshotState['databases'][string]['collections'] = {};
      for (const [name, c] of colls) collections[name] = { options: c.options, indexes: c.indexSpecs(), documents: [...c.docs.values()] };
      state.databases[dbName] = { collections };
    }
    return state;
  }

  commit(ops: JournalOp[]): Promise<void> {
    return ops.length === 0 ? Promise.resolve() : this.sink.append(ops);
  }

  getCollection(db: string, name: string): Collection | undefined {
    return this.databases.get(db)?.get(name);
  }

  private attach(db: string, name: string, options: Record<string, unknown>): Collection {
    let colls = this.databases.get(db);
    if (!colls) this.databases.set(db, (colls = new Map()));
    const coll = new Collection(db, name, options);
    colls.set(name, coll);
    return coll;
  }

  /** The collection, created implicitly (as a write does) when missing. */
  ensureCollection(db: string, name: string, ops: JournalOp[]): Collection {
    const existing = this.getCollection(db, name);
    if (existing) return existing;
    validateNames(db, name);
    ops.push({ op: 'createColl', db, coll: name, options: {} });
    return this.attach(db, name, {});
  }

  createCollection(db: string, name: string, options: Record<string, unknown>, ops: JournalOp[]): Collection {
    validateNames(db, name);
    if (this.getCollection(db, name)) fail('NamespaceExists', `Collection ${db}.${name} already exists.`);
    ops.push({ op: 'createColl', db, coll: name, options });
    return this.attach(db, name, options);
  }

  dropCollection(db: string, name: string, ops: JournalOp[]): boolean {
    const colls = this.databases.get(db);
    if (!colls?.delete(name)) return false;
    if (colls.size === 0) this.databases.delete(db);
    ops.push({ op: 'dropColl', db, coll: name });
    return true;
  }

  dropDatabase(db: string, ops: JournalOp[]): void {
    if (this.databases.delete(db)) ops.push({ op: 'dropDb', db });
  }

  renameCollection(db: string, name: string, toDb: string, toName: string, dropTarget: boolean, ops: JournalOp[]): void {
    const coll = this.getCollection(db, name);
    if (!coll) fail('NamespaceNotFound', 'Source collection does not exist');
    validateNames(toDb, toName);
    if (this.getCollection(toDb, toName)) {
      if (!dropTarget) fail('NamespaceExists', 'target namespace exists');
      this.dropCollection(toDb, toName, ops);
    }
    this.databases.get(db)!.delete(name);
    if (this.databases.get(db)!.size === 0) this.databases.delete(db);
    const target = this.attach(toDb, toName, coll.options);
    for (const doc of coll.docs.values()) target.write(undefined, doc);
    for (const spec of coll.indexSpecs()) if (spec.name !== '_id_') target.addIndex(spec);
    ops.push({ op: 'renameColl', db, coll: name, toDb, toColl: toName });
  }

  /** The single write path for documents: insert (no before), replace, or delete (no after). */
  writeDoc(coll: Collection, before: Doc | undefined, after: Doc | undefined, ops: JournalOp[], checkSize = false): void {
    if (after) {
      if (after._id === undefined) fail('InternalError', 'document without _id');
      if (checkSize && calculateObjectSize(after) > MAX_DOC_SIZE) {
        fail('BSONObjectTooLarge', `object to insert too large. size in bytes: ${calculateObjectSize(after)}, max size: ${MAX_DOC_SIZE}`);
      }
    }
    coll.write(before, after);
    if (after) ops.push({ op: 'put', db: coll.db, coll: coll.name, doc: after });
    else if (before) ops.push({ op: 'del', db: coll.db, coll: coll.name, id: before._id });
  }

  createIndex(coll: Collection, spec: IndexSpec, ops: JournalOp[]): void {
    const stored = coll.addIndex(spec);
    ops.push({ op: 'createIndex', db: coll.db, coll: coll.name, spec: stored });
  }

  dropIndex(coll: Collection, name: string, ops: JournalOp[]): void {
    coll.dropIndex(name);
    ops.push({ op: 'dropIndex', db: coll.db, coll: coll.name, name });
  }

  /** Removes documents whose TTL-indexed date (earliest, for arrays) is older than expireAfterSeconds. */
  async sweepTtl(now = Date.now()): Promise<number> {
    const ops: JournalOp[] = [];
    let removed = 0;
    for (const colls of this.databases.values()) {
      for (const coll of colls.values()) {
        for (const index of coll.indexes.values()) {
          if (index.expireAfterSeconds === undefined || index.fields.length !== 1) continue;
          const limit = now - index.expireAfterSeconds * 1000;
          for (const doc of [...coll.docs.values()]) {
            const dates = valuesAtPath(doc, index.fields[0]!).filter((v): v is Date => v !== MISSING && v instanceof Date);
            if (dates.length === 0 || !index.covers(doc)) continue;
            if (Math.min(...dates.map((d) => d.getTime())) <= limit && coll.docs.get(canonicalKey(doc._id)) === doc) {
              this.writeDoc(coll, doc, undefined, ops);
              removed++;
            }
          }
        }
      }
    }
    await this.commit(ops);
    return removed;
  }

  static idIndexSpec(): IndexSpec {
    return { ...ID_INDEX_SPEC };
  }
}

function validateNames(db: string, coll: string): void {
  if (!db || /[/\\. "$\0]/.test(db)) fail('InvalidNamespace', `Invalid database name: '${db}'`);
  if (!coll || coll.includes('$') || coll.includes('\0') || coll.startsWith('.')) fail('InvalidNamespace', `Invalid collection name: ${coll}`);
}
