/** Shared storage types. The journal shapes mirror persistence/index.ts (H4's interface). */
export type Doc = Record<string, unknown>;

export type IndexSpec = { key: Record<string, unknown>; name: string } & Record<string, unknown>;

export type JournalOp =
  | { op: 'put'; db: string; coll: string; doc: Doc }
  | { op: 'del'; db: string; coll: string; id: unknown }
  | { op: 'createColl'; db: string; coll: string; options: Record<string, unknown> }
  | { op: 'dropColl'; db: string; coll: string }
  | { op: 'createIndex'; db: string; coll: string; spec: IndexSpec }
  | { op: 'dropIndex'; db: string; coll: string; name: string }
  | { op: 'dropDb'; db: string }
  | { op: 'renameColl'; db: string; coll: string; toDb: string; toColl: string };

export interface CollectionState {
  options: Record<string, unknown>;
  indexes: IndexSpec[];
  documents: Doc[];
}

export interface SnapshotState {
  databases: Record<string, { collections: Record<string, CollectionState> }>;
}

/** What the engine needs from the persistence layer. */
export interface JournalSink {
  append(ops: JournalOp[]): Promise<void>;
}

export interface Logger {
  info(msg: string, obj?: object): void;
  warn(msg: string, obj?: object): void;
  error(msg: string, obj?: object): void;
}
