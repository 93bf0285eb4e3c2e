/** No dbPath: nothing to make durable (tests, throw-away servers). */
import { emptyState } from './apply-op.js';
import type { JournalOp, Persistence, SnapshotState } from './types.js';

export class MemoryPersistence implements Persistence {
  async load(): Promise<SnapshotState> {
    return emptyState();
  }

  append(_ops: JournalOp[]): Promise<void> {
    return Promise.resolve();
  }

  async compactIfNeeded(_getState: () => SnapshotState): Promise<void> {}

  async close(_getState?: () => SnapshotState): Promise<void> {}
}
