/**
 * The contract between the storage engine and persistence. The engine owns the live data;
 * persistence only makes it durable (journal) and compact (snapshots).
 */

/** An index as listIndexes would show it (`v`, `unique`, `expireAfterSeconds`, … ride along). */
export type IndexSpec = { key: Record<string, unknown>; name: string } & Record<string, unknown>;

export interface CollectionState {
  options: Record<string, unknown>;
  /** Index specs as created. `_id_` is never added by persistence: the engine ensures it on load. */
  indexes: IndexSpec[];
  documents: Record<string, unknown>[];
}

export interface SnapshotState {
  databases: Record<string, { collections: Record<string, CollectionState> }>;
}

export type JournalOp =
  | { op: 'put'; db: string; coll: string; doc: Record<string, unknown> } // insert or full post-image of an update
  | { op: 'del'; db: string; coll: string; id: unknown }
  | { op: 'createColl'; db: string; coll: string; options: Record<string, unknown> }
  | { op: 'dropColl'; db: string; coll: string }
  | { op: 'createIndex'; db: string; coll: string; spec: IndexSpec }
  | { op: 'dropIndex'; db: string; coll: string; name: string }
  | { op: 'dropDb'; db: string }
  | { op: 'renameColl'; db: string; coll: string; toDb: string; toColl: string };

/** Satisfied by pino, by Fastify's logger and by `console`. */
export interface Logger {
  info?(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export interface Persistence {
  /** Latest snapshot with the journal replayed on top. Call once, before the first append. */
  load(): Promise<SnapshotState>;
  /**
   * Resolves only when the ops are in the journal and fsync'd (group commit: concurrent appends
   * share one fsync). The ops are encoded synchronously, during the call.
   *
   * Ordering contract: apply a write to memory, then call append() in the same tick, and
   * acknowledge the client when the promise resolves. Then every op passed to append() so far
   * is reflected in getState(), which is what lets compaction know exactly which journal
   * records a snapshot covers. Rejects (and keeps rejecting: restart the server) after a
   * write or fsync error, because a journal whose tail is unknown cannot be appended to safely.
   */
  append(ops: JournalOp[]): Promise<void>;
  /**
   * When the journal has grown past a threshold, write a new snapshot from getState()
   * atomically and truncate the journal. getState() is called synchronously and its result is
   * encoded before this function first awaits, so the engine may keep writing meanwhile.
   */
  compactIfNeeded(getState: () => SnapshotState): Promise<void>;
  /** Flush, write a final snapshot if useful, release the lock. */
  close(getState?: () => SnapshotState): Promise<void>;
}

export interface PersistenceOptions {
  /** Directory for the data files; without it everything stays in memory. */
  dbPath?: string;
  logger?: Logger;
  /** Journal size that makes compactIfNeeded() write a snapshot. Default 64 MiB. */
  compactAfterBytes?: number;
}
