/**
 * Durability for the embedded server: a checksummed, group-committed journal, snapshots
 * with crash-safe compaction, and a lock file. Without `dbPath` everything is in memory.
 */
export type {
  CollectionState,
  IndexSpec,
  JournalOp,
  Logger,
  Persistence,
  PersistenceOptions,
  SnapshotState,
} from './types.js';
export { applyJournalOp, emptyState } from './apply-op.js';
export { openPersistence } from './open.js';
