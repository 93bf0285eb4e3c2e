/** In-memory stand-in for the persistence layer (used when no dbPath is given). */
import type { JournalOp, SnapshotState } from './types.js';

export interface PersistenceLike {
  load(): Promise<SnapshotState>;
  append(ops: JournalOp[]): Promise<void>;
  compactIfNeeded(getState: () => SnapshotState): Promise<void>;
  close(getState?: () => SnapshotState): Promise<void>;
}

export function memoryPersistence(): PersistenceLike {
  const done = Promise.resolve();
  return {
    load: () => Promise.resolve({ databases: {} }),
    append: () => done,
    compactIfNeeded: () => done,
    close: () => done,
  };
}
