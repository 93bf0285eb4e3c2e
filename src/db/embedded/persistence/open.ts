import { FilePersistence } from './file-persistence.js';
import { MemoryPersistence } from './memory-persistence.js';
import type { Persistence, PersistenceOptions } from './types.js';

/** Durable files under `dbPath` (locked for this process), or memory only without it. */
export function openPersistence(options: PersistenceOptions): Promise<Persistence> {
  if (!options.dbPath) return Promise.resolve(new MemoryPersistence());
  return FilePersistence.open({ ...options, dbPath: options.dbPath });
}
