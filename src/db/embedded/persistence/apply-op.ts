/**
 * Replay semantics of journal ops over a SnapshotState. Every op is tolerant of a state that
 * already reflects it or lacks its target (replay must never throw halfway through a journal).
 */
import { idKey } from './bson-codec.js';
import type { CollectionState, JournalOp, SnapshotState } from './types.js';

export function emptyState(): SnapshotState {
  return { databases: {} };
}

/**
 * Optional accelerator for long replays: keeps one `_id` → document Map per collection so
 * put/del are O(1); documents arrays are rebuilt by finish(). Plain applyJournalOp calls
 * without it scan the array, which is fine for a handful of ops.
 */
export class ReplayIndex {
  private readonly maps = new Map<CollectionState, Map<string, Record<string, unknown>>>();

  private mapFor(coll: CollectionState): Map<string, Record<string, unknown>> {
    let map = this.maps.get(coll);
    if (!map) {
      map = new Map();
      for (const doc of coll.documents) map.set(idKey(doc._id), doc);
      this.maps.set(coll, map);
    }
    return map;
  }

  put(coll: CollectionState, doc: Record<string, unknown>): void {
    this.mapFor(coll).set(idKey(doc._id), doc);
  }

  del(coll: CollectionState, id: unknown): void {
    this.mapFor(coll).delete(idKey(id));
  }

  /** Writes the maps back into the documents arrays (insertion order = natural order). */
  finish(): void {
    for (const [coll, map] of this.maps) coll.documents = [...map.values()];
    this.maps.clear();
  }
}

function getColl(state: SnapshotState, db: string, coll: string, create: boolean): CollectionState | undefined {
  let database = state.databases[db];
  if (!database) {
    if (!create) return undefined;
    database = { collections: {} };
    state.databases[db] = database;
  }
  let collection = database.collections[coll];
  if (!collection && create) {
    // Implicit creation (insert or createIndexes on a missing collection), as MongoDB does.
    collection = { options: {}, indexes: [], documents: [] };
    database.collections[coll] = collection;
  }
  return collection;
}

export function applyJournalOp(state: SnapshotState, op: JournalOp, index?: ReplayIndex): void {
  switch (op.op) {
    case 'put': {
      const coll = getColl(state, op.db, op.coll, true) as CollectionState;
      if (index) return index.put(coll, op.doc);
      const key = idKey(op.doc._id);
      const at = coll.documents.findIndex((d) => idKey(d._id) === key);
      if (at >= 0) coll.documents[at] = op.doc;
      else coll.documents.push(op.doc);
      return;
    }
    case 'del': {
      const coll = getColl(state, op.db, op.coll, false);
      if (!coll) return;
      if (index) return index.del(coll, op.id);
      const key = idKey(op.id);
      const at = coll.documents.findIndex((d) => idKey(d._id) === key);
      if (at >= 0) coll.documents.splice(at, 1);
      return;
    }
    case 'createColl': {
      const coll = getColl(state, op.db, op.coll, true) as CollectionState;
      coll.options = op.options;
      return;
    }
    case 'dropColl': {
      const database = state.databases[op.db];
      if (database) delete database.collections[op.coll];
      return;
    }
    case 'createIndex': {
      const coll = getColl(state, op.db, op.coll, true) as CollectionState;
      const at = coll.indexes.findIndex((s) => s.name === op.spec.name);
      if (at >= 0) coll.indexes[at] = op.spec;
      else coll.indexes.push(op.spec);
      return;
    }
    case 'dropIndex': {
      const coll = getColl(state, op.db, op.coll, false);
      if (coll) coll.indexes = coll.indexes.filter((s) => s.name !== op.name);
      return;
    }
    case 'dropDb':
      delete state.databases[op.db];
      return;
    case 'renameColl': {
      const source = getColl(state, op.db, op.coll, false);
      if (!source || (op.db === op.toDb && op.coll === op.toColl)) return;
      delete (state.databases[op.db] as { collections: Record<string, CollectionState> }).collections[op.coll];
      let target = state.databases[op.toDb];
      if (!target) {
        target = { collections: {} };
        state.databases[op.toDb] = target;
      }
      // The object moves, so a ReplayIndex keyed by it follows; an existing target is replaced (dropTarget).
      target.collections[op.toColl] = source;
      return;
    }
    default: {
      const unknownOp: never = op;
      throw new Error(`Unknown journal op ${JSON.stringify((unknownOp as { op?: unknown }).op)}`);
    }
  }
}
